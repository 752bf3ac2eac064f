/**
 * The SIP message model (RFC 3261 section 7, 20 and 25). This file is the contract between the parser,
 * the transaction layer, dialogs and everything above them.
 *
 * Headers are kept as raw text in arrival order and parsed lazily: a proxy that forwards a message pays
 * only for the headers it looks at. Parameter names are lower-cased; a parameter without a value
 * (`;lr`, `;rport`) maps to null. URI parameters are unescaped; a header parameter whose value was a
 * quoted-string keeps its quotes (`;+sip.instance="<urn:...>"`), so it is written back unchanged.
 */

export type Params = Record<string, string | null>;

/** The schemes whose URIs are parsed into parts. */
export type KnownUriScheme = 'sip' | 'sips' | 'tel';

/**
 * Lower-case URI scheme. Any other absolute URI (RFC 3261 section 19.1: `absoluteURI` in a Request-URI,
 * To, From or Contact, e.g. "http:", "urn:", "isbn:") keeps its own scheme name and its text in `opaque`.
 */
export type UriScheme = KnownUriScheme | (string & {});

/**
 * RFC 3261 section 19.1 SIP/SIPS URI, or an RFC 3966 tel URI (number in `user`, host empty), or another
 * absolute URI kept opaque (host empty, `opaque` set).
 */
export interface SipUri {
  scheme: UriScheme;
  /** Unescaped user part (or the telephone number of a tel URI). */
  user?: string;
  password?: string;
  /** Host name, IPv4 address, or IPv6 reference *with* brackets ("[::1]"). Empty for tel URIs. */
  host: string;
  port?: number;
  params: Params;
  /** URI headers (`?subject=x`), unescaped. */
  headers: Record<string, string>;
  /** For a URI of a scheme other than sip, sips and tel: everything after "scheme:", as received. */
  opaque?: string;
}

/** name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route, Refer-To...). */
export interface NameAddr {
  displayName?: string;
  uri: SipUri;
  params: Params;
}

/** A Contact value: either a name-addr or the `*` of an unregister-all REGISTER. */
export type ContactValue = NameAddr | '*';

/** RFC 3261 section 20.42 Via, with RFC 3581 rport (null when present without value). */
export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-case transport token: UDP, TCP, TLS, WS, WSS, SCTP... */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** Which transport a message came in on / goes out on, and the peer. */
export type TransportName = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
