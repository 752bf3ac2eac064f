/**
 * The FreeSWITCH event socket, inbound mode (compatibility source: FreeSWITCH mod_event_socket,
 * specs/esl.md): `mountEsl(sw, options)` listens on TCP (default 127.0.0.1:8021, password ClueCon,
 * loopback-only ACL) and serves auth, api/bgapi, event subscriptions with plain/json/xml events mapped
 * from the switch's bus, filters, myevents, sendevent and sendmsg. Refuses to listen on a non-loopback
 * address with the default password (§10).
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { silentLogger, uuid, type Logger } from '../../lib/index.ts';
import type { Switch } from '../../core/index.ts';
import { compileAcl, isLoopbackHost } from './acl.ts';
import type { ApiContext } from './api-commands/index.ts';
import { AppRunner } from './apps.ts';
import type { EslServices } from './commands/index.ts';
import { EslError } from './esl-error.ts';
import { EventHub } from './event-hub.ts';
import type { Identity } from './event-stamp.ts';
import { EslServer } from './server.ts';

export { EslError, type EslErrorCode } from './esl-error.ts';

export const DEFAULT_ESL_PASSWORD = 'ClueCon';
export const DEFAULT_ESL_LISTEN = '127.0.0.1:8021';

export interface EslOptions {
  /** `HOST:PORT` (IPv6 in brackets); default 127.0.0.1:8021. Port 0 picks a free port. */
  listen?: string;
  password?: string;
  /** ACL entries (CIDRs or list names); empty: loopback.auto. The peer must match every entry. */
  acl?: readonly string[];
  log?: Logger;
  /** HEARTBEAT period in ms (default 20 000; 0 disables). */
  heartbeatMs?: number;
  /** FreeSWITCH-Hostname / -Switchname (default the machine's host name). */
  hostname?: string;
  /** Time allowed for the first command (default 25 s). */
  authTimeoutMs?: number;
  /** Reported by status / HEARTBEAT as the session limit (default 1000). */
  maxSessions?: number;
}

export interface EslMount {
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

function splitListen(value: string): { host: string; port: number } {
  const idx = value.lastIndexOf(':');
  if (idx < 0) return { host: value, port: 8021 };
  return { host: value.slice(0, idx).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(idx + 1)) };
}

function addresses(): { ipv4: string; ipv6: string } {
  let ipv4 = '127.0.0.1';
  let ipv6 = '::1';
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4' && ipv4 === '127.0.0.1') ipv4 = a.address;
      if (a.family === 'IPv6' && ipv6 === '::1' && !a.address.startsWith('fe80')) ipv6 = a.address;
    }
  }
  return { ipv4, ipv6 };
}

const VERSION = { number: '1.10.12', full: '1.10.12-release+switchboard', revision: 'switchboard 0.1.0 64bit' };

export async function mountEsl(sw: Switch, options: EslOptions = {}): Promise<EslMount> {
  const { host, port } = splitListen(options.listen ?? DEFAULT_ESL_LISTEN);
  const password = options.password ?? DEFAULT_ESL_PASSWORD;
  const log = (options.log ?? silentLogger()).child({ room: 'esl' });
  if (!isLoopbackHost(host) && password === DEFAULT_ESL_PASSWORD) {
    throw new EslError('ESL_INSECURE_BIND', `refusing to listen on ${host} with the default event socket password; set esl.password`);
  }
  const acl = compileAcl(options.acl ?? []);
  const name = options.hostname ?? osHostname();
  const identity: Identity = { coreUuid: uuid(), hostname: name, switchname: name, ...addresses() };
  const maxSessions = options.maxSessions ?? 1000;
  const hub = new EventHub(sw, {
    identity, log, version: `${VERSION.full}~64bit`, maxSessions,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const apps = new AppRunner(sw, hub, log);
  const api: ApiContext = { sw, hub, apps, globals: new Map(), version: VERSION, maxSessions };
  const services: EslServices = { sw, hub, apps, api, password, log };
  let server: EslServer;
  try {
    server = await EslServer.listen(services, {
      host, port, acl, ...(options.authTimeoutMs === undefined ? {} : { authTimeoutMs: options.authTimeoutMs }),
    });
  } catch (err) {
    hub.close();
    throw err;
  }
  if (!isLoopbackHost(host)) log.warn({ host, port }, 'event socket listening on a non-loopback address');
  let closing: Promise<void> | undefined;
  return {
    address: server.address,
    close() {
      closing ??= server.close().then(() => hub.close());
      return closing;
    },
  };
}
