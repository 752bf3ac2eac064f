/**
 * Local media capabilities that offers and answers are built from: our RTP address and port, the codec
 * preference list (configuration), telephone-event (RFC 4733 section 7.1), packetization (RFC 8866
 * section 6.4 ptime), accepted transport protocols (RFC 3551 RTP/AVP, RFC 4585 RTP/AVPF, RFC 3711
 * RTP/SAVP, RFC 5124 RTP/SAVPF, RFC 5764 UDP/TLS/RTP/SAVPF), RFC 5761 rtcp-mux and transport attributes
 * to advertise (ICE and DTLS values a WebRTC endpoint supplies).
 */
import { isIP } from 'node:net';
import { SdpError } from './sdp-error.ts';
import { type CodecName, DYNAMIC_PT_MAX, DYNAMIC_PT_MIN } from './codec-catalog.ts';
import { type CodecPreference, parseCodecPreferences } from './codec-preferences.ts';
import {
  type SdpConnection, type SdpDirection, type SdpTransportAttributes, emptyTransport, isSdpDirection,
} from './sdp-model.ts';

/**
 * Whose order wins among codecs both sides support (RFC 3264 section 6.1 allows either): the offerer's
 * (default) or ours.
 */
export type CodecPolicy = 'offerer' | 'local';

export interface LocalTelephoneEvent {
  /** Payload type offered for telephone-event at the first codec's clock rate; default 101. */
  readonly pt?: number;
  /** Events we receive (fmtp); default `0-16`. */
  readonly events?: string;
}

export interface LocalMediaConfig {
  /** Our RTP address (IPv4 or IPv6 literal), written in o= and c=. */
  readonly address: string;
  /** Our RTP port. */
  readonly port: number;
  /** Codec preference list, e.g. ['PCMU', 'PCMA', 'G722', 'L16/16000', 'opus']. */
  readonly codecs: readonly string[];
  readonly codecPolicy?: CodecPolicy;
  /** fmtp to offer per codec (e.g. opus `minptime=10;useinbandfec=1`); answers echo the offerer's. */
  readonly fmtp?: Readonly<Partial<Record<CodecName, string>>>;
  /** telephone-event settings, or false to neither offer nor accept it. */
  readonly telephoneEvent?: false | LocalTelephoneEvent;
  /**
   * Accept telephone-event/8000 when the offer has none at the chosen codec's clock rate (some phones
   * offer opus with telephone-event/8000 only); default true.
   */
  readonly telephoneEventRateFallback?: boolean;
  /** Packetization we offer and fall back to, in ms; default 20. */
  readonly ptime?: number;
  /** Packetizations we can honour when an offer asks for one; default 10, 20, 30, 40, 50, 60. */
  readonly ptimes?: readonly number[];
  /** Transport protocols we accept, first one offered; default RTP/AVP, RTP/AVPF. */
  readonly protocols?: readonly string[];
  /** Whether we can multiplex RTCP on the RTP port (RFC 5761); default false. */
  readonly rtcpMux?: boolean;
  /** Transport attributes to advertise in our m= lines (ICE, DTLS, ssrc); mid is taken from the offer. */
  readonly transport?: Partial<SdpTransportAttributes>;
  /** Direction we want when not holding, e.g. recvonly for a listen-only leg; default sendrecv. */
  readonly direction?: SdpDirection;
  /** s= value; default `-`. */
  readonly sessionName?: string;
  /** o= username; default `-`. */
  readonly username?: string;
}

export interface ResolvedLocalMedia {
  readonly connection: SdpConnection;
  readonly port: number;
  readonly prefs: readonly CodecPreference[];
  readonly policy: CodecPolicy;
  readonly fmtp: Readonly<Partial<Record<CodecName, string>>>;
  readonly telephoneEvent: { readonly pt: number; readonly events: string } | undefined;
  readonly telephoneEventRateFallback: boolean;
  readonly ptime: number;
  readonly ptimes: readonly number[];
  readonly protocols: readonly string[];
  readonly rtcpMux: boolean;
  readonly transport: SdpTransportAttributes;
  readonly direction: SdpDirection;
  readonly sessionName: string;
  readonly username: string;
}

export const DEFAULT_PROTOCOLS: readonly string[] = ['RTP/AVP', 'RTP/AVPF'];
export const DEFAULT_PTIMES: readonly number[] = [10, 20, 30, 40, 50, 60];
export const DEFAULT_TELEPHONE_EVENT_PT = 101;
export const DEFAULT_TELEPHONE_EVENTS = '0-16';

function config(message: string): never {
  throw new SdpError('SDP_CONFIG', message);
}

function isToken(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/** Applies defaults and checks local settings; throws SdpError SDP_CONFIG. */
export function resolveLocalMedia(local: LocalMediaConfig): ResolvedLocalMedia {
  const version = isIP(local.address);
  if (version === 0) config(`local media address "${local.address}" is not an IP literal`);
  if (!Number.isInteger(local.port) || local.port < 1 || local.port > 65535) config(`local RTP port ${local.port} is out of range`);
  const te = local.telephoneEvent === false ? undefined : local.telephoneEvent ?? {};
  const tePt = te?.pt ?? DEFAULT_TELEPHONE_EVENT_PT;
  if (te && (!Number.isInteger(tePt) || tePt < DYNAMIC_PT_MIN || tePt > DYNAMIC_PT_MAX)) {
    config(`telephone-event payload type ${tePt} is not dynamic (96-127)`);
  }
  const events = te?.events ?? DEFAULT_TELEPHONE_EVENTS;
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(events)) config(`telephone-event events "${events}" is not a list like 0-16`);
  const ptimes = local.ptimes ?? DEFAULT_PTIMES;
  const ptime = local.ptime ?? 20;
  if (!ptimes.every((p) => Number.isInteger(p) && p > 0)) config('ptimes must be positive integers (ms)');
  if (!ptimes.includes(ptime)) config(`ptime ${ptime} is not in the supported ptimes ${ptimes.join(', ')}`);
  const protocols = local.protocols ?? DEFAULT_PROTOCOLS;
  if (protocols.length === 0 || !protocols.every(isToken)) config('protocols must be a non-empty list of tokens');
  const direction = local.direction ?? 'sendrecv';
  if (!isSdpDirection(direction)) config(`direction "${String(direction)}" is not an SDP direction`);
  const sessionName = local.sessionName ?? '-';
  const username = local.username ?? '-';
  if (!isToken(username)) config(`o= username "${username}" must be a token without spaces`);
  if (/[\r\n]/.test(sessionName)) config('session name must be one line');
  for (const [name, value] of Object.entries(local.fmtp ?? {})) {
    if (value !== undefined && /[\r\n]/.test(value)) config(`fmtp for ${name} must be one line`);
  }
  return {
    connection: { family: version === 4 ? 'IP4' : 'IP6', address: local.address },
    port: local.port,
    prefs: parseCodecPreferences(local.codecs),
    policy: local.codecPolicy ?? 'offerer',
    fmtp: local.fmtp ?? {},
    telephoneEvent: te ? { pt: tePt, events } : undefined,
    telephoneEventRateFallback: local.telephoneEventRateFallback ?? true,
    ptime,
    ptimes,
    protocols,
    rtcpMux: local.rtcpMux ?? false,
    transport: { ...emptyTransport(), ...local.transport },
    direction,
    sessionName: sessionName === '' ? '-' : sessionName,
    username,
  };
}

/** Whether we accept a transport protocol (compared case-insensitively). */
export function supportsProtocol(local: ResolvedLocalMedia, protocol: string): boolean {
  const lower = protocol.toLowerCase();
  return local.protocols.some((p) => p.toLowerCase() === lower);
}
