/**
 * Building the m= sections and session of our own descriptions (RFC 3264 sections 5 and 6): an active
 * audio section with rtpmap for every format (RFC 8866 section 6.6, also for static types, which many
 * peers expect), fmtp, ptime, an explicit direction and rtcp-mux when used; a rejected section (port 0,
 * the offered format list, RFC 3264 section 6); and the session part with c= at session level and t=0 0.
 */
import { CODECS, type CodecName, TELEPHONE_EVENT, staticFormat } from './codec-catalog.ts';
import {
  type RtpPayload, type SdpConnection, type SdpDirection, type SdpMedia, type SdpOrigin, type SdpSession,
  type SdpTransportAttributes, emptyTransport, isRtpProtocol,
} from './sdp-model.ts';

/** A format as a description without rtpmap lines reads back: static types known, others not. */
export function bareFormat(pt: number): RtpPayload {
  const known = staticFormat(pt);
  return known
    ? { pt, ...known, fmtp: undefined, rtpmap: false }
    : { pt, encoding: undefined, clockRate: undefined, channels: 1, fmtp: undefined, rtpmap: false };
}

export function codecPayload(name: CodecName, pt: number, clockRate: number, fmtp: string | undefined): RtpPayload {
  return { pt, encoding: CODECS[name].name, clockRate, channels: CODECS[name].channels, fmtp, rtpmap: true };
}

export function telephoneEventPayload(pt: number, clockRate: number, fmtp: string | undefined): RtpPayload {
  return { pt, encoding: TELEPHONE_EVENT, clockRate, channels: 1, fmtp, rtpmap: true };
}

export interface AudioSectionSpec {
  readonly protocol: string;
  readonly port: number;
  readonly payloads: readonly RtpPayload[];
  readonly ptime: number;
  readonly direction: SdpDirection;
  readonly rtcpMux: boolean;
  readonly transport: SdpTransportAttributes;
}

export function audioSection(spec: AudioSectionSpec): SdpMedia {
  return {
    type: 'audio',
    port: spec.port,
    protocol: spec.protocol,
    formats: spec.payloads.map((p) => String(p.pt)),
    connection: undefined,
    direction: spec.direction,
    payloads: spec.payloads,
    ptime: spec.ptime,
    maxptime: undefined,
    rtcp: undefined,
    rtcpMux: spec.rtcpMux,
    bandwidth: [],
    transport: spec.transport,
    attributes: [],
  };
}

/** A declined stream: port 0, the same media type, protocol and formats, and its mid if it had one. */
export function rejectedSection(media: SdpMedia): SdpMedia {
  const rtp = isRtpProtocol(media.protocol);
  return {
    type: media.type,
    port: 0,
    protocol: media.protocol,
    formats: media.formats,
    connection: undefined,
    direction: undefined,
    payloads: rtp ? media.formats.map((f) => bareFormat(Number(f))) : [],
    ptime: undefined,
    maxptime: undefined,
    rtcp: undefined,
    rtcpMux: false,
    bandwidth: [],
    transport: { ...emptyTransport(), mid: media.transport.mid },
    attributes: [],
  };
}

export interface LocalSessionSpec {
  readonly origin: SdpOrigin;
  readonly name: string;
  readonly connection: SdpConnection;
  readonly groups: readonly string[];
  readonly iceLite: boolean;
  readonly media: readonly SdpMedia[];
}

export function localSession(spec: LocalSessionSpec): SdpSession {
  return {
    origin: spec.origin,
    name: spec.name,
    connection: spec.connection,
    direction: undefined,
    bandwidth: [],
    groups: spec.groups,
    transport: { ...emptyTransport(), iceLite: spec.iceLite },
    attributes: [],
    media: spec.media,
  };
}

/** Media-level transport attributes we advertise (ice-lite goes to session level). */
export function localMediaTransport(local: SdpTransportAttributes, mid: string | undefined): SdpTransportAttributes {
  return { ...local, iceLite: false, mid };
}

/**
 * RFC 8843 BUNDLE: keep, from the peer's groups, a BUNDLE group holding the accepted mid, reduced to
 * the mids that remain active.
 */
export function bundleGroups(groups: readonly string[], activeMids: readonly string[]): string[] {
  const out: string[] = [];
  for (const group of groups) {
    const [semantics, ...mids] = group.split(/ +/);
    if (semantics !== 'BUNDLE') continue;
    const kept = mids.filter((m) => activeMids.includes(m));
    if (kept.length > 0) out.push(`BUNDLE ${kept.join(' ')}`);
  }
  return out;
}
