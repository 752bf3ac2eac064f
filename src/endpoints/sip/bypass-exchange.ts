/**
 * The offer/answer exchanges that take two bridged SIP legs' media out of the server and back (RFC 3264
 * offers in re-INVITEs, in the manner of RFC 3725 third-party call control). Pure state, no I/O: the
 * caller sends the offers it is given and feeds back the answers (media-bypass.ts).
 *
 * Bypass, A and B being the two parties:
 * 1. A is offered B's description (with our o= line towards A); A answers;
 * 2. B is offered A's answer; B answers;
 * 3. when B's answer points elsewhere than what A was offered (another address, port or format list),
 *    A is offered B's answer once more. Then each party sends RTP to the other.
 *
 * The pair's media path moves anchored -> bypassing -> bypassed -> anchoring -> anchored; a failed bypass
 * goes back to anchored, and so does a failed re-anchoring (the legs hold fresh media here either way);
 * `relaying` is a bypassed pair passing one party's re-offer to the other.
 */
import {
  audioFormatsOf, mediaTargetOf, retargetSdp, sameTarget, sessionOf, type MediaTarget, type OriginCounter,
} from './bypass-sdp.ts';
import type { SdpSession } from '../../sdp/index.ts';

export type Side = 'a' | 'b';

export type ExchangeStep =
  | { readonly kind: 'offer'; readonly to: Side; readonly sdp: string }
  | { readonly kind: 'done'; readonly a: MediaTarget | undefined; readonly b: MediaTarget | undefined };

type Phase = 'new' | 'offered-a' | 'offered-b' | 'reoffered-a' | 'done';

export class BypassExchange {
  readonly #aOrigin: OriginCounter;
  readonly #bOrigin: OriginCounter;
  readonly #bDescription: SdpSession;
  #phase: Phase = 'new';
  #offeredA: string | undefined;
  #answerA: string | undefined;
  #answerB: string | undefined;

  /** `bDescription`: what B last sent us (its offer or answer), the first offer A gets. */
  constructor(init: { aOrigin: OriginCounter; bOrigin: OriginCounter; bDescription: string | SdpSession }) {
    this.#aOrigin = init.aOrigin;
    this.#bOrigin = init.bOrigin;
    this.#bDescription = sessionOf(init.bDescription);
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** The first offer: B's description to A. */
  start(): ExchangeStep {
    if (this.#phase !== 'new') throw new Error(`bypass exchange already started (${this.#phase})`);
    this.#offeredA = retargetSdp(this.#bDescription, this.#aOrigin.next());
    this.#phase = 'offered-a';
    return { kind: 'offer', to: 'a', sdp: this.#offeredA };
  }

  /** The answer of the party last offered; the next offer to send, or the end. Throws SdpError for a bad body. */
  answer(from: Side, sdp: string): ExchangeStep {
    const parsed = sessionOf(sdp);
    if (from === 'a' && this.#phase === 'offered-a') {
      this.#answerA = sdp;
      this.#phase = 'offered-b';
      return { kind: 'offer', to: 'b', sdp: retargetSdp(parsed, this.#bOrigin.next()) };
    }
    if (from === 'b' && this.#phase === 'offered-b') {
      this.#answerB = sdp;
      const offered = this.#offeredA!;
      const same = sameTarget(mediaTargetOf(parsed), mediaTargetOf(offered))
        && audioFormatsOf(parsed).join(' ') === audioFormatsOf(offered).join(' ');
      if (same) return this.#done();
      this.#offeredA = retargetSdp(parsed, this.#aOrigin.next());
      this.#phase = 'reoffered-a';
      return { kind: 'offer', to: 'a', sdp: this.#offeredA };
    }
    if (from === 'a' && this.#phase === 'reoffered-a') {
      this.#answerA = sdp;
      return this.#done();
    }
    throw new Error(`unexpected answer from ${from} in phase ${this.#phase}`);
  }

  #done(): ExchangeStep {
    this.#phase = 'done';
    return { kind: 'done', a: mediaTargetOf(this.#answerA!), b: mediaTargetOf(this.#answerB!) };
  }
}

export type MediaPathState = 'anchored' | 'bypassing' | 'bypassed' | 'relaying' | 'anchoring';
export type MediaPathEvent = 'bypass' | 'anchor' | 'relay' | 'done' | 'failed';

const TRANSITIONS: Readonly<Record<MediaPathState, Partial<Record<MediaPathEvent, MediaPathState>>>> = {
  anchored: { bypass: 'bypassing' },
  bypassing: { done: 'bypassed', failed: 'anchored' },
  bypassed: { anchor: 'anchoring', relay: 'relaying' },
  relaying: { done: 'bypassed', failed: 'bypassed' },
  anchoring: { done: 'anchored', failed: 'anchored' },
};

/** The media path state after `event`, or undefined when the event does not apply now. */
export function nextPathState(state: MediaPathState, event: MediaPathEvent): MediaPathState | undefined {
  return TRANSITIONS[state][event];
}
