/**
 * The composition root: configuration -> call core (switch, CDRs, admission) -> media (RTP port pool,
 * media clock) -> SIP stack, registrar and SIP endpoint -> the demo dialplan -> the event socket
 * (FreeSWITCH mod_event_socket, inbound). The only file that sees every room.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type Logger, createLogger, errorMessage, systemClock } from './lib/index.ts';
import { type Config, type ConfigOverrides, loadConfig, splitHostPort, splitPortRange } from './config/index.ts';
import {
  DigestVerifier, MemoryBindingsStore, Registrar, SipStack, type BindingEvent, type ListenerConfig,
} from './sip/index.ts';
import { MediaRuntime, type MediaClock } from './media/index.ts';
import { MemoryCdrStore } from './store/index.ts';
import { CustomSttProvider, EspeakTtsProvider, TtsCache } from './speech/index.ts';
import { Switch, type RegistrationSnapshot } from './core/index.ts';
import { SipEndpoint, conferenceMediaFactory, registerCarriers, workerConferenceMediaFactory } from './endpoints/index.ts';
import { LogLevelControl, mountDemoDialplan, mountEsl, type EslMount, type EslOptions } from './api/index.ts';
import {
  RECORDINGS_DIR, carrierDirectory, createSessionManager, makeRequestorFactory, mountJambonz, recognizerFrom, validateVerbs, withBuiltinApps, type AppCatalog, type JambonzMount, type SessionManager,
} from './api/index.ts';

export interface StartOptions {
  configFile?: string;
  flags?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  /** Print the start-up banner (default true). */
  banner?: boolean;
}

export interface Server {
  config: Config;
  log: Logger;
  sip: SipStack;
  sw: Switch;
  registrar: Registrar;
  cdrs: MemoryCdrStore;
  /** The media engine: RTP ports on this thread or in media worker threads. */
  media: MediaRuntime;
  mediaClock: MediaClock;
  /** The address callers reach SIP on ("127.0.0.1:5060"). */
  sipAddress: string;
  /** The event socket, when enabled and listening. */
  esl: EslMount | undefined;
  /** The jambonz-compatible API: REST on the HTTP address, the default account, inbound routing. */
  jambonz: JambonzMount;
  users: SipUserRecord[];
  close(): Promise<void>;
}

export interface SipUserRecord {
  username: string;
  password: string;
}

/** The demo users 1000-1003: passwords generated at first start and kept in the data directory. */
function loadUsers(config: Config, log: Logger): SipUserRecord[] {
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'sip-users.json');
  let users: SipUserRecord[] = [];
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(parsed)) {
        users = parsed.filter((u): u is SipUserRecord =>
          typeof u === 'object' && u !== null && typeof (u as SipUserRecord).username === 'string' && typeof (u as SipUserRecord).password === 'string');
      }
    } catch (err) {
      log.warn({ file, err: errorMessage(err) }, 'unreadable users file; creating a new one');
    }
  }
  if (users.length === 0) {
    users = ['1000', '1001', '1002', '1003'].map((username) => ({ username, password: randomBytes(6).toString('hex') }));
    writeFileSync(file, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });
  }
  const byName = new Map(users.map((u) => [u.username, u]));
  for (const u of config.sip.users) byName.set(u.username, u);
  return [...byName.values()];
}

/** The nonce-signing secret, kept in the data directory so nonces stay valid across restarts. */
function loadSecret(config: Config): string {
  const file = join(resolve(config.dataDir), 'nonce-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function listenersFrom(config: Config): ListenerConfig[] {
  const { host, port } = splitHostPort(config.sip.listen);
  const base: ListenerConfig[] = [
    { transport: 'udp', address: host, port },
    { transport: 'tcp', address: host, port },
  ];
  return [...base, ...config.sip.listeners.map((l) => ({ ...l }))];
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  const config = loadConfig({ file: options.configFile, flags: options.flags, env: options.env });
  const log = createLogger({ level: config.log.level });
  // Before any child logger: `fsctl loglevel` then reaches every room's logger.
  LogLevelControl.of(log);
  const users = loadUsers(config, log);
  const sip = await SipStack.start({
    listeners: listenersFrom(config),
    logger: log.child({ room: 'sip' }),
    t1: config.sip.t1,
    t2: config.sip.t2,
    t4: config.sip.t4,
    userAgent: config.sip.userAgent,
    flood: { ratePerSecond: config.sip.floodRate, burst: config.sip.floodBurst },
  });
  const store = new MemoryBindingsStore({ clock: systemClock });
  const registrar = new Registrar({ store, clock: systemClock, logger: log.child({ room: 'registrar' }) });
  const passwords = new Map(users.map((u) => [u.username, u.password]));
  const digest = {
    verifier: new DigestVerifier({ secret: loadSecret(config), algorithms: config.sip.digestAlgorithms }),
    realm: config.sip.domain,
    lookup: async (username: string) => {
      const password = passwords.get(username);
      return password === undefined ? undefined : { password };
    },
  };
  sip.enableRegistrar({ registrar, auth: digest });
  registrar.on('added', (e) => log.info({ aor: e.aor, contact: e.binding.contact }, 'registered'));
  registrar.on('removed', (e) => log.info({ aor: e.aor }, 'unregistered'));

  const media = await startMedia(config, log).catch(async (err: unknown) => {
    await sip.close();
    await store.close();
    throw err;
  });
  const advertised = advertisedMediaAddress(config, sip, media.address);
  const cdrs = new MemoryCdrStore();
  const sw = new Switch({
    log: log.child({ room: 'core' }),
    cdrStore: cdrs,
    admission: admissionOf(config),
    conferenceMedia: media.workers
      ? workerConferenceMediaFactory(media.workers, log.child({ room: 'conference' }))
      : conferenceMediaFactory({ clock: media.clock, log: log.child({ room: 'conference' }) }),
  });
  // Registrations reach the core bus (FreeSWITCH sofia::register / unregister, show registrations).
  registrar.on('added', (e) => sw.bus.emit('registration.added', { registration: registrationOf(e), refreshed: false }));
  registrar.on('refreshed', (e) => sw.bus.emit('registration.added', { registration: registrationOf(e), refreshed: true }));
  registrar.on('removed', (e) => sw.bus.emit('registration.removed', {
    registration: registrationOf(e), reason: e.cause === 'evicted' || e.cause === 'admin' ? e.cause : 'unregistered',
  }));
  registrar.on('expired', (e) => sw.bus.emit('registration.removed', { registration: registrationOf(e), reason: 'expired' }));
  const endpoint = new SipEndpoint({
    sw, sip, registrar,
    ...(media.pool ? { pool: media.pool } : {}),
    ...(media.workers ? { workers: media.workers } : {}),
    latching: config.media.latching,
    // Callers of one demo conference share a media worker, so its room mixes them without trunks.
    mediaAffinity: (destination) => (destination.startsWith('conf-') ? destination : undefined),
    mediaClock: media.clock,
    advertisedAddress: advertised,
    codecs: config.media.codecs,
    domain: config.sip.domain,
    callAuth: { ...digest, mode: config.sip.authenticateCalls },
    log: log.child({ room: 'sip-endpoint' }),
  });
  const stopEndpoint = endpoint.start();
  /** Stops the call core and everything below it, in order; `beforeEndpoint` runs once no call is left. */
  const closeCore = async (beforeEndpoint?: () => Promise<void>): Promise<void> => {
    await sw.close();
    await beforeEndpoint?.();
    stopEndpoint();
    await sip.close();
    registrar.close();
    await store.close();
    await media.close();
  };
  mountDemoDialplan(sw, { dataDir: resolve(config.dataDir), users: users.map((u) => u.username) });
  const sipUrl = listenersFrom(config)[0];
  // The offline TTS behind the event socket's `speak` app (espeak-ng loads on first use).
  const eslTts = new TtsCache(new EspeakTtsProvider({ log: log.child({ room: 'tts' }) }), { dir: join(resolve(config.dataDir), 'tts') });
  // Speech recognition for gather and the event socket's detect_speech: a jambonz "custom" vendor STT server, when configured.
  const sttConfig = config.jambonz.recognizer;
  const stt = sttConfig
    ? new CustomSttProvider({ url: sttConfig.url, ...(sttConfig.apiKey ? { apiKey: sttConfig.apiKey } : {}), log: log.child({ room: 'stt' }) })
    : undefined;
  const esl = await startEsl(config, sw, log, {
    ...(stt ? { recognizer: stt } : {}),
    synthesize: async (r) => (await eslTts.file({ text: r.text, ...(r.voice ? { voice: r.voice } : {}), ...(r.language ? { language: r.language } : {}) })).path,
    sofiaProfiles: sipUrl ? [{ name: 'internal', url: `sip:mod_sofia@${hostForUri(sipUrl.address)}:${sipUrl.port}` }] : [],
    userExists: (user, domain) => domain === config.sip.domain && users.some((u) => u.username === user),
  }).catch(async (err: unknown) => {
    await closeCore();
    throw err;
  });

  const jambonzLog = log.child({ room: 'jambonz' });
  const jambonz = await startJambonz(config, sw, log, (catalog) => createSessionManager({
    ...(stt ? { stt: recognizerFrom(stt, jambonzLog) } : {}),
    sw, catalog, log: jambonzLog, requestorFactory: withBuiltinApps(makeRequestorFactory({ log: jambonzLog })), validate: validateVerbs, tts: eslTts,
    ...(config.carriers.length > 0 ? { carriers: carrierDirectory(config.carriers) } : {}),
    recordingsDir: join(resolve(config.dataDir), RECORDINGS_DIR),
  })).catch(async (err: unknown) => {
    await esl?.close();
    await closeCore();
    throw err;
  });

  const first = sip.transports.listeners().find((l) => l.transport === 'udp') ?? sip.transports.listeners()[0];
  const sipAddress = first ? `${hostForUri(first.advertised.host)}:${first.advertised.port}` : config.sip.listen;
  if (options.banner !== false) printBanner(config, sip, users, sipAddress, media, esl, jambonz);
  // Carriers with `register: true` keep a registration with their registrar (endpoints/sip/carrier-registrations.ts).
  const carrierRegistrations = registerCarriers(sip, config.carriers, { contactHost: sipAddress, clock: systemClock, log: log.child({ room: 'carriers' }) });

  let closing: Promise<void> | undefined;
  return {
    config, log, sip, sw, registrar, cdrs, users, sipAddress, esl, jambonz,
    media,
    mediaClock: media.clock,
    close() {
      closing ??= (async () => {
        await jambonz.close();
        await esl?.close();
        await closeCore(async () => {
          await eslTts.close();
          await stt?.close();
          await carrierRegistrations.close();
        });
      })();
      return closing;
    },
  };
}

/**
 * Mounts the event socket. A busy port is logged and skipped (the server runs without it); an unsafe
 * address (non-loopback with the default password) or a bad ACL stops the start.
 */
async function startEsl(
  config: Config, sw: Switch, log: Logger, extra: Pick<EslOptions, 'sofiaProfiles' | 'userExists' | 'synthesize' | 'recognizer'>,
): Promise<EslMount | undefined> {
  if (!config.esl.enabled) return undefined;
  try {
    return await mountEsl(sw, {
      listen: config.esl.listen, password: config.esl.password, acl: config.esl.acl, log, outbound: config.esl.outbound,
      directory: config.esl.directory, ...extra,
      ...(config.esl.soundsDir === undefined ? {} : { soundsDir: config.esl.soundsDir }),
      ...(config.esl.dialplan === undefined ? {} : { dialplan: config.esl.dialplan }),
      ...(config.limits.maxSessions === undefined ? {} : { maxSessions: config.limits.maxSessions }),
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EADDRINUSE') {
      log.error({ listen: config.esl.listen }, 'event socket address in use; running without the event socket');
      return undefined;
    }
    throw err;
  }
}

/**
 * Mounts the jambonz-compatible API: the HTTP server with the REST API, the default account and the
 * application routes. `sessions` is the runtime that runs the routed and REST-created calls; it is
 * given a ready SessionManager or built over the provisioning catalog. A busy HTTP address stops the start.
 */
async function startJambonz(
  config: Config, sw: Switch, log: Logger, sessions: SessionManager | ((catalog: AppCatalog) => SessionManager),
): Promise<JambonzMount> {
  return mountJambonz(sw, {
    listen: config.http.listen,
    dataDir: resolve(config.dataDir),
    log,
    config: config.jambonz,
    builtinDefault: true,
    sessions: typeof sessions === 'function' ? sessions : () => sessions,
  });
}

function registrationOf(e: BindingEvent): RegistrationSnapshot {
  const m = /^sips?:(?:([^@;>]*)@)?([^;>]+)/.exec(e.aor);
  const b = e.binding;
  const r: RegistrationSnapshot = {
    user: m?.[1] ?? '', domain: m?.[2] ?? '', aor: e.aor, contact: /<([^>]+)>/.exec(b.contact)?.[1] ?? b.contact,
    expiresAt: Date.now() + (b.expiresAt - systemClock.now()), callId: b.callId,
    networkIp: b.source.address, networkPort: b.source.port, transport: b.source.transport,
  };
  if (b.userAgent !== undefined) r.userAgent = b.userAgent;
  return r;
}

function admissionOf(config: Config): { maxSessions?: number; sessionsPerSecond?: number } {
  const out: { maxSessions?: number; sessionsPerSecond?: number } = {};
  if (config.limits.maxSessions !== undefined) out.maxSessions = config.limits.maxSessions;
  if (config.limits.sessionsPerSecond !== undefined) out.sessionsPerSecond = config.limits.sessionsPerSecond;
  return out;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** The media engine on the SIP address (or media.address): this thread's port pool and clock, or media workers. */
function startMedia(config: Config, log: Logger): Promise<MediaRuntime> {
  const { low, high } = splitPortRange(config.media.rtpPorts);
  return MediaRuntime.start({
    address: config.media.address ?? splitHostPort(config.sip.listen).host,
    portMin: low, portMax: high, prebind: config.media.prebind, workers: mediaWorkerCount(config.media.workers),
    ...(config.media.statsFile === undefined ? {} : { statsFile: config.media.statsFile }),
    logLevel: config.log.level, log,
  });
}

/** 'auto': one media worker per core when there is more than one core, else media on the main thread. */
function mediaWorkerCount(setting: number | 'auto'): number {
  if (setting !== 'auto') return setting;
  const cores = availableParallelism();
  return cores > 1 ? cores : 0;
}

/** The address written in SDP: configured, else the media address, else (wildcard) the SIP address. */
function advertisedMediaAddress(config: Config, sip: SipStack, address: string): string {
  const sipAdvertised = sip.transports.listeners().map((l) => l.advertised.address).find((a) => !WILDCARD.has(a));
  return config.media.advertisedAddress ?? (WILDCARD.has(address) ? sipAdvertised ?? '127.0.0.1' : address);
}

function hostForUri(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function printBanner(
  config: Config, sip: SipStack, users: SipUserRecord[], sipAddress: string, media: MediaRuntime, esl: EslMount | undefined,
  jambonz: JambonzMount,
): void {
  const lines = [
    `Switchboard is running.`,
    ...sip.transports.listeners().map((l) => `  SIP ${l.transport.toUpperCase()} on ${l.advertised.host}:${l.advertised.port}`),
    `  RTP on ${media.address}, ports ${config.media.rtpPorts}${media.workers ? `, ${media.workers.workers.length} media worker threads` : ''}`,
    ...(esl ? [`  Event socket (FreeSWITCH ESL, inbound) on ${hostForUri(esl.address.host)}:${esl.address.port}`
      + `${config.esl.password === 'ClueCon' ? ', password ClueCon' : ''} (fs_cli -H ${esl.address.host} -P ${esl.address.port})`] : []),
    `  jambonz REST API on ${jambonz.baseUrl}/v1`,
    `    account sid ${jambonz.account.account_sid}`,
    `    API key     ${jambonz.apiKey}  (Authorization: Bearer <API key>)`,
    `    kept in ${join(resolve(config.dataDir), 'jambonz-account.json')}`,
    `  Call it from any SIP phone or sipp:`,
    `    sip:echo@${sipAddress}      echo test (you hear yourself)`,
    `    sip:tone@${sipAddress}      a 440 Hz tone until you hang up`,
    `    sip:record@${sipAddress}    beep, record up to 30 s (# ends), hear it back`,
    `    sip:conf-demo@${sipAddress} conference "demo" (any conf-<name>)`,
    `    sip:1000@${sipAddress} ...  the registered user 1000-1003`,
    `    sip:<any other number>@${sipAddress}  the demo IVR: 1 echo, 2 record, 3 conference, 4 digits read back`,
    `  Register a softphone as one of these users (domain ${config.sip.domain}, server ${sipAddress}):`,
    ...users.map((u) => `    ${u.username} / ${u.password}`),
    `  Users are kept in ${join(resolve(config.dataDir), 'sip-users.json')}.`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
