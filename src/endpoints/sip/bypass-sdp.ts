/**
 * Session descriptions handed from one party to the other while the server takes itself out of the
 * media path (media bypass, RFC 3264 offer/answer carried by third-party call control as in RFC 3725
 * section 4.1): the other party's description with our o= line, so each far end keeps seeing one
 * session from us whose version goes up with every change (RFC 3264 section 8). Pure: no I/O.
 */
import { nextVersion, parseSdp, writeSdp, type SdpOrigin, type SdpSession } from '../../sdp/index.ts';

/** Where a description sends its first audio stream: the c= address and the m= port. */
export interface MediaTarget {
  address: string;
  port: number;
}

/** Our o= line towards one far end, its version going up by one per description sent. */
export class OriginCounter {
  #origin: SdpOrigin;

  constructor(origin: SdpOrigin) {
    this.#origin = origin;
  }

  /** The last o= line sent (or the one we started from). */
  get current(): SdpOrigin {
    return this.#origin;
  }

  /** The o= line of the next description: the version one higher. */
  next(): SdpOrigin {
    this.#origin = { ...this.#origin, sessionVersion: nextVersion(this.#origin.sessionVersion) };
    return this.#origin;
  }
}

/** Parses an SDP body (throws SdpError for a malformed one). */
export function sessionOf(sdp: string | SdpSession): SdpSession {
  return typeof sdp === 'string' ? parseSdp(sdp) : sdp;
}

/** The other party's description, carrying `origin` as its o= line, as text ready to send. */
export function retargetSdp(peer: string | SdpSession, origin: SdpOrigin): string {
  const session = sessionOf(peer);
  return writeSdp({ ...session, origin });
}

/** The address and port of the first audio stream (media-level c= first, then session-level). */
export function mediaTargetOf(sdp: string | SdpSession): MediaTarget | undefined {
  const session = sessionOf(sdp);
  const audio = session.media.find((m) => m.type === 'audio' && m.port > 0);
  const connection = audio?.connection ?? session.connection;
  if (!audio || !connection) return undefined;
  return { address: connection.address, port: audio.port };
}

export function sameTarget(a: MediaTarget | undefined, b: MediaTarget | undefined): boolean {
  return a !== undefined && b !== undefined && a.address === b.address && a.port === b.port;
}

/** The payload formats of the first audio stream, as written. */
export function audioFormatsOf(sdp: string | SdpSession): readonly string[] {
  return sessionOf(sdp).media.find((m) => m.type === 'audio')?.formats ?? [];
}
