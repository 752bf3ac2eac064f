/**
 * The configuration schema. Every setting has a safe default so `switchboard start` runs with no
 * configuration at all: SIP on 127.0.0.1:5060 over UDP and TCP, data in ./data.
 */
import { z } from 'zod';

const portRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, 'expected LOW-HIGH')
  .refine((v) => {
    const { low, high } = splitPortRange(v);
    return low >= 1 && high <= 65535 && high - low >= 1;
  }, 'expected a port range within 1-65535 holding at least one even/odd pair');

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected HOST:PORT');

export const sipListenerSchema = z.object({
  transport: z.enum(['udp', 'tcp', 'tls', 'ws', 'wss']),
  address: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535),
  /** PEM certificate and key files, for tls and wss. */
  cert: z.string().optional(),
  key: z.string().optional(),
});

export const sipUserSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
});

const jambonzHookSchema = z.union([
  z.string().min(1),
  z.object({ url: z.string().min(1), method: z.string().optional(), username: z.string().optional(), password: z.string().optional() }),
]);

/** An application of the jambonz-compatible API as written in the config file (specs/jambonz.md §2.6). */
export const jambonzApplicationSchema = z.object({
  /** A uuid; derived from the name when absent. */
  application_sid: z.string().min(1).optional(),
  name: z.string().min(1),
  call_hook: jambonzHookSchema.optional(),
  call_status_hook: jambonzHookSchema.optional(),
  messaging_hook: jambonzHookSchema.optional(),
  /** Static verbs: a JSON string or the array itself. */
  app_json: z.union([z.string(), z.array(z.unknown())]).optional(),
  speech_synthesis_vendor: z.string().optional(),
  speech_synthesis_language: z.string().optional(),
  speech_synthesis_voice: z.string().optional(),
  speech_recognizer_vendor: z.string().optional(),
  speech_recognizer_language: z.string().optional(),
  env_vars: z.record(z.unknown()).optional(),
  record_all_calls: z.boolean().optional(),
});

/** Inbound routing to an application: by called number, dial pattern / regex, or calling SIP user. */
const jambonzRouteTarget = {
  /** The application's sid or its name. */
  application: z.string().min(1),
};

/** A carrier: where phone numbers are sent, with digest credentials, number rules and its inbound source addresses. */
export const carrierSchema = z.object({
  name: z.string().min(1),
  /** The carrier's SIP server, HOST or HOST:PORT. */
  host: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'expected HOST or HOST:PORT'),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** Keep a registration with the carrier's registrar (needs username and password). */
  register: z.boolean().default(false),
  /** Keep a leading + on dialed numbers (default: dropped). */
  keepPlus: z.boolean().default(false),
  /** Prepended to every dialed number. */
  prefix: z.string().regex(/^[0-9*#+]*$/).optional(),
  /** Caller id user part for calls through this carrier. */
  fromUser: z.string().min(1).optional(),
  /** Source IP addresses of the carrier's INVITEs. */
  inboundAddresses: z.array(z.string().min(1)).default([]),
  /** Request-URI hosts (domain names of this server) only this carrier sends to. */
  inboundRealms: z.array(z.string().min(1)).default([]),
  default: z.boolean().default(false),
}).strict();

/** An action or anti-action of the event socket's dialplan: an application and its data. */
const dialplanActionSchema = z.object({
  app: z.string().min(1),
  data: z.string().optional(),
  /** Run during the hunt (set, unset, export). */
  inline: z.boolean().optional(),
}).strict();

/** A condition: a caller field (destination_number, caller_id_number ...) or `${var}` against a regular expression. */
const dialplanConditionSchema = z.object({
  field: z.string().min(1).optional(),
  expression: z.string().optional(),
  break: z.enum(['on-false', 'on-true', 'always', 'never']).optional(),
  actions: z.array(dialplanActionSchema).default([]),
  antiActions: z.array(dialplanActionSchema).default([]),
}).strict();

/** The event socket's dialplan (FreeSWITCH XML dialplan semantics, without XML). */
const dialplanSchema = z.object({
  /** Extensions per context, tried in order. */
  contexts: z.record(z.array(z.object({
    name: z.string().min(1),
    continue: z.boolean().optional(),
    conditions: z.array(dialplanConditionSchema).min(1),
  }).strict())).default({}),
  /** The context of inbound calls. */
  context: z.string().min(1).default('default'),
  /** Router priority of its number rules (default 100: jambonz phone numbers still win on an exact number). */
  priority: z.number().int().optional(),
  /** Also take the calls nothing else claims, ahead of the jambonz default application. */
  catchAll: z.boolean().default(false),
}).strict();

export const configSchema = z.object({
  sip: z
    .object({
      /** Shorthand for a UDP + TCP listener pair. */
      listen: hostPort.default('127.0.0.1:5060'),
      /** Extra listeners (TLS, WS, WSS, or further UDP/TCP addresses). */
      listeners: z.array(sipListenerSchema).default([]),
      /** The domain (and digest realm) this server is registrar for. */
      domain: z.string().default('switchboard.local'),
      userAgent: z.string().default('Switchboard'),
      t1: z.number().int().positive().default(500),
      t2: z.number().int().positive().default(4000),
      t4: z.number().int().positive().default(5000),
      /** Requests per second allowed from one source address before 503s. */
      floodRate: z.number().positive().default(200),
      floodBurst: z.number().positive().default(400),
      users: z.array(sipUserSchema).default([]),
      /**
       * Digest algorithms offered in challenges, one WWW-Authenticate each, in this order. The default
       * is MD5 alone, as FreeSWITCH does: deployed clients such as Debian 12's baresip (libre 1.1) reject
       * a 401 outright when any challenge names another algorithm. Add SHA-256 (first, per RFC 8760) for
       * clients known to handle several challenges.
       */
      digestAlgorithms: z.array(z.enum(['MD5', 'SHA-256', 'SHA-512-256'])).min(1).default(['MD5']),
      /**
       * Digest challenge (407) for inbound INVITEs: 'users' challenges calls whose From is one of the
       * configured users at this server's domain or address, 'all' every call, 'none' no call.
       */
      authenticateCalls: z.enum(['users', 'all', 'none']).default('users'),
    })
    .default({}),
  media: z
    .object({
      /** RTP/RTCP port range, "LOW-HIGH" (RTP on the even ports, RTCP on the next odd one). */
      rtpPorts: portRange.default('20000-29999'),
      /** Address the RTP sockets bind; the SIP listen address unless given. */
      address: z.string().optional(),
      /** Address written in SDP; the bind address unless given (needed when binding 0.0.0.0). */
      advertisedAddress: z.string().optional(),
      /** Codec preference for offers and answers. */
      codecs: z.array(z.string().min(1)).min(1).default(['PCMU', 'PCMA', 'G722']),
      /** Port pairs bound at start (more are bound as calls need them). */
      prebind: z.number().int().positive().default(64),
      /**
       * Media worker threads (each with its own media clock and a slice of the RTP ports); 0: media on the
       * main thread; 'auto': one per core when the machine has more than one.
       */
      workers: z.union([z.literal('auto'), z.number().int().min(0).max(64)]).default('auto'),
      /** Symmetric RTP latching: send to where a peer's RTP comes from (NAT); false sends only where its SDP says. */
      latching: z.boolean().default(true),
      /** A file the media load (per media thread: sessions, rooms, tick and mix p99, late ticks) is written to every second. */
      statsFile: z.string().optional(),
    })
    .default({}),
  limits: z
    .object({
      /** Most concurrent channels; unlimited when absent. */
      maxSessions: z.number().int().min(0).optional(),
      /** New channels per second; unlimited when absent. */
      sessionsPerSecond: z.number().positive().optional(),
    })
    .default({}),
  /** The FreeSWITCH-compatible event socket, inbound mode (specs/esl.md §10 settings). */
  esl: z
    .object({
      enabled: z.boolean().default(true),
      /** TCP listen address; a non-loopback address needs a password other than the default. */
      listen: hostPort.default('127.0.0.1:8021'),
      password: z.string().min(1).default('ClueCon'),
      /** Inbound ACL entries (CIDRs or loopback.auto, localnet.auto, rfc1918.auto, any_v4.auto, any_v6.auto); empty: loopback only. */
      acl: z.array(z.string().min(1)).default([]),
      /** Outbound mode: inbound calls sent to a `socket` application, `host:port [async] [full]` (specs/esl.md §3). */
      outbound: z
        .array(z.object({
          name: z.string().min(1).optional(),
          priority: z.number().int().optional(),
          number: z.string().min(1).optional(),
          pattern: z.string().min(1).optional(),
          user: z.string().min(1).optional(),
          target: z.string().min(1),
        }).strict())
        .default([]),
      /** Users for `userauth user@domain:password`, with FreeSWITCH directory params (esl-password, esl-allowed-events, esl-allowed-api, esl-allowed-log). */
      directory: z
        .object({
          users: z.array(z.object({
            user: z.string().min(1),
            domain: z.string().min(1).optional(),
            params: z.record(z.string()).default({}),
          }).strict()).default([]),
          /** Params per domain; a user's own params win. */
          domains: z.record(z.record(z.string())).default({}),
        })
        .default({}),
      /** Recorded prompts for the `say` app when a channel has no sound_prefix (FreeSWITCH sounds layout: digits/1.wav ...). */
      soundsDir: z.string().min(1).optional(),
      /** A dialplan without XML: contexts of extensions with conditions, actions and anti-actions (docs/compat/esl.md, Dialplan). */
      dialplan: dialplanSchema.optional(),
    })
    .default({}),
  /** The HTTP server (jambonz-compatible REST API and health). */
  http: z.object({ listen: hostPort.default('127.0.0.1:3000') }).default({}),
  /** The jambonz-compatible application API: the default account, applications and their routing. */
  jambonz: z
    .object({
      /** The default account's sid and API key; created at first start and kept in the data directory when absent. */
      accountSid: z.string().uuid().optional(),
      apiKey: z.string().min(8).optional(),
      applications: z.array(jambonzApplicationSchema).default([]),
      phoneNumbers: z.array(z.object({ number: z.string().regex(/^\+?\d{1,32}$/, 'expected digits, optionally after +'), ...jambonzRouteTarget })).default([]),
      /** Dial patterns (`_1XXX`, `9.`) or regular expressions (`/^conf-/`) on the called number. */
      patterns: z.array(z.object({ pattern: z.string().min(1), ...jambonzRouteTarget })).default([]),
      /** Calls from a registered SIP user. */
      users: z.array(z.object({ user: z.string().min(1), ...jambonzRouteTarget })).default([]),
      /** The application for calls nothing else claims (the demo dialplan still wins for its numbers). */
      defaultApplication: z.string().min(1).optional(),
      /** A speech-to-text server speaking the jambonz "custom" vendor protocol, for gather with speech input. */
      recognizer: z.object({ url: z.string().regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL'), apiKey: z.string().optional() }).optional(),
    })
    .default({}),
  /** Carriers (outbound SIP trunks) for `phone` dial targets and REST calls; the first, or the one marked default, serves unnamed trunks. */
  carriers: z.array(carrierSchema).default([]),
  dataDir: z.string().default('./data'),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({}),
});

export type Config = z.infer<typeof configSchema>;
export type SipListenerConfig = z.infer<typeof sipListenerSchema>;
export type JambonzConfig = Config['jambonz'];
export type JambonzApplicationConfig = z.infer<typeof jambonzApplicationSchema>;
export type CarrierConfig = z.infer<typeof carrierSchema>;

/** Splits "HOST:PORT" (IPv6 in brackets) into its parts. */
export function splitHostPort(value: string): { host: string; port: number } {
  const idx = value.lastIndexOf(':');
  const host = value.slice(0, idx).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(value.slice(idx + 1)) };
}

/** Splits "LOW-HIGH" into its bounds. */
export function splitPortRange(value: string): { low: number; high: number } {
  const [low, high] = value.split('-').map(Number);
  return { low: low ?? 0, high: high ?? 0 };
}
