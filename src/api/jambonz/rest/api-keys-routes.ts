/**
 * `/v1/ApiKeys` (api-server `lib/routes/api/api-keys.js`, specs/jambonz.md §2.6): the account's keys
 * (its main key from the account file or the configuration, then those made over REST), `POST` to make
 * one (201 `{sid, token}`; an account key always belongs to its own account, whatever the body says, as
 * the api-server does for account-scoped callers), `DELETE /ApiKeys/:sid` (204; 404 unknown; the main
 * key cannot be deleted here: 422).
 */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore, StoredApiKey } from '../provisioning/index.ts';
import { apiKeyView } from './accounts-routes.ts';
import { refuse, type RestDeps } from './rest-deps.ts';

type SidParams = { Params: { sid: string } };

function storedView(k: StoredApiKey): Record<string, unknown> {
  return { api_key_sid: k.api_key_sid, token: k.token, account_sid: k.account_sid, service_provider_sid: null, expires_at: null, last_used: null, created_at: k.created_at };
}

export function registerApiKeyRoutes(app: FastifyInstance, deps: RestDeps, keys: ApiKeyStore | undefined): void {
  const c = deps.credentials;
  const all = (): Record<string, unknown>[] => [apiKeyView(c), ...(keys?.list(c.account_sid) ?? []).map(storedView)];
  app.get<SidParams>('/Accounts/:sid/ApiKeys', async (req) => (req.params.sid === c.account_sid ? all() : []));
  app.get('/ApiKeys', async () => all());
  app.post('/ApiKeys', async (_req, reply) => {
    if (!keys) return refuse(reply, 422, 'making API keys is not available');
    try {
      const key = keys.create(c.account_sid);
      deps.log.info({ account: c.account_sid, apiKeySid: key.api_key_sid }, 'API key made');
      return reply.code(201).send({ sid: key.api_key_sid, token: key.token });
    } catch (err) {
      deps.log.error({ err }, 'API key not made');
      return refuse(reply, 500, 'the API key could not be saved');
    }
  });
  app.delete<SidParams>('/ApiKeys/:sid', async (req, reply) => {
    if (apiKeyView(c)['api_key_sid'] === req.params.sid) return refuse(reply, 422, 'the account\'s main API key cannot be deleted');
    try {
      if (!keys?.delete(c.account_sid, req.params.sid)) return refuse(reply, 404, 'API key not found');
    } catch (err) {
      deps.log.error({ err }, 'API key not deleted');
      return refuse(reply, 500, 'the API key could not be deleted');
    }
    deps.log.info({ account: c.account_sid, apiKeySid: req.params.sid }, 'API key deleted');
    return reply.code(204).send();
  });
}
