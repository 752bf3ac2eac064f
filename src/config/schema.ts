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
    })
    .default({}),
  dataDir: z.string().default('./data'),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({}),
});

export type Config = z.infer<typeof configSchema>;
export type SipListenerConfig = z.infer<typeof sipListenerSchema>;

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
