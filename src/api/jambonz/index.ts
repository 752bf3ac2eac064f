/**
 * The jambonz-compatible application API (specs/jambonz.md): `mountJambonz(sw, options)` creates or
 * loads the default account, opens the provisioning store (config file + REST, kept in the data
 * directory), builds the runtime over it, registers inbound routing on the core router and serves the
 * REST API on the HTTP server (default 127.0.0.1:3000). close() undoes all of it, once.
 */
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../lib/index.ts';
import type { Switch } from '../../core/index.ts';
import type { JambonzConfig } from '../../config/index.ts';
import type { AppCatalog, JambonzAccount, SessionManager } from './contract.ts';
import { startHttpServer, type HttpServer } from './http/index.ts';
import { ApiKeyStore, ProvisioningStore, loadCredentials, regenerateWebhookSecret } from './provisioning/index.ts';
import { registerRestApi } from './rest/index.ts';
import { mountAppRouting } from './routing/index.ts';
import { BUILTIN_DEMO_HOOK } from './default-app/index.ts';
import { RECORDINGS_DIR, recordingCatalog } from './runtime/index.ts';

export type * from './contract.ts';
export { JambonzPlatformError, type JambonzPlatformErrorCode, ProvisioningStore, ACCOUNT_FILE, PROVISIONING_FILE } from './provisioning/index.ts';
export { APP_ROUTE_PRIORITY, unavailableSessions } from './routing/index.ts';

export { RECORDINGS_DIR, createSessionManager, recognizerFrom, type SessionManagerOptions } from './runtime/index.ts';
export { carrierDirectory, type CarrierDirectory } from './runtime/index.ts';
export { makeRequestorFactory, type RequestorFactoryOptions } from './requestor/index.ts';
export { validateVerbs } from './validation/index.ts';
export { BUILTIN_DEMO_HOOK, demoIvrReply, demoTarget, newDemoIvrState, spokenDigits, withBuiltinApps } from './default-app/index.ts';

export const DEFAULT_HTTP_LISTEN = '127.0.0.1:3000';

export interface JambonzOptions {
  /** HTTP `HOST:PORT`; default 127.0.0.1:3000, port 0 picks a free port. */
  listen?: string;
  /** The account and REST-provisioned resources are kept here. */
  dataDir: string;
  log?: Logger;
  /** Account overrides, applications, phone numbers, patterns, users and default application. */
  config?: Partial<JambonzConfig>;
  /** Builds the runtime that runs calls, once the catalog exists. */
  sessions: (catalog: AppCatalog) => SessionManager;
  /** Largest REST request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * Calls nothing else claims reach the built-in demo application (`builtin:demo`; the runtime's
   * requestor factory must be wrapped with withBuiltinApps) unless `config.defaultApplication` names
   * another. Default false.
   */
  builtinDefault?: boolean;
}

export interface JambonzMount {
  readonly address: { host: string; port: number };
  /** `http://host:port` of the REST API. */
  readonly baseUrl: string;
  readonly account: JambonzAccount;
  readonly apiKey: string;
  readonly catalog: ProvisioningStore;
  readonly sessions: SessionManager;
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function mountJambonz(sw: Switch, options: JambonzOptions): Promise<JambonzMount> {
  const log = (options.log ?? silentLogger()).child({ room: 'jambonz' });
  const config = options.config ?? {};
  const credentials = loadCredentials({ dataDir: options.dataDir, accountSid: config.accountSid, apiKey: config.apiKey, log });
  const store = new ProvisioningStore({
    dataDir: options.dataDir,
    credentials,
    config: { applications: config.applications ?? [], phoneNumbers: config.phoneNumbers ?? [] },
    log,
  });
  const sessions = options.sessions(store);
  let unroute: (() => void) | undefined;
  let http: HttpServer | undefined;
  let baseUrl = '';
  try {
    unroute = mountAppRouting({
      router: sw.router, store, log, sessions: () => sessions,
      routes: { patterns: config.patterns ?? [], users: config.users ?? [], ...(config.defaultApplication === undefined ? {} : { defaultApplication: config.defaultApplication }) },
      ...(options.builtinDefault ? {
        builtinDefault: { application_sid: 'builtin-demo', account_sid: store.defaultAccount().account_sid, name: 'demo', call_hook: BUILTIN_DEMO_HOOK },
      } : {}),
    });
    http = await startHttpServer({
      listen: options.listen ?? DEFAULT_HTTP_LISTEN,
      log: log.child({ part: 'http' }),
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      routes: (app) => registerRestApi(app, {
        store, credentials, sessions: () => sessions, serviceUrl: () => baseUrl, log: log.child({ part: 'rest' }),
        recordings: recordingCatalog(join(options.dataDir, RECORDINGS_DIR), log.child({ part: 'recordings' })),
        apiKeys: new ApiKeyStore({ dataDir: options.dataDir, log }),
        regenerateWebhookSecret: () => {
          const secret = regenerateWebhookSecret(options.dataDir, credentials);
          store.setWebhookSecret(secret);
          return secret;
        },
      }),
    });
  } catch (err) {
    unroute?.();
    await sessions.close();
    throw err;
  }
  baseUrl = `http://${hostForUrl(http.address.host)}:${http.address.port}`;
  const server = http;
  const off = unroute;
  let closing: Promise<void> | undefined;
  return {
    address: server.address,
    baseUrl,
    account: store.defaultAccount(),
    apiKey: credentials.api_key,
    catalog: store,
    sessions,
    close() {
      closing ??= (async () => {
        off();
        await server.close();
        await sessions.close();
      })();
      return closing;
    },
  };
}
