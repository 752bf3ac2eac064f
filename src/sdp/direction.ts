/**
 * Stream direction algebra of RFC 3264: section 5.1 (offer), 6.1 (answer: sendonly is answered
 * recvonly or inactive, recvonly with sendonly or inactive, inactive with inactive) and 8.4 (hold with
 * a=sendonly or a=inactive; RFC 2543 hold with c=0.0.0.0, which means the peer does not want media).
 * Directions are always from the point of view of the description's author.
 */
import type { SdpDirection } from './sdp-model.ts';

export interface DirectionFlags {
  readonly send: boolean;
  readonly recv: boolean;
}

export function directionFlags(direction: SdpDirection): DirectionFlags {
  return { send: direction === 'sendrecv' || direction === 'sendonly', recv: direction === 'sendrecv' || direction === 'recvonly' };
}

export function directionOf(flags: DirectionFlags): SdpDirection {
  if (flags.send) return flags.recv ? 'sendrecv' : 'sendonly';
  return flags.recv ? 'recvonly' : 'inactive';
}

/** Both restrictions at once: sends only if both send, receives only if both receive. */
export function intersectDirections(a: SdpDirection, b: SdpDirection): SdpDirection {
  const x = directionFlags(a);
  const y = directionFlags(b);
  return directionOf({ send: x.send && y.send, recv: x.recv && y.recv });
}

/** The same stream seen from the other end: sendonly and recvonly swap. */
export function reverseDirection(direction: SdpDirection): SdpDirection {
  const f = directionFlags(direction);
  return directionOf({ send: f.recv, recv: f.send });
}

/**
 * RFC 3264 section 6.1: the direction to answer an offered stream with, given what we want (our hold
 * state and preference). We send only if the offerer receives, and receive only if it sends.
 */
export function answerDirection(offered: SdpDirection, wanted: SdpDirection = 'sendrecv'): SdpDirection {
  return intersectDirections(reverseDirection(offered), wanted);
}

/**
 * Our own wish: while we hold the call we send (music on hold) but do not receive (RFC 3264 section
 * 8.4), otherwise sendrecv, narrowed by an explicit preference.
 */
export function localDirection(hold: boolean, wanted: SdpDirection = 'sendrecv'): SdpDirection {
  return hold ? intersectDirections('sendonly', wanted) : wanted;
}

/**
 * The direction of an offer: sendrecv normally; to hold, sendonly, or inactive when the peer already
 * holds us (it does not want our media), as RFC 3264 section 8.4 and RFC 6337 section 5.3 describe.
 */
export function offerDirection(hold: boolean, peerHolds: boolean, wanted: SdpDirection = 'sendrecv'): SdpDirection {
  if (!hold) return wanted;
  return intersectDirections(peerHolds ? 'inactive' : 'sendonly', wanted);
}

/** Whether the author of a description is holding the stream: it does not want to receive. */
export function isHoldDirection(direction: SdpDirection): boolean {
  return direction === 'sendonly' || direction === 'inactive';
}
