/**
 * The jambonz-compatible REST API under `/v1` (specs/jambonz.md §2.6), behind Bearer API keys:
 * provisioning (Applications, PhoneNumbers), the account and its API keys, and call control.
 */
import type { FastifyInstance } from 'fastify';
import { bearerGuard } from '../http/index.ts';
import { registerAccountRoutes } from './accounts-routes.ts';
import { registerApiKeyRoutes } from './api-keys-routes.ts';
import { registerCallRoutes } from './calls-routes.ts';
import { registerProvisioningRoutes } from './provisioning-routes.ts';
import { registerRecordingRoutes } from './recordings-routes.ts';
import type { RestDeps } from './rest-deps.ts';

export { callFilterOf, checkCreateCall, checkTo, checkUpdateCall, matchesFilter, UPDATE_ACTIONS, type CallFilter, type CreateCallShape } from './call-requests.ts';
export { accountView, apiKeyView } from './accounts-routes.ts';
export type { RestDeps } from './rest-deps.ts';

/** Registers the REST API under `/v1` on the server, before it listens. */
export async function registerRestApi(app: FastifyInstance, deps: RestDeps): Promise<void> {
  await app.register(async (api) => {
    api.addHook('onRequest', bearerGuard(() => [deps.credentials.api_key, ...(deps.apiKeys?.tokens() ?? [])]));
    registerAccountRoutes(api, deps);
    registerApiKeyRoutes(api, deps, deps.apiKeys);
    registerProvisioningRoutes(api, deps);
    registerCallRoutes(api, deps);
    if (deps.recordings) registerRecordingRoutes(api, deps.recordings);
  }, { prefix: '/v1' });
}
