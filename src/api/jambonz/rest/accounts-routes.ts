/**
 * `/v1/Accounts` and API keys, for the one default account (specs/jambonz.md §2.6; api-server
 * `lib/routes/api/accounts.js`, `api-keys.js`): the account row, its webhook secret, its API keys.
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
  app.get<SidParams>('/Accounts/:sid/WebhookSecret', async (req, reply) =>
    (mine(req.params.sid) ? { webhook_secret: c.webhook_secret } : refuse(reply, 404, 'account not found')));
  app.get<SidParams>('/Accounts/:sid/ApiKeys', async (req) => (mine(req.params.sid) ? [apiKeyView(c)] : []));
  app.get('/ApiKeys', async () => [apiKeyView(c)]);
}
