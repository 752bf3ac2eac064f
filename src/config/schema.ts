/**
 * The configuration schema. Every setting has a safe default so `switchboard start` runs with no
 * configuration at all: SIP on 127.0.0.1:5060 over UDP and TCP, data in ./data.
 */
import { z } from 'zod';

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
       * Digest algorithms offered in challenges, one WWW-Authenticate each, in this order. MD5 comes
       * first by default because many deployed clients answer only the first challenge and know only MD5;
       * put SHA-256 first to follow RFC 8760's preference order.
       */
      digestAlgorithms: z.array(z.enum(['MD5', 'SHA-256', 'SHA-512-256'])).min(1).default(['MD5', 'SHA-256']),
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
