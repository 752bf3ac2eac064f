/**
 * A Bridge joins two channels' media, like FreeSWITCH's bridge / uuid_bridge (switch_ivr_bridge.c).
 * When either leg hangs up the bridge ends and, with hangupAfterBridge (the default), the other leg is
 * hung up with the same cause; otherwise the survivor stays up with `last_bridge_hangup_cause` set.
 * close() unbridges without hanging anyone up. Events: bridge.created, bridge.destroyed.
 */
import { uuid as newUuid, type Logger } from '../lib/index.ts';
import type { MediaLink } from './channel-media.ts';
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
  readonly #link: MediaLink;
  readonly #unsubscribe: (() => void)[];
  #active = true;

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
    this.#end('hangup', cause, leg.uuid);
    if (other.ended) return;
    other.setVariable('last_bridge_hangup_cause', cause);
    if (this.hangupAfterBridge) void other.hangup(cause);
  }

  #end(reason: BridgeEndReason, cause?: HangupCause, endedBy?: string): void {
    if (!this.#active) return;
    this.#active = false;
    for (const off of this.#unsubscribe) off();
    try {
      this.#link.close();
    } catch (err) {
      this.#ctx.log.warn({ err, bridgeId: this.id }, 'media link close failed');
    }
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
