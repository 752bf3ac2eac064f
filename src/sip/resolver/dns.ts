/**
 * The DNS queries that RFC 3263 section 4 needs (NAPTR, RFC 3403; SRV, RFC 2782; A; AAAA), as a small
 * injectable interface, and its default on node:dns/promises. A name with no records of the type (or no
 * such name) answers an empty list; other failures (timeout, SERVFAIL) reject.
 */
import { lookup, Resolver } from 'node:dns/promises';

export interface NaptrAnswer {
  order: number;
  preference: number;
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  /** Seconds, when the source knows it. */
  ttl?: number;
}

export interface SrvAnswer {
  priority: number;
  weight: number;
  port: number;
  /** Target host ("." means the service is not offered). */
  name: string;
  ttl?: number;
}

export interface AddressAnswer {
  address: string;
  ttl?: number;
}

export interface DnsLookup {
  naptr(name: string): Promise<NaptrAnswer[]>;
  srv(name: string): Promise<SrvAnswer[]>;
  a(name: string): Promise<AddressAnswer[]>;
  aaaa(name: string): Promise<AddressAnswer[]>;
}

const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN', 'ENONAME']);

async function orEmpty<T>(query: Promise<T[]>): Promise<T[]> {
  try {
    return await query;
  } catch (err) {
    if (err instanceof Error && ABSENT.has((err as NodeJS.ErrnoException).code ?? '')) return [];
    throw err;
  }
}

export interface SystemDnsOptions {
  /** Per-query timeout in ms (default 2000). */
  timeout?: number;
  /** Attempts per name server (default 2). */
  tries?: number;
  /** Name servers ("ip" or "ip:port"); default: the system's. */
  servers?: string[];
}

/**
 * DNS through node:dns/promises (c-ares). A and AAAA carry record TTLs; a name that DNS does not know is
 * also looked up through the system resolver (hosts file), without a TTL.
 */
export function systemDns(options: SystemDnsOptions = {}): DnsLookup {
  const resolver = new Resolver({ timeout: options.timeout ?? 2000, tries: options.tries ?? 2 });
  if (options.servers) resolver.setServers(options.servers);
  const addresses = async (name: string, family: 4 | 6): Promise<AddressAnswer[]> => {
    const records = await orEmpty(family === 4 ? resolver.resolve4(name, { ttl: true }) : resolver.resolve6(name, { ttl: true }));
    if (records.length > 0) return records;
    const local = await orEmpty(lookup(name, { family, all: true }));
    return local.map((r) => ({ address: r.address }));
  };
  return {
    naptr: (name) => orEmpty(resolver.resolveNaptr(name)),
    srv: (name) => orEmpty(resolver.resolveSrv(name)),
    a: (name) => addresses(name, 4),
    aaaa: (name) => addresses(name, 6),
  };
}
