/** RFC 3263 section 4 next-hop resolution: SIP/SIPS URI -> ordered destinations, over a cached DNS. */
export { SipResolver, type ResolverOptions } from './resolver.ts';
export { ResolverError, type ResolverErrorCode } from './errors.ts';
export { systemDns, type DnsLookup, type NaptrAnswer, type SrvAnswer, type AddressAnswer, type SystemDnsOptions } from './dns.ts';
export { CachingDns, type DnsCacheOptions } from './dns-cache.ts';
export { orderSrv } from './srv-order.ts';
