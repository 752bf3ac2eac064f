/**
 * Next-hop resolution of a SIP or SIPS URI (RFC 3263 section 4): the ordered list of destinations
 * (transport, IP address, port) to try in turn.
 *
 * - TARGET is the maddr parameter if present, else the host (4).
 * - Transport (4.1): the transport parameter; else for a numeric IP or an explicit port UDP (sip) or TLS
 *   (sips); else NAPTR (SIP+D2U, SIP+D2T, SIPS+D2T, SIP+D2W, SIPS+D2W of RFC 7118; SIP+D2S is skipped: no
 *   SCTP), then SRV for each supported transport, then UDP/TLS on A/AAAA.
 * - Port and address (4.2): a numeric IP is used as is; an explicit port means A/AAAA only; else SRV
 *   targets in RFC 2782 order; else A/AAAA with the default port.
 * TLS and WSS destinations carry the URI's domain as `serverName` (RFC 5922 section 7).
 */
import { systemClock, type Clock } from '../../lib/index.ts';
import type { SipUri } from '../message/index.ts';
import { defaultPort, ipFamily, stripBrackets, type Destination, type TransportName } from '../transport/index.ts';
import { CachingDns, type DnsCacheOptions } from './dns-cache.ts';
import { systemDns, type DnsLookup, type SrvAnswer } from './dns.ts';
import { ResolverError } from './errors.ts';
import { orderSrv } from './srv-order.ts';

export interface ResolverOptions {
  /** Where queries go; default node:dns/promises. Wrapped in a TTL cache unless `cache` is false. */
  dns?: DnsLookup;
  clock?: Clock;
  cache?: Omit<DnsCacheOptions, 'clock'> | false;
  /** Transports this stack can use, in order of preference (default udp, tcp, tls). */
  transports?: TransportName[];
  /** Address families, in order of preference (default IPv4 then IPv6). */
  families?: Array<4 | 6>;
  /** Longest list returned (default 16). */
  maxDestinations?: number;
  /** For the RFC 2782 weighted order (default Math.random). */
  random?: () => number;
}

/** NAPTR services (RFC 3263 section 4.1, RFC 7118 section 10) and the transports they mean. */
const NAPTR_SERVICES: Record<string, { transport: TransportName; secure: boolean }> = {
  'SIP+D2U': { transport: 'udp', secure: false },
  'SIP+D2T': { transport: 'tcp', secure: false },
  'SIPS+D2T': { transport: 'tls', secure: true },
  'SIP+D2W': { transport: 'ws', secure: false },
  'SIPS+D2W': { transport: 'wss', secure: true },
};

/** SRV owner-name prefixes (RFC 3263 section 4.1; WebSocket names by analogy, RFC 7118 defines none). */
const SRV_PREFIX: Record<TransportName, string> = {
  udp: '_sip._udp.',
  tcp: '_sip._tcp.',
  tls: '_sips._tcp.',
  ws: '_sip._ws.',
  wss: '_sips._ws.',
};

const SECURE: ReadonlySet<TransportName> = new Set(['tls', 'wss']);

export class SipResolver {
  readonly #dns: DnsLookup;
  readonly #transports: TransportName[];
  readonly #families: Array<4 | 6>;
  readonly #max: number;
  readonly #random: () => number;

  constructor(options: ResolverOptions = {}) {
    const source = options.dns ?? systemDns();
    this.#dns = options.cache === false ? source : new CachingDns(source, { ...options.cache, clock: options.clock ?? systemClock });
    this.#transports = options.transports ?? ['udp', 'tcp', 'tls'];
    this.#families = options.families ?? [4, 6];
    this.#max = options.maxDestinations ?? 16;
    this.#random = options.random ?? Math.random;
  }

  /**
   * The destinations to try for `uri`, best first; empty when DNS has nothing. Throws ResolverError
   * (SIP_RESOLVE_UNSUPPORTED) for a URI that cannot be routed: tel:, an unknown or unsupported transport,
   * or sips: over UDP.
   */
  async resolve(uri: SipUri): Promise<Destination[]> {
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips') throw new ResolverError('SIP_RESOLVE_UNSUPPORTED', `cannot route a ${uri.scheme}: URI`);
    const secure = uri.scheme === 'sips';
    const maddr = uri.params['maddr'];
    const target = stripBrackets(maddr ? maddr : uri.host).replace(/\.$/, '');
    if (!target) throw new ResolverError('SIP_RESOLVE_UNSUPPORTED', 'URI without a host');
    const explicit = this.#explicitTransport(uri.params['transport'], secure);
    const fallback = explicit ?? this.#defaultTransport(secure);
    const named = ipFamily(target) === 0;

    if (!named) return [{ transport: fallback, address: target, port: uri.port ?? defaultPort(fallback) }];
    const serverName = target;
    if (uri.port !== undefined) return this.#limit(await this.#addresses(target, fallback, uri.port, serverName));
    if (explicit) {
      const viaSrv = await this.#srv(target, explicit, serverName);
      return this.#limit(viaSrv.length > 0 ? viaSrv : await this.#addresses(target, explicit, defaultPort(explicit), serverName));
    }
    const viaNaptr = await this.#naptr(target, secure, serverName);
    if (viaNaptr.length > 0) return this.#limit(viaNaptr);
    const candidates = this.#transports.filter((t) => !secure || SECURE.has(t));
    const perTransport = await Promise.all(candidates.map((t) => this.#srv(target, t, serverName)));
    const viaSrv = perTransport.flat();
    if (viaSrv.length > 0) return this.#limit(viaSrv);
    return this.#limit(await this.#addresses(target, fallback, defaultPort(fallback), serverName));
  }

  #explicitTransport(param: string | null | undefined, secure: boolean): TransportName | undefined {
    if (param === undefined || param === null) return undefined;
    switch (param.toLowerCase()) {
      case 'udp':
        if (secure) throw new ResolverError('SIP_RESOLVE_UNSUPPORTED', 'a sips: URI cannot use UDP');
        return 'udp';
      case 'tcp':
        return secure ? 'tls' : 'tcp';
      case 'tls':
        return 'tls';
      case 'ws':
        return secure ? 'wss' : 'ws';
      case 'wss':
        return 'wss';
      default:
        throw new ResolverError('SIP_RESOLVE_UNSUPPORTED', `unsupported transport=${param}`);
    }
  }

  /** RFC 3263 section 4.1: UDP for sip (TCP when this stack has no UDP), TLS for sips. */
  #defaultTransport(secure: boolean): TransportName {
    if (secure) return 'tls';
    return this.#transports.includes('udp') || !this.#transports.includes('tcp') ? 'udp' : 'tcp';
  }

  async #naptr(target: string, secure: boolean, serverName: string): Promise<Destination[]> {
    const records = await this.#query(() => this.#dns.naptr(target));
    const usable = records
      .filter((r) => r.flags.toLowerCase() === 's' && r.replacement && r.replacement !== '.')
      .map((r) => ({ record: r, service: NAPTR_SERVICES[r.service.toUpperCase()] }))
      .filter((x): x is { record: typeof x.record; service: { transport: TransportName; secure: boolean } } => x.service !== undefined)
      .filter((x) => (!secure || x.service.secure) && this.#transports.includes(x.service.transport))
      .sort((x, y) => x.record.order - y.record.order || x.record.preference - y.record.preference);
    const out: Destination[] = [];
    for (const { record, service } of usable) {
      const srv = orderSrv(await this.#query(() => this.#dns.srv(record.replacement)), this.#random);
      out.push(...(await this.#expand(srv, service.transport, serverName)));
      if (out.length >= this.#max) break;
    }
    return out;
  }

  async #srv(target: string, transport: TransportName, serverName: string): Promise<Destination[]> {
    const records = await this.#query(() => this.#dns.srv(SRV_PREFIX[transport] + target));
    return this.#expand(orderSrv(records, this.#random), transport, serverName);
  }

  async #expand(records: SrvAnswer[], transport: TransportName, serverName: string): Promise<Destination[]> {
    const lists = await Promise.all(records.map((r) => this.#addresses(r.name.replace(/\.$/, ''), transport, r.port, serverName)));
    return lists.flat();
  }

  async #addresses(host: string, transport: TransportName, port: number, serverName: string): Promise<Destination[]> {
    if (ipFamily(host) !== 0) return [this.#destination(transport, stripBrackets(host), port, serverName)];
    const lists = await Promise.all(this.#families.map((f) => this.#query(() => (f === 4 ? this.#dns.a(host) : this.#dns.aaaa(host)))));
    return lists.flat().map((r) => this.#destination(transport, r.address, port, serverName));
  }

  #destination(transport: TransportName, address: string, port: number, serverName: string): Destination {
    return SECURE.has(transport) ? { transport, address, port, serverName } : { transport, address, port };
  }

  async #query<T>(run: () => Promise<T[]>): Promise<T[]> {
    try {
      return await run();
    } catch {
      return [];
    }
  }

  #limit(list: Destination[]): Destination[] {
    const seen = new Set<string>();
    const out: Destination[] = [];
    for (const d of list) {
      const key = `${d.transport}|${d.address}|${d.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
      if (out.length >= this.#max) break;
    }
    return out;
  }
}
