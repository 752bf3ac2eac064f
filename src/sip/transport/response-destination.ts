/**
 * Where responses go (RFC 3261 section 18.2.2, RFC 3581 section 4) and what a server adds to the top Via
 * of a request on receipt (RFC 3261 section 18.2.1: `received`; RFC 3581 section 4: `rport`). Pure.
 */
import type { Params, Via } from '../message/index.ts';
import { ipFamily, sameAddress, stripBrackets } from './ip-address.ts';
import type { Destination, TransportName } from './types.ts';

/**
 * The port a sent-by or URI without a port means: 5060 for UDP and TCP, 5061 for TLS (RFC 3261 section
 * 19.1.2); 80 and 443 for WS and WSS (the RFC 6455 defaults, as RFC 7118 defines none).
 */
export function defaultPort(transport: TransportName): number {
  switch (transport) {
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
    default:
      return 5060;
  }
}

function udpDestination(address: string, port: number, local: Destination['local']): Destination {
  return local ? { transport: 'udp', address, port, local } : { transport: 'udp', address, port };
}

function ipParam(params: Params, name: string): string | undefined {
  const value = params[name];
  return value && ipFamily(value) !== 0 ? stripBrackets(value) : undefined;
}

function portParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (!value || !/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port > 0 && port < 65536 ? port : undefined;
}

/**
 * The parameters to set on the top Via of a request that arrived from `source`: `received` when the
 * sent-by host is a name or another address, and whenever `rport` asks for symmetric response routing;
 * `rport=<source port>` when `rport` is present without a value. Empty when nothing is to be added.
 */
export function viaReceiptParams(via: Via, source: Destination): Params {
  const out: Params = {};
  const rportRequested = Object.hasOwn(via.params, 'rport') && via.params['rport'] === null;
  const host = stripBrackets(via.host);
  if (rportRequested || ipFamily(host) === 0 || !sameAddress(host, source.address)) out['received'] = source.address;
  if (rportRequested) out['rport'] = String(source.port);
  return out;
}

/**
 * A copy of `via` with the receipt parameters of viaReceiptParams applied; `via` itself when there are
 * none to add (so that a caller can tell, by identity, that the Via needs no rewriting).
 */
export function withReceiptParams(via: Via, source: Destination): Via {
  const receipt = viaReceiptParams(via, source);
  if (receipt['received'] === undefined && receipt['rport'] === undefined) return via;
  return { ...via, params: { ...via.params, ...receipt } };
}

/**
 * Where to send responses to a request whose top Via is `via` and which arrived from `source`.
 *
 * Reliable transports: the connection the request came on (`connectionId`); when it is gone the manager
 * falls back to the `received` address (else the source address) and the sent-by port (else the default),
 * which it reuses or connects to; a WS/WSS flow that is gone cannot be reconnected.
 * UDP: `maddr` (an IP literal) with the sent-by port; else with `rport=<port>` (or a bare `rport`, i.e. not
 * yet stamped) the source address and that port; else `received` (else the source address) and the
 * sent-by port, default 5060. UDP responses leave from the listener the request arrived on.
 * Parameter values that are not valid addresses or ports are ignored.
 */
export function responseDestination(via: Via, source: Destination): Destination {
  const params = via.params;
  const received = ipParam(params, 'received');
  const sentByPort = via.port ?? defaultPort(source.transport);
  if (source.transport !== 'udp') {
    return {
      transport: source.transport,
      address: received ?? source.address,
      port: sentByPort,
      ...(source.connectionId !== undefined ? { connectionId: source.connectionId } : {}),
    };
  }
  // The listener's own address object is shared, not copied: a server transaction keeps its response
  // destination for as long as it waits out Timer J or L.
  const maddr = ipParam(params, 'maddr');
  if (maddr) return udpDestination(maddr, sentByPort, source.local);
  if (Object.hasOwn(params, 'rport')) {
    const rport = params['rport'] === null ? source.port : portParam(params, 'rport');
    if (rport !== undefined) return udpDestination(received ?? source.address, rport, source.local);
  }
  return udpDestination(received ?? source.address, sentByPort, source.local);
}
