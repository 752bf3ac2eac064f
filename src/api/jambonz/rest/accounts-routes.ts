/**
 * `/v1/Accounts` and API keys, for the one default account (specs/jambonz.md §2.6; api-server
 * `lib/routes/api/accounts.js`, `api-keys.js`): the account row, its webhook secret (`?regenerate` makes
 * a new one), its API keys.
 */
import type { FastifyInstance } from 'fastify';
import { nameBasedSid, type AccountCredentials } from '../provisioning/index.ts';
import { refuse, type RestDeps } from './rest-deps.ts';

type SidParams = { Params: { sid: string } };

export function accountView(c: AccountCredentials): Record<string, unknown> {
  return {
    account_sid: c.account_sid,
    name: c.name,
    service_provider_sid: null,
    sip_realm: null,
    registration_hook: null,
    queue_event_hook: null,
    device_calling_application_sid: null,
    is_active: 1,
    webhook_secret: c.webhook_secret,
  };
}

export function apiKeyView(c: AccountCredentials): Record<string, unknown> {
  return { api_key_sid: nameBasedSid(`api-key:${c.api_key}`), token: c.api_key, account_sid: c.account_sid, service_provider_sid: null, expires_at: null, last_used: null };
}

export function registerAccountRoutes(app: FastifyInstance, deps: RestDeps): void {
  const c = deps.credentials;
  const mine = (sid: string): boolean => sid === c.account_sid;
  app.get('/Accounts', async () => [accountView(c)]);
  app.get<SidParams>('/Accounts/:sid', async (req, reply) => (mine(req.params.sid) ? accountView(c) : refuse(reply, 404, 'account not found')));
  app.get<SidParams & { Querystring: Record<string, unknown> }>('/Accounts/:sid/WebhookSecret', async (req, reply) => {
    if (!mine(req.params.sid)) return refuse(reply, 404, 'account not found');
    // As the api-server: any non-empty `regenerate` value makes a new secret.
    const regenerate = req.query['regenerate'];
    if (regenerate === undefined || regenerate === '') return { webhook_secret: c.webhook_secret };
    if (!deps.regenerateWebhookSecret) return refuse(reply, 422, 'regenerating the webhook secret is not available');
    try {
      const secret = deps.regenerateWebhookSecret();
      deps.log.info({ account: c.account_sid }, 'webhook secret regenerated');
      return { webhook_secret: secret };
    } catch (err) {
      deps.log.error({ err }, 'webhook secret not regenerated');
      return refuse(reply, 500, 'the webhook secret could not be saved');
    }
  });
}
