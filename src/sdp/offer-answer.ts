/**
 * The offer/answer state of one call leg (RFC 3264 sections 4 and 8, with the SIP usage of RFC 3261
 * section 13.2.1 and RFC 6337): pure state, no I/O. It answers remote offers (INVITE or re-INVITE with
 * SDP), creates offers (initial INVITE, re-INVITE, hold/unhold, and the 2xx to an INVITE or re-INVITE
 * without SDP), processes the answer (in the 2xx, or in the ACK after a late offer), and can roll a
 * pending offer back when its transaction fails. It keeps our o= session id and versions (section 8),
 * the m= layout and payload numbers of the session, and the hold state of both sides.
 */
import { isDeepStrictEqual } from 'node:util';
import { SdpError } from './sdp-error.ts';
import { buildOffer } from './build-offer.ts';
import { type LocalMediaConfig, resolveLocalMedia } from './local-media.ts';
import { negotiateAnswer } from './negotiate.ts';
import type { AnswerRejected, NegotiatedMedia, NotAcceptable } from './negotiated-media.ts';
import { parseSdp } from './parse-sdp.ts';
import { processAnswer } from './process-answer.ts';
import { type StampedSdp, createOrigin, newSessionId, stampVersion } from './sdp-origin.ts';
import type { SdpOrigin, SdpSession } from './sdp-model.ts';

export type OfferAnswerState = 'stable' | 'have-local-offer';

export interface OfferAnswerOptions {
  readonly local: LocalMediaConfig;
  /** o= session id; random when absent. */
  readonly sessionId?: string;
  /** First o= version; the session id when absent. */
  readonly sessionVersion?: string;
}

/** The answer to a remote offer, ready to send, or a 488 value. */
export type ReceiveOfferResult =
  | {
      readonly ok: true;
      readonly sdp: string;
      readonly answer: SdpSession;
      readonly media: NegotiatedMedia;
      /** The negotiated media differ from before (false for a session refresh). */
      readonly changed: boolean;
    }
  | NotAcceptable;

export interface CreateOfferResult {
  readonly sdp: string;
  readonly offer: SdpSession;
}

export type ReceiveAnswerResult =
  | { readonly ok: true; readonly media: NegotiatedMedia; readonly changed: boolean }
  | AnswerRejected;

interface Established {
  readonly local: SdpSession;
  readonly remote: SdpSession;
  readonly media: NegotiatedMedia | undefined;
}

export class OfferAnswer {
  private local: LocalMediaConfig;
  private readonly sessionId: string;
  private readonly firstVersion: string;
  private holding = false;
  private lastSent: StampedSdp | undefined;
  private established: Established | undefined;
  private pending: StampedSdp | undefined;

  constructor(options: OfferAnswerOptions) {
    resolveLocalMedia(options.local);
    this.local = options.local;
    this.sessionId = options.sessionId ?? newSessionId();
    this.firstVersion = options.sessionVersion ?? this.sessionId;
    if (!/^\d+$/.test(this.sessionId) || !/^\d+$/.test(this.firstVersion)) {
      throw new SdpError('SDP_CONFIG', 'o= session id and version must be decimal numbers');
    }
  }

  get state(): OfferAnswerState {
    return this.pending ? 'have-local-offer' : 'stable';
  }

  /** What is negotiated now, if anything. */
  get media(): NegotiatedMedia | undefined {
    return this.established?.media;
  }

  get hold(): boolean {
    return this.holding;
  }

  /** The peer's latest accepted description. */
  get remoteDescription(): SdpSession | undefined {
    return this.established?.remote;
  }

  /** Our latest accepted description. */
  get localDescription(): SdpSession | undefined {
    return this.established?.local;
  }

  /** The offer waiting for its answer. */
  get pendingOffer(): SdpSession | undefined {
    return this.pending?.session;
  }

  /** Sets our hold state; it applies to the next offer or answer (send a re-offer to apply it now). */
  setHold(hold: boolean): void {
    this.holding = hold;
  }

  /** Replaces local capabilities (e.g. a new RTP port); applies to the next offer or answer. */
  setLocal(local: LocalMediaConfig): void {
    resolveLocalMedia(local);
    this.local = local;
  }

  private origin(): SdpOrigin {
    const { connection, username } = resolveLocalMedia(this.local);
    return createOrigin({
      username, sessionId: this.sessionId, sessionVersion: this.firstVersion, family: connection.family,
      address: connection.address,
    });
  }

  private send(session: SdpSession): StampedSdp {
    const stamped = stampVersion(session, this.lastSent);
    this.lastSent = stamped;
    return stamped;
  }

  /**
   * Answers a remote offer. Throws SdpError SDP_PARSE for a malformed body and SDP_STATE when our own
   * offer is pending (glare: the SIP layer answers 491). A 488 result leaves the session unchanged.
   */
  receiveOffer(input: unknown): ReceiveOfferResult {
    if (this.pending) throw new SdpError('SDP_STATE', 'an offer arrived while our offer is pending (glare)');
    const offer = parseSdp(input);
    const outcome = negotiateAnswer(offer, this.local, { origin: this.origin(), hold: this.holding });
    if (!outcome.ok) return outcome;
    const stamped = this.send(outcome.answer);
    const changed = !isDeepStrictEqual(this.established?.media, outcome.media);
    this.established = { local: stamped.session, remote: offer, media: outcome.media };
    return { ok: true, sdp: stamped.sdp, answer: stamped.session, media: outcome.media, changed };
  }

  /**
   * Creates an offer from the current state: initial, re-offer, hold/unhold, or the offer in a 2xx to
   * an INVITE or re-INVITE without SDP. Throws SdpError SDP_STATE when an offer is already pending.
   */
  createOffer(): CreateOfferResult {
    if (this.pending) throw new SdpError('SDP_STATE', 'an offer is already pending');
    const current = this.established;
    const offer = buildOffer(this.local, {
      origin: this.origin(),
      hold: this.holding,
      peerHolds: current?.media?.remoteHold ?? false,
      previous: current?.local,
      current: current?.media,
    });
    const stamped = this.send(offer);
    this.pending = stamped;
    return { sdp: stamped.sdp, offer: stamped.session };
  }

  /**
   * Processes the answer to our pending offer (from a 2xx, or from the ACK after a late offer). Throws
   * SdpError SDP_STATE without a pending offer, SDP_PARSE or SDP_ANSWER_MISMATCH for a bad answer (the
   * offer then stays pending; call rollback() or end the call). A declined audio stream is a result.
   */
  receiveAnswer(input: unknown): ReceiveAnswerResult {
    const pending = this.pending;
    if (!pending) throw new SdpError('SDP_STATE', 'an answer arrived but no offer is pending');
    const answer = parseSdp(input);
    const result = processAnswer(pending.session, answer, this.local);
    this.pending = undefined;
    const previous = this.established?.media;
    const media = result.ok ? result.media : undefined;
    this.established = { local: pending.session, remote: answer, media };
    return result.ok ? { ok: true, media: result.media, changed: !isDeepStrictEqual(previous, result.media) } : result;
  }

  /** Discards the pending offer (its re-INVITE failed, or 491): the session stays as it was. */
  rollback(): void {
    this.pending = undefined;
  }
}
