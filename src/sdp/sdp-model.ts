/**
 * The typed model of a session description: the fields of RFC 8866 (which obsoletes RFC 4566) that
 * offer/answer (RFC 3264) and the call core use, with everything else kept as untouched attribute text so
 * that a WebRTC endpoint can read ICE (RFC 8839), DTLS (RFC 8842), BUNDLE (RFC 8843) and SSRC (RFC 5576)
 * attributes, and so that lines this module does not model survive a parse/write round trip.
 *
 * Objects are plain data with every key present (absent values are `undefined`), so two parses of the
 * same text are deep-equal.
 */

/** RFC 3264 section 5.1 stream direction attributes. */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** RFC 8866 section 5.7 address types. */
export type AddressFamily = 'IP4' | 'IP6';

/** A c= line (RFC 8866 section 5.7); the address is an IP literal of the stated family. */
export interface SdpConnection {
  readonly family: AddressFamily;
  readonly address: string;
}

/** The o= line (RFC 8866 section 5.2). Id and version are decimal strings: they may exceed 2^53. */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly family: AddressFamily;
  readonly address: string;
}

/** An a= line kept as text: `a=<name>` or `a=<name>:<value>`. */
export interface SdpAttribute {
  readonly name: string;
  readonly value: string | undefined;
}

/**
 * One RTP payload format of an m= line: from a=rtpmap (RFC 8866 section 6.6), or from the static table
 * of RFC 3551 section 6 when a static payload type has no rtpmap, plus its a=fmtp (section 6.15).
 */
export interface RtpPayload {
  readonly pt: number;
  /** Encoding name as written (case kept); undefined for a dynamic type without rtpmap. */
  readonly encoding: string | undefined;
  readonly clockRate: number | undefined;
  /** Audio channels (rtpmap encoding parameter); 1 when absent. */
  readonly channels: number;
  readonly fmtp: string | undefined;
  /** Whether the description carried an a=rtpmap for it (static types may omit it). */
  readonly rtpmap: boolean;
}

/** RFC 3605 a=rtcp: the RTCP port, and address when it differs from c=. */
export interface SdpRtcp {
  readonly port: number;
  readonly connection: SdpConnection | undefined;
}

/**
 * Transport attributes kept verbatim (values are the text after `name:`): ICE (RFC 8839), DTLS
 * fingerprint and setup (RFC 8122, RFC 4145), mid (RFC 5888), SSRC (RFC 5576), SDES crypto (RFC 4568).
 */
export interface SdpTransportAttributes {
  readonly mid: string | undefined;
  readonly iceUfrag: string | undefined;
  readonly icePwd: string | undefined;
  readonly iceOptions: string | undefined;
  readonly iceLite: boolean;
  readonly candidates: readonly string[];
  readonly endOfCandidates: boolean;
  readonly fingerprints: readonly string[];
  readonly setup: string | undefined;
  readonly ssrcs: readonly string[];
  readonly ssrcGroups: readonly string[];
  readonly crypto: readonly string[];
}

/** One m= section (RFC 8866 section 5.14) with its media-level fields. */
export interface SdpMedia {
  /** Media type token: audio, video, application, image, text, message. */
  readonly type: string;
  readonly port: number;
  /** Transport protocol as written: RTP/AVP, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, udptl ... */
  readonly protocol: string;
  /** The fmt list as written (payload type numbers for RTP, other tokens otherwise). */
  readonly formats: readonly string[];
  /** Media-level c=, when present. */
  readonly connection: SdpConnection | undefined;
  /** Media-level direction attribute, when present. */
  readonly direction: SdpDirection | undefined;
  /** One entry per format for RTP protocols (same order); empty for other protocols. */
  readonly payloads: readonly RtpPayload[];
  readonly ptime: number | undefined;
  readonly maxptime: number | undefined;
  readonly rtcp: SdpRtcp | undefined;
  /** RFC 5761 a=rtcp-mux. */
  readonly rtcpMux: boolean;
  /** b= lines as `<type>:<bandwidth>`. */
  readonly bandwidth: readonly string[];
  readonly transport: SdpTransportAttributes;
  /** Every other a= line of the section, in order, without exact duplicates. */
  readonly attributes: readonly SdpAttribute[];
}

/** A whole session description. */
export interface SdpSession {
  readonly origin: SdpOrigin;
  /** s= (RFC 8866 section 5.3). */
  readonly name: string;
  /** Session-level c=, when present. */
  readonly connection: SdpConnection | undefined;
  /** Session-level direction attribute, when present. */
  readonly direction: SdpDirection | undefined;
  readonly bandwidth: readonly string[];
  /** RFC 5888 a=group values, e.g. `BUNDLE 0 1`. */
  readonly groups: readonly string[];
  /** Session-level transport attributes (ICE and DTLS may sit here). */
  readonly transport: SdpTransportAttributes;
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly SdpMedia[];
}

export const SDP_DIRECTIONS: readonly SdpDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function isSdpDirection(value: unknown): value is SdpDirection {
  return typeof value === 'string' && (SDP_DIRECTIONS as readonly string[]).includes(value);
}

/** A transport attribute set with nothing in it. */
export function emptyTransport(): SdpTransportAttributes {
  return {
    mid: undefined, iceUfrag: undefined, icePwd: undefined, iceOptions: undefined, iceLite: false,
    candidates: [], endOfCandidates: false, fingerprints: [], setup: undefined, ssrcs: [], ssrcGroups: [],
    crypto: [],
  };
}

/** Whether a transport protocol carries RTP (RFC 3551 AVP and its secure/feedback/DTLS variants). */
export function isRtpProtocol(protocol: string): boolean {
  return /(^|\/)RTP\//i.test(protocol);
}
