/**
 * The composition root: configuration -> SIP stack -> registrar. The only file that sees every room.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Logger, createLogger, errorMessage, systemClock } from './lib/index.ts';
import { type Config, type ConfigOverrides, loadConfig, splitHostPort } from './config/index.ts';
import {
  DigestVerifier, MemoryBindingsStore, Registrar, SipStack, type ListenerConfig,
} from './sip/index.ts';

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
  sip.enableRegistrar({
    registrar,
    auth: {
      verifier: new DigestVerifier({ secret: loadSecret(config), algorithms: config.sip.digestAlgorithms }),
      realm: config.sip.domain,
      lookup: async (username) => {
        const password = passwords.get(username);
        return password === undefined ? undefined : { password };
      },
    },
  });
  registrar.on('added', (e) => log.info({ aor: e.aor, contact: e.binding.contact }, 'registered'));
  registrar.on('removed', (e) => log.info({ aor: e.aor }, 'unregistered'));

  if (options.banner !== false) {
    const lines = [
      `Switchboard is running.`,
      ...sip.transports.listeners().map((l) => `  SIP ${l.transport.toUpperCase()} on ${l.advertised.host}:${l.advertised.port}`),
      `  Register a softphone as one of these users (domain ${config.sip.domain}, server ${config.sip.listen}):`,
      ...users.map((u) => `    ${u.username} / ${u.password}`),
      `  Users are kept in ${join(resolve(config.dataDir), 'sip-users.json')}.`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }

  let closed = false;
  return {
    config,
    log,
    sip,
    users,
    async close() {
      if (closed) return;
      closed = true;
      await sip.close();
      await store.close();
    },
  };
}
