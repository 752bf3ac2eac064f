/**
 * A Bridge joins two channels' media, like FreeSWITCH's bridge / uuid_bridge (switch_ivr_bridge.c).
 * When either leg hangs up the bridge ends and, with hangupAfterBridge (the default), the other leg is
 * hung up with the same cause; otherwise the survivor stays up with `last_bridge_hangup_cause` set.
 * close() unbridges without hanging anyone up. Events: bridge.created, bridge.destroyed.
 *
 * Media path (FreeSWITCH uuid_media / nomedia, jambonz media:path): setMediaPath('bypassed') has the
 * endpoint point the parties' media at each other and releases the legs' media here (variable
 * `bypass_media=true`); setMediaPath('anchored') brings it back through the server and bridges it again.
 * A bridge that ends while bypassed brings the legs that stay up back to anchored media.
 */
import { errorMessage, uuid as newUuid, type Logger } from '../lib/index.ts';
import type { MediaLink, MediaPath } from './channel-media.ts';
import { OK, fail, type OpResult } from './core-error.ts';
import type { Channel } from './channel.ts';
import type { BridgeEndReason, BridgeSnapshot, EventBus } from './event-bus.ts';
import type { HangupCause } from './hangup-cause.ts';

export interface BridgeOptions {
  /** Hang up the other leg when one hangs up (default true). */
  hangupAfterBridge?: boolean;
}

export interface BridgeContext {
  bus: EventBus;
  log: Logger;
  now(): number;
  /** Called before bridge.created is emitted (the switch registers it). */
  onCreated(bridge: Bridge): void;
  /** Called once when the bridge has ended (the switch drops it from its registry). */
  onEnded(bridge: Bridge): void;
}

export class Bridge {
  readonly id = newUuid();
  readonly a: Channel;
  readonly b: Channel;
  readonly createdAt: number;
  readonly hangupAfterBridge: boolean;
  readonly #ctx: BridgeContext;
  #link: MediaLink;
  readonly #unsubscribe: (() => void)[];
  #active = true;
  #mediaPath: MediaPath = 'anchored';
  #changing: Promise<OpResult> | undefined;

  /** The switch validates the legs and creates the media link before constructing. */
  constructor(a: Channel, b: Channel, link: MediaLink, options: BridgeOptions, ctx: BridgeContext) {
    this.a = a;
    this.b = b;
    this.#link = link;
    this.#ctx = ctx;
    this.createdAt = ctx.now();
    this.hangupAfterBridge = options.hangupAfterBridge ?? true;
    a.setBridgedTo(b.uuid);
    b.setBridgedTo(a.uuid);
    this.#unsubscribe = [
      a.on('hangup', ({ cause }) => this.#legHungUp(a, cause)),
      b.on('hangup', ({ cause }) => this.#legHungUp(b, cause)),
    ];
    ctx.onCreated(this);
    ctx.bus.emit('bridge.created', { bridge: this.snapshot(), a: a.snapshot(), b: b.snapshot() });
  }

  get active(): boolean {
    return this.#active;
  }

  get mediaPath(): MediaPath {
    return this.#mediaPath;
  }

  /**
   * Takes the legs' media out of the server (`bypassed`) or brings it back (`anchored`); resolves once
   * both legs were re-negotiated. OK when already there; CORE_CHANNEL_STATE while another change runs.
   */
  setMediaPath(path: MediaPath): Promise<OpResult> {
    if (!this.#active) return Promise.resolve(fail('CORE_CHANNEL_STATE', `bridge ${this.id} has ended`));
    if (this.#changing) return Promise.resolve(fail('CORE_CHANNEL_STATE', `bridge ${this.id}: a media path change is in progress`));
    if (path === this.#mediaPath) return Promise.resolve(OK);
    const run = this.#changePath(path).finally(() => { this.#changing = undefined; });
    this.#changing = run;
    return run;
  }

  async #changePath(path: MediaPath): Promise<OpResult> {
    const { a, b } = this;
    const log = this.#ctx.log.child({ bridgeId: this.id });
    if (path === 'bypassed') {
      const r = await a.requestMediaPath('bypass', b);
      if (!r.ok) {
        log.info({ err: r.error.message }, 'media bypass refused');
        return r;
      }
      this.#closeLink();
      for (const leg of [a, b]) {
        leg.enterMediaBypass();
        if (!leg.ended) leg.setVariable('bypass_media', 'true');
      }
      this.#mediaPath = 'bypassed';
      log.info('media bypassed: the parties exchange media directly');
      return OK;
    }
    const r = await a.requestMediaPath('anchor', b);
    if (!r.ok) {
      log.info({ err: r.error.message }, 're-anchoring the media failed');
      return r;
    }
    for (const leg of [a, b]) if (!leg.ended) leg.setVariable('bypass_media', undefined);
    this.#mediaPath = 'anchored';
    if (!this.#active) return OK;
    if (!a.media || !b.media) return fail('CORE_NO_MEDIA', `bridge ${this.id}: a leg has no media after re-anchoring`);
    try {
      this.#link = a.media.bridge(b.media);
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `bridging the re-anchored media failed: ${errorMessage(err)}`, err);
    }
    log.info('media anchored again and bridged');
    return OK;
  }

  #closeLink(): void {
    try {
      this.#link.close();
    } catch (err) {
      this.#ctx.log.warn({ err, bridgeId: this.id }, 'media link close failed');
    }
  }

  /** Legs that stay up after a bypassed bridge ended get their media back through the server. */
  #reanchorSurvivors(hangingUp: boolean): void {
    if (this.#mediaPath !== 'bypassed' || hangingUp) return;
    const [first, second] = [this.a, this.b].filter((l) => !l.ended && l.mediaPath === 'bypassed');
    if (!first) return;
    this.#mediaPath = 'anchored';
    void first.requestMediaPath('anchor', second).then((r) => {
      if (!r.ok) this.#ctx.log.warn({ err: r.error.message, bridgeId: this.id }, 'media not re-anchored after the bridge ended');
      for (const leg of [first, second]) if (leg && !leg.ended) leg.setVariable('bypass_media', undefined);
    });
  }

  /** The leg on the other side of `uuid`, if `uuid` is one of the legs. */
  other(uuid: string): Channel | undefined {
    if (uuid === this.a.uuid) return this.b;
    if (uuid === this.b.uuid) return this.a;
    return undefined;
  }

  snapshot(): BridgeSnapshot {
    const s: BridgeSnapshot = { id: this.id, a: this.a.uuid, b: this.b.uuid, createdAt: this.createdAt };
    if (this.#link.mode) s.mode = this.#link.mode;
    return s;
  }

  /** Unbridges; both legs stay up. Idempotent. */
  close(reason: BridgeEndReason = 'unbridge'): void {
    this.#end(reason);
  }

  #legHungUp(leg: Channel, cause: HangupCause): void {
    if (!this.#active) return;
    const other = leg === this.a ? this.b : this.a;
    this.#end('hangup', cause, leg.uuid, this.hangupAfterBridge);
    if (other.ended) return;
    other.setVariable('last_bridge_hangup_cause', cause);
    if (this.hangupAfterBridge) void other.hangup(cause);
  }

  #end(reason: BridgeEndReason, cause?: HangupCause, endedBy?: string, hangingUp = false): void {
    if (!this.#active) return;
    this.#active = false;
    for (const off of this.#unsubscribe) off();
    this.#closeLink();
    this.#reanchorSurvivors(hangingUp || reason === 'shutdown');
    if (this.a.bridgedTo === this.b.uuid) this.a.setBridgedTo(undefined);
    if (this.b.bridgedTo === this.a.uuid) this.b.setBridgedTo(undefined);
    const payload: { bridge: BridgeSnapshot; reason: BridgeEndReason; cause?: HangupCause; endedBy?: string } = {
      bridge: this.snapshot(),
      reason,
    };
    if (cause !== undefined) payload.cause = cause;
    if (endedBy !== undefined) payload.endedBy = endedBy;
    this.#ctx.bus.emit('bridge.destroyed', payload);
    this.#ctx.onEnded(this);
  }
}
