/**
 * The resolved view of one m= section as the call core needs it: the effective connection (media c=
 * over session c=, RFC 8866 section 5.7), the effective direction (media over session attribute,
 * sendrecv by default, RFC 3264 section 5.1), hold detection (a=sendonly, a=inactive, or the RFC 2543
 * c=0.0.0.0 form, RFC 3264 section 8.4), telephone-event formats (RFC 4733 section 7.1) and the
 * transport attributes merged from both levels (session values apply to every m= line, RFC 8839).
 */
import { isTelephoneEvent } from './codec-catalog.ts';
import { directionFlags, directionOf, isHoldDirection } from './direction.ts';
import type {
  RtpPayload, SdpConnection, SdpDirection, SdpMedia, SdpRtcp, SdpSession, SdpTransportAttributes,
} from './sdp-model.ts';

export interface MediaView {
  readonly index: number;
  readonly media: SdpMedia;
  readonly type: string;
  readonly protocol: string;
  readonly port: number;
  /** Media-level c= or, failing that, session-level c=. */
  readonly connection: SdpConnection | undefined;
  /** Direction attribute at media level, else session level, else sendrecv. */
  readonly direction: SdpDirection;
  /**
   * c=0.0.0.0 (or ::) without ICE: the RFC 2543 way of saying "do not send to me". With ICE the same
   * address is only the placeholder default candidate before any is gathered (RFC 8840), not hold.
   */
  readonly legacyHold: boolean;
  /** The direction with c=0.0.0.0 taken into account (the author does not receive). */
  readonly effectiveDirection: SdpDirection;
  /** The author holds the stream: a=sendonly, a=inactive or c=0.0.0.0. */
  readonly hold: boolean;
  readonly payloads: readonly RtpPayload[];
  readonly telephoneEvents: readonly RtpPayload[];
  readonly ptime: number | undefined;
  readonly maxptime: number | undefined;
  readonly rtcp: SdpRtcp | undefined;
  readonly rtcpMux: boolean;
  readonly transport: SdpTransportAttributes;
}

function isNullAddress(c: SdpConnection | undefined): boolean {
  return c !== undefined && (c.address === '0.0.0.0' || c.address === '::');
}

/** Session-level transport values fill in what the m= section does not say. */
export function mergeTransport(session: SdpTransportAttributes, media: SdpTransportAttributes): SdpTransportAttributes {
  const list = (m: readonly string[], s: readonly string[]): readonly string[] => (m.length > 0 ? m : s);
  return {
    mid: media.mid,
    iceUfrag: media.iceUfrag ?? session.iceUfrag,
    icePwd: media.icePwd ?? session.icePwd,
    iceOptions: media.iceOptions ?? session.iceOptions,
    iceLite: media.iceLite || session.iceLite,
    candidates: list(media.candidates, session.candidates),
    endOfCandidates: media.endOfCandidates || session.endOfCandidates,
    fingerprints: list(media.fingerprints, session.fingerprints),
    setup: media.setup ?? session.setup,
    ssrcs: media.ssrcs,
    ssrcGroups: media.ssrcGroups,
    crypto: media.crypto,
  };
}

/** The resolved view of the m= section at `index`, or undefined when there is none. */
export function viewMedia(session: SdpSession, index: number): MediaView | undefined {
  const media = session.media[index];
  if (!media) return undefined;
  const connection = media.connection ?? session.connection;
  const direction = media.direction ?? session.direction ?? 'sendrecv';
  const transport = mergeTransport(session.transport, media.transport);
  const legacyHold = isNullAddress(connection) && transport.iceUfrag === undefined;
  const flags = directionFlags(direction);
  const effectiveDirection = directionOf({ send: flags.send, recv: flags.recv && !legacyHold });
  return {
    index,
    media,
    type: media.type,
    protocol: media.protocol,
    port: media.port,
    connection,
    direction,
    legacyHold,
    effectiveDirection,
    hold: legacyHold || isHoldDirection(direction),
    payloads: media.payloads,
    telephoneEvents: media.payloads.filter(isTelephoneEvent),
    ptime: media.ptime,
    maxptime: media.maxptime,
    rtcp: media.rtcp,
    rtcpMux: media.rtcpMux,
    transport,
  };
}

/** Resolved views of every audio m= section, in order (including rejected ones, port 0). */
export function audioStreams(session: SdpSession): MediaView[] {
  const out: MediaView[] = [];
  session.media.forEach((m, i) => {
    const view = m.type.toLowerCase() === 'audio' ? viewMedia(session, i) : undefined;
    if (view) out.push(view);
  });
  return out;
}
