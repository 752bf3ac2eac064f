/**
 * Our o= line (RFC 8866 section 5.2) across a session: the session id stays fixed, and the version
 * goes up by one whenever a description we send differs from the previous one we sent and stays the
 * same when it does not (RFC 3264 section 8). Versions are decimal strings incremented as BigInt, since
 * they may be 64-bit.
 */
import { randomInt } from 'node:crypto';
import { writeSdp } from './write-sdp.ts';
import type { AddressFamily, SdpOrigin, SdpSession } from './sdp-model.ts';

/** A description we produced, with its text. */
export interface StampedSdp {
  readonly session: SdpSession;
  readonly sdp: string;
}

/** A fresh numeric session id (RFC 8866 section 5.2 only asks for a numeric string, unique enough). */
export function newSessionId(): string {
  return String(randomInt(1, 2 ** 47));
}

export function createOrigin(fields: {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly family: AddressFamily;
  readonly address: string;
}): SdpOrigin {
  return { ...fields };
}

/** The version after `version`: one more, or 1 when it is not a decimal number. */
export function nextVersion(version: string): string {
  return /^\d+$/.test(version) ? (BigInt(version) + 1n).toString() : '1';
}

function withVersion(session: SdpSession, sessionVersion: string): SdpSession {
  return { ...session, origin: { ...session.origin, sessionVersion } };
}

/**
 * Sets the o= version of a description about to be sent: unchanged content keeps the previous
 * version (and text), changed content takes the next one. Without a previous description the
 * session's own version is used.
 */
export function stampVersion(session: SdpSession, previous: StampedSdp | undefined): StampedSdp {
  if (!previous) return { session, sdp: writeSdp(session) };
  const version = previous.session.origin.sessionVersion;
  const same = withVersion(session, version);
  const text = writeSdp(same);
  if (text === previous.sdp) return previous;
  const next = withVersion(session, nextVersion(version));
  return { session: next, sdp: writeSdp(next) };
}
