/**
 * Carriers (SIP trunks) for `phone` dial targets and REST calls (specs/jambonz.md §3.A dial target
 * `type: phone` with optional `trunk`; §2.6 `to.trunk`): a number is sent to the named carrier, or the
 * default one, as `sip:<number>@<host>` with the carrier's digest credentials (answered on 401/407 by
 * the SIP endpoint, RFC 3261 section 22.2). Numbers are normalized as the carrier wants them: a leading
 * `+` dropped unless `keepPlus`, then `prefix` prepended. Inbound recognition: by source address
 * (`carrierOfAddress`), else by the realm the carrier sends to, the Request-URI's host (`carrierOfRealm`:
 * carriers whose calls come from changing addresses, sent to a domain name of this server). Pure: the
 * carrier list comes from the configuration.
 */
export interface CarrierConfig {
  name: string;
  /** `host[:port]` of the carrier's SIP server. */
  host: string;
  transport?: 'udp' | 'tcp' | 'tls' | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Keep a leading `+` on dialed numbers (default: dropped). */
  keepPlus?: boolean | undefined;
  /** Prepended to every dialed number (after the `+` is dropped). */
  prefix?: string | undefined;
  /** Caller id user part for calls through this carrier (default: the call's own). */
  fromUser?: string | undefined;
  /** Source addresses (IPs) whose INVITEs come from this carrier. */
  inboundAddresses?: readonly string[] | undefined;
  /** Request-URI hosts (a domain name of this server) that only this carrier sends to. */
  inboundRealms?: readonly string[] | undefined;
  /** The carrier used when a phone target names none (default: the first). */
  default?: boolean | undefined;
}

export interface CarrierRoute {
  carrier: string;
  target: string;
  /** The number as dialed (normalized). */
  number: string;
  variables: Record<string, string>;
  auth?: { username: string; password: string };
  fromUser?: string;
}

export interface CarrierDirectory {
  /** The route of a phone number through `trunk` (a carrier name) or the default carrier. */
  route(number: string, trunk?: string): CarrierRoute | undefined;
  /** The carrier an inbound call from `address` comes through. */
  carrierOfAddress(address: string): string | undefined;
  /** The carrier whose calls are sent to `host` (case-insensitive). */
  carrierOfRealm(host: string): string | undefined;
}

const NUMBER = /^\+?[0-9*#]{1,32}$/;

/** The number as `carrier` wants it dialed, or undefined when it is not a phone number. */
export function normalizeNumber(number: string, carrier: Pick<CarrierConfig, 'keepPlus' | 'prefix'>): string | undefined {
  const compact = number.replace(/[\s().-]/g, '');
  if (!NUMBER.test(compact)) return undefined;
  const bare = carrier.keepPlus ? compact : compact.replace(/^\+/, '');
  return `${carrier.prefix ?? ''}${bare}`;
}

export function carrierDirectory(carriers: readonly CarrierConfig[]): CarrierDirectory {
  const byName = new Map(carriers.map((c) => [c.name.toLowerCase(), c]));
  const fallback = carriers.find((c) => c.default) ?? carriers[0];
  return {
    route(number, trunk) {
      const carrier = trunk === undefined ? fallback : byName.get(trunk.toLowerCase());
      if (!carrier) return undefined;
      const dialed = normalizeNumber(number, carrier);
      if (dialed === undefined) return undefined;
      const params = carrier.transport && carrier.transport !== 'udp' ? `;transport=${carrier.transport}` : '';
      const scheme = carrier.transport === 'tls' ? 'sips' : 'sip';
      const variables: Record<string, string> = { sip_carrier: carrier.name };
      const route: CarrierRoute = { carrier: carrier.name, target: `${scheme}:${dialed}@${carrier.host}${params}`, number: dialed, variables };
      if (carrier.username !== undefined && carrier.password !== undefined) route.auth = { username: carrier.username, password: carrier.password };
      if (carrier.fromUser !== undefined) route.fromUser = carrier.fromUser;
      return route;
    },
    carrierOfAddress(address) {
      return carriers.find((c) => c.inboundAddresses?.includes(address))?.name;
    },
    carrierOfRealm(host) {
      const h = host.toLowerCase();
      return h === '' ? undefined : carriers.find((c) => c.inboundRealms?.some((r) => r.toLowerCase() === h))?.name;
    },
  };
}
