/**
 * The FreeSWITCH event socket (compatibility source: FreeSWITCH mod_event_socket, specs/esl.md):
 * `mountEsl(sw, options)` listens on TCP (default 127.0.0.1:8021, password ClueCon, loopback-only ACL)
 * and serves auth, api/bgapi, event subscriptions with plain/json/xml events mapped from the switch's
 * bus, filters, myevents, sendevent and sendmsg (inbound mode); the `socket` app and the configured
 * `outbound` routes dial applications (outbound mode, §3); the configured `dialplan` routes inbound calls
 * to applications (dialplan/). Refuses to listen on a non-loopback address
 * with the default password (§10).
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { silentLogger, uuid, type Logger } from '../../lib/index.ts';
import type { Switch } from '../../core/index.ts';
import { compileAcl, isLoopbackHost } from './acl.ts';
import { ApiScheduler, runApi, type ApiContext, type SofiaProfile } from './api-commands/index.ts';
import { RegistrationBook } from './registrations.ts';
import { AppRunner } from './apps.ts';
import type { EslServices } from './commands/index.ts';
import { MORE_APPS, detectSpeechApp, limitApp, playAndDetectSpeechApp, sayApp, speakApp, type Synthesize } from './dialplan-apps/index.ts';
import { LimitCounters } from './limit-counters.ts';
import { SpeechDetection, type SpeechRecognizerLike } from './speech-detection.ts';
import { EslError } from './esl-error.ts';
import { EventHub } from './event-hub.ts';
import type { Identity } from './event-stamp.ts';
import { OutboundSockets } from './outbound/socket-app.ts';
import { registerOutboundRoutes, type OutboundRoute } from './outbound/outbound-routes.ts';
import { LogTap } from './log-tap.ts';
import { LogLevelControl } from './log-level.ts';
import { CoreSettings } from './api-commands/core-settings.ts';
import { EslServer } from './server.ts';
import { watchBypassMedia } from './bypass-media.ts';
import type { EslDirectory } from './user-directory.ts';
import { ConfigDialplan, attachDialplan, executeExtensionApp, type DialplanOptions } from './dialplan/index.ts';

export { EslError, type EslErrorCode } from './esl-error.ts';
export type { OutboundRoute } from './outbound/outbound-routes.ts';
export type { EslDirectory, EslUser } from './user-directory.ts';
export type { DialplanOptions, DialplanContexts, DialplanExtension, DialplanCondition, DialplanAction } from './dialplan/index.ts';
export type { SofiaProfile } from './api-commands/index.ts';
export type { SpeechRequest, Synthesize } from './dialplan-apps/index.ts';
export type { SpeechRecognizerLike, SpeechSessionLike } from './speech-detection.ts';
export { LogLevelControl } from './log-level.ts';
export { EslClient, EslClientError, runConsole, historyFileFor, type EslClientErrorCode, type ConsoleOptions, type ConsoleIo } from './client/index.ts';

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
  /** Events an inbound listener may have waiting before it is killed (default 100 000, §1.7). */
  maxQueuedEvents?: number;
  /** Users for `userauth` (FreeSWITCH directory params esl-password, esl-allowed-*). */
  directory?: EslDirectory;
  /** Inbound calls sent to an outbound socket application (the `socket` app, specs/esl.md §3). */
  outbound?: readonly OutboundRoute[];
  /** `sofia status` profiles (name and `sip:mod_sofia@host:port` URL). */
  sofiaProfiles?: readonly SofiaProfile[];
  /** user_exists beyond the `directory` users (e.g. the SIP users). */
  userExists?: (user: string, domain: string) => boolean;
  /** The server's TTS for the `speak` app: text -> a file to play. Absent: speak answers `-ERR no TTS`. */
  synthesize?: Synthesize;
  /**
   * The server's speech-to-text for `detect_speech` / `play_and_detect_speech` (e.g. the jambonz
   * "custom" vendor client). Absent: those apps log it and answer `-ERR`.
   */
  recognizer?: SpeechRecognizerLike;
  /** Outbound sockets: TCP connect timeout per target (default 5 s). */
  outboundConnectTimeoutMs?: number;
  /**
   * Recorded prompts for `say` when a channel has no `sound_prefix` (FreeSWITCH sounds layout:
   * `digits/1.wav` or `digits/8000/1.wav`, `time/hours.wav` ...). Absent: say uses TTS unless
   * sound_prefix is set.
   */
  soundsDir?: string;
  /**
   * A dialplan without XML: contexts of extensions (conditions, actions, anti-actions); inbound calls
   * whose number matches an extension of `context` run it; `transfer <x> XML <ctx>` and
   * `execute_extension` use it.
   */
  dialplan?: DialplanOptions;
}

export interface EslMount {
  readonly address: { host: string; port: number };
  /** Open inbound connections. */
  connectionCount(): number;
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
  const settings = new CoreSettings(sw);
  const hub = new EventHub(sw, {
    identity, log, version: `${VERSION.full}~64bit`, maxSessions, lastSps: () => settings.lastSps(),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const globals = new Map<string, string>();
  const apps = new AppRunner(sw, hub, log, globals);
  const scheduler = new ApiScheduler(sw.clock);
  const registrations = new RegistrationBook(sw);
  const directory = options.directory ?? { users: [] };
  const api: ApiContext = {
    sw, hub, apps, globals, version: VERSION, maxSessions, scheduler, registrations, recordings: apps.recordings,
    profiles: options.sofiaProfiles ?? [],
    logLevel: LogLevelControl.of(options.log ?? log), settings,
    run: (command, args) => runApi(command, args, api, log),
    userExists: (user, domain) => directory.users.some((u) => u.user === user && (u.domain === undefined || u.domain === domain))
      || (options.userExists?.(user, domain) ?? false),
  };
  apps.apiCaller = (command, args) => api.run(command, args);
  const logs = new LogTap(options.log ?? silentLogger());
  const services: EslServices = { sw, hub, apps, api, password, log, logs, directory };
  const outbound = new OutboundSockets(services, {
    ...(options.outboundConnectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.outboundConnectTimeoutMs }),
    ...(options.authTimeoutMs === undefined ? {} : { firstCommandTimeoutMs: options.authTimeoutMs }),
  });
  apps.define('socket', outbound.app);
  for (const [name, fn] of Object.entries(MORE_APPS)) apps.define(name, fn);
  apps.define('speak', speakApp(options.synthesize));
  const detection = new SpeechDetection(options.recognizer, hub, log);
  apps.define('detect_speech', detectSpeechApp(detection));
  apps.define('play_and_detect_speech', playAndDetectSpeechApp(detection));
  apps.define('limit', limitApp(new LimitCounters(() => sw.now())));
  apps.define('say', sayApp(options.synthesize, () => sw.now(), options.soundsDir === undefined ? {} : { soundsDir: options.soundsDir }));
  apps.define('execute_extension', executeExtensionApp);
  let server: EslServer;
  let offRoutes: () => void = () => {};
  let offDialplan: () => void = () => {};
  const offBypass = watchBypassMedia(sw, log);
  try {
    offRoutes = registerOutboundRoutes(sw, apps, options.outbound ?? []);
    if (options.dialplan) {
      const dialplan = new ConfigDialplan(sw, apps, options.dialplan, log);
      const offRules = dialplan.register();
      const offAttach = attachDialplan(apps, dialplan);
      offDialplan = () => { offRules(); offAttach(); };
    }
    server = await EslServer.listen(services, {
      host, port, acl, ...(options.authTimeoutMs === undefined ? {} : { authTimeoutMs: options.authTimeoutMs }),
      ...(options.maxQueuedEvents === undefined ? {} : { maxQueuedEvents: options.maxQueuedEvents }),
    });
  } catch (err) {
    offRoutes();
    offDialplan();
    offBypass();
    detection.close();
    api.settings.close();
    scheduler.close();
    registrations.close();
    apps.close();
    hub.close();
    logs.close();
    throw err;
  }
  if (!isLoopbackHost(host)) log.warn({ host, port }, 'event socket listening on a non-loopback address');
  let closing: Promise<void> | undefined;
  return {
    address: server.address,
    connectionCount: () => server.connectionCount,
    close() {
      closing ??= (async () => {
        offRoutes();
        offDialplan();
        offBypass();
        outbound.close();
        await server.close();
        detection.close();
        api.settings.close();
        scheduler.close();
        registrations.close();
        apps.close();
        hub.close();
        logs.close();
      })();
      return closing;
    },
  };
}
