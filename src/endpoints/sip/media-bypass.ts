/**
 * Media bypass of two bridged SIP legs (the driver side of core's Bridge.setMediaPath; FreeSWITCH
 * bypass_media / uuid_media, jambonz exitMediaPath and media:path):
 *
 * - bypass: each party is re-INVITEd (RFC 3261 section 14) with the other's session description
 *   (bypass-exchange.ts), so RTP flows between them; core then releases the legs' media (the ports go
 *   back to the pool). While bypassed, a re-INVITE or UPDATE with an offer from one party is passed to
 *   the other and its answer passed back (both with our o= line, RFC 3264 section 8); glare during an
 *   exchange is 491 (RFC 3261 section 14.2); INFO digits still reach the channel;
 * - anchor: each leg gets fresh media (a new port pair, our o= session continued) and is re-INVITEd with
 *   our offer; the channels get the new media and core bridges it again.
 *
 * A party refusing a bypass offer leaves the pair anchored: a party already pointed at the other is
 * offered our own media again. Both legs must be SIP legs of this endpoint.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { IncomingSessionUpdate } from '../../sip/index.ts';
import type { SdpOrigin, SdpSession } from '../../sdp/index.ts';
import type { ChannelDriver, DriverResult, MediaPathRequest } from '../../core/index.ts';
import { BypassExchange, nextPathState, type MediaPathEvent, type MediaPathState, type Side } from './bypass-exchange.ts';
import { OriginCounter, retargetSdp, sessionOf } from './bypass-sdp.ts';
import { SDP, SipLeg, isSdp } from './sip-leg.ts';

/** A driver that exposes its SIP leg (InboundCall, OutboundCall). */
export interface SipLegDriver {
  readonly sipLeg: SipLeg;
}

function legOf(driver: ChannelDriver | undefined): SipLeg | undefined {
  const leg = (driver as Partial<SipLegDriver> | undefined)?.sipLeg;
  return leg instanceof SipLeg ? leg : undefined;
}

/** The most exchanges of one bypass (A, B, A again). */
const MAX_STEPS = 3;

/** Two legs whose media path is being changed or is bypassed. */
class BypassPair {
  readonly legs: Readonly<Record<Side, SipLeg>>;
  readonly origins: Record<Side, OriginCounter>;
  /** What each party last described: re-offered to the other on a late-offer re-INVITE. */
  readonly last: Record<Side, SdpSession>;
  readonly log: Logger;
  #state: MediaPathState = 'anchored';

  constructor(a: SipLeg, b: SipLeg, origins: Record<Side, OriginCounter>, last: Record<Side, SdpSession>) {
    this.legs = { a, b };
    this.origins = origins;
    this.last = last;
    this.log = a.log.child({ bypassPeer: b.channel?.uuid });
  }

  get state(): MediaPathState {
    return this.#state;
  }

  /** Applies an event; false when it does not apply in the current state. */
  to(event: MediaPathEvent): boolean {
    const next = nextPathState(this.#state, event);
    if (!next) return false;
    this.#state = next;
    return true;
  }

  sideOf(leg: SipLeg): Side {
    return leg === this.legs.a ? 'a' : 'b';
  }
}

const PAIRS = new WeakMap<SipLeg, BypassPair>();

/** Our o= line towards a leg's far end: the last one we sent in its offer/answer state. */
function originOf(leg: SipLeg): SdpOrigin | undefined {
  return leg.oa.localDescription?.origin;
}

/** The driver's mediaPath(): bypass with the peer, or anchor this leg (and the peer) again. */
export function changeMediaPath(self: SipLeg, request: MediaPathRequest): Promise<DriverResult> {
  const peer = legOf(request.peer);
  if (request.peer && !peer) return Promise.resolve({ ok: false, reason: 'the bridged leg is not a SIP leg' });
  return request.mode === 'bypass' ? bypass(self, peer) : anchor(self, peer);
}

async function bypass(a: SipLeg, b: SipLeg | undefined): Promise<DriverResult> {
  if (!b || b === a) return { ok: false, reason: 'media bypass needs two legs' };
  for (const leg of [a, b]) {
    if (leg.bypassed || PAIRS.has(leg)) return { ok: false, reason: 'a media path change is already in progress or done' };
    if (leg.dialog?.state !== 'confirmed') return { ok: false, reason: 'the call is not established' };
    if (leg.oa.state !== 'stable') return { ok: false, reason: 'an offer is pending' };
  }
  const aOrigin = originOf(a);
  const bOrigin = originOf(b);
  const aDesc = a.oa.remoteDescription;
  const bDesc = b.oa.remoteDescription;
  if (!aOrigin || !bOrigin || !aDesc || !bDesc) return { ok: false, reason: 'no completed offer/answer on both legs' };
  const pair = new BypassPair(a, b, { a: new OriginCounter(aOrigin), b: new OriginCounter(bOrigin) }, { a: aDesc, b: bDesc });
  pair.to('bypass');
  for (const leg of [a, b]) {
    PAIRS.set(leg, pair);
    leg.setRelay({
      relay: (ev) => void relay(pair, leg, ev).catch((err: unknown) => {
        pair.log.warn({ err: errorMessage(err) }, 'bypassed session update failed');
        try { ev.settle(500); } catch { /* already answered */ }
      }),
    });
  }
  const exchange = new BypassExchange({ aOrigin: pair.origins.a, bOrigin: pair.origins.b, bDescription: bDesc });
  const pointed = new Set<Side>();
  try {
    let step = exchange.start();
    for (let i = 0; i < MAX_STEPS && step.kind === 'offer'; i++) {
      const to = step.to;
      const answer = await reoffer(pair.legs[to], step.sdp);
      if (typeof answer !== 'string') throw new Error(`${to === 'a' ? 'first' : 'second'} party refused the bypass offer: ${answer.reason}`);
      pointed.add(to);
      pair.last[to] = sessionOf(answer);
      step = exchange.answer(to, answer);
    }
    if (step.kind !== 'done') throw new Error('the bypass exchange did not settle');
    pair.to('done');
    pair.log.info({ a: step.a, b: step.b }, 'media bypassed: the parties send RTP to each other');
    return { ok: true };
  } catch (err) {
    pair.to('failed');
    pair.log.warn({ err: errorMessage(err) }, 'media bypass failed; media stays anchored');
    for (const leg of [a, b]) {
      leg.setRelay(undefined);
      PAIRS.delete(leg);
    }
    for (const side of pointed) await restore(pair.legs[side], pair.origins[side]);
    return { ok: false, reason: errorMessage(err) };
  }
}

/** Sends `sdp` as a re-INVITE offer; the answer's text, or why not. */
async function reoffer(leg: SipLeg, sdp: string): Promise<string | { status?: number; reason: string }> {
  const dialog = leg.dialog;
  if (!dialog || dialog.state !== 'confirmed') return { reason: 'no confirmed dialog' };
  try {
    const r = await dialog.reinvite({ body: sdp, contentType: SDP });
    if (!r.ok) return { status: r.status, reason: `${r.status} ${r.reason}` };
    if (!r.answer || !isSdp(r.answer)) return { reason: 'no SDP answer' };
    return r.answer.body.toString('utf8');
  } catch (err) {
    return { reason: errorMessage(err) };
  }
}

/** Points a party back at our (still open) media after a failed bypass. */
async function restore(leg: SipLeg, origin: OriginCounter): Promise<void> {
  const local = leg.oa.localDescription;
  if (!local || leg.session.closed) return;
  const answer = await reoffer(leg, retargetSdp(local, origin.next()));
  if (typeof answer !== 'string') leg.log.warn({ reason: answer.reason }, 'party not pointed back at our media');
}

async function anchor(self: SipLeg, peer: SipLeg | undefined): Promise<DriverResult> {
  const legs = [self, ...(peer && peer !== self ? [peer] : [])].filter((l) => l.bypassed);
  if (legs.length === 0) return { ok: true };
  const pair = PAIRS.get(legs[0]!);
  if (pair && !pair.to('anchor')) return { ok: false, reason: `a media path change is in progress (${pair.state})` };
  const failures: string[] = [];
  let near: SipLeg['media'] | undefined;
  for (const leg of legs) {
    const own = PAIRS.get(leg);
    const r = await reanchorLeg(leg, own?.origins[own.sideOf(leg)], near);
    if (!r.ok) failures.push(r.reason ?? 'refused');
    near = leg.media;
  }
  if (pair) pair.to(failures.length === 0 ? 'done' : 'failed');
  for (const leg of legs) PAIRS.delete(leg);
  (pair?.log ?? self.log).info({ legs: legs.length, failures }, 'media anchored again');
  return failures.length === 0 ? { ok: true } : { ok: false, reason: failures.join('; ') };
}

/**
 * Fresh media for one bypassed leg and our offer to its far end; the channel gets the new media even
 * when the far end refuses (the server holds media again either way).
 */
async function reanchorLeg(leg: SipLeg, counter: OriginCounter | undefined, near: SipLeg['media'] | undefined): Promise<DriverResult> {
  const origin = counter?.next() ?? originOf(leg);
  try {
    leg.reopenMedia(origin ? { sessionId: origin.sessionId, sessionVersion: origin.sessionVersion } : { sessionId: '1', sessionVersion: '1' }, near);
  } catch (err) {
    leg.log.error({ err: errorMessage(err) }, 'no media to anchor the call again');
    return { ok: false, reason: errorMessage(err) };
  }
  leg.setRelay(undefined);
  leg.channel?.attachMedia(leg.media);
  const dialog = leg.dialog;
  if (!dialog || dialog.state !== 'confirmed') return { ok: false, reason: 'no confirmed dialog' };
  try {
    const r = await dialog.reinvite({ body: leg.oa.createOffer().sdp, contentType: SDP });
    if (!r.ok) {
      leg.oa.rollback();
      return { ok: false, sipStatus: r.status, reason: `re-INVITE refused: ${r.status} ${r.reason}` };
    }
    return leg.receiveAnswer(r.answer) ? { ok: true } : { ok: false, reason: 'unusable answer' };
  } catch (err) {
    leg.oa.rollback();
    return { ok: false, reason: errorMessage(err) };
  }
}

/** A re-INVITE or UPDATE from one party while bypassed: passed to the other party (SDP passthrough). */
async function relay(pair: BypassPair, from: SipLeg, ev: IncomingSessionUpdate): Promise<void> {
  const side = pair.sideOf(from);
  const other: Side = side === 'a' ? 'b' : 'a';
  if (pair.state !== 'bypassed') {
    pair.log.info({ state: pair.state }, 'session update during a media path change: 491');
    ev.reject(491);
    return;
  }
  if (!ev.offer) {
    if (!ev.isReinvite) {
      ev.accept();
      return;
    }
    // Late offer: the other party's description is our offer; the answer in the ACK is not passed on.
    ev.accept({ body: retargetSdp(pair.last[other], pair.origins[side].next()), contentType: SDP });
    return;
  }
  if (!isSdp(ev.offer)) {
    ev.reject(415, { headers: { Accept: SDP } });
    return;
  }
  let offer: SdpSession;
  try {
    offer = sessionOf(ev.offer.body.toString('utf8'));
  } catch (err) {
    pair.log.info({ err: errorMessage(err) }, 'malformed SDP in a bypassed re-offer: 488');
    ev.reject(488);
    return;
  }
  pair.to('relay');
  ev.defer();
  const answer = await reoffer(pair.legs[other], retargetSdp(offer, pair.origins[other].next()));
  pair.to('done');
  if (ev.state !== 'deferred') return;
  if (typeof answer !== 'string') {
    const status = answer.status !== undefined && answer.status >= 300 && answer.status <= 699 ? answer.status : 488;
    pair.log.info({ reason: answer.reason, status }, 'bypassed re-offer refused by the other party');
    ev.reject(status);
    return;
  }
  let answered: SdpSession;
  try {
    answered = sessionOf(answer);
  } catch (err) {
    pair.log.info({ err: errorMessage(err) }, 'malformed SDP answer from the other party: 488');
    ev.reject(488);
    return;
  }
  pair.last[side] = offer;
  pair.last[other] = answered;
  ev.accept({ body: retargetSdp(answered, pair.origins[side].next()), contentType: SDP });
  pair.log.info({ from: from.channel?.uuid }, 'bypassed re-offer passed through');
}
