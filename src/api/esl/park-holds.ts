/**
 * Which channels sit in FreeSWITCH's park loop (specs/esl.md §4.4 "Park", §3.1 async sockets, §3.6):
 * a channel is parked while anything holds it (the `park` app, an async outbound socket, `uuid_park`).
 * CHANNEL_PARK fires when the first hold is taken, CHANNEL_UNPARK when the last is let go (or the leg
 * hangs up). A leg taken out of park by uuid_bridge / uuid_transfer is marked "taken": whoever started
 * its application then leaves it alone instead of hanging it up.
 */
import type { Channel } from '../../core/index.ts';
import { channelHeaders } from './channel-headers.ts';
import type { EventHub } from './event-hub.ts';

interface Entry {
  holds: Set<string>;
  waiters: (() => void)[];
  offHangup: () => void;
}

export class ParkHolds {
  readonly #hub: EventHub;
  readonly #entries = new Map<string, Entry>();
  readonly #taken = new Set<string>();

  constructor(hub: EventHub) {
    this.#hub = hub;
  }

  isParked(channel: Channel): boolean {
    return (this.#entries.get(channel.uuid)?.holds.size ?? 0) > 0;
  }

  /** Marked by uuid_bridge / uuid_transfer; cleared when the channel is destroyed. */
  wasTaken(channel: Channel): boolean {
    return this.#taken.has(channel.uuid);
  }

  markTaken(channel: Channel): void {
    if (channel.ended) return;
    if (!this.#taken.has(channel.uuid)) {
      this.#taken.add(channel.uuid);
      channel.events.once('destroyed', () => this.#taken.delete(channel.uuid));
    }
  }

  /** Takes a hold; the first one parks the channel (CHANNEL_PARK). No-op on an ended leg. */
  hold(channel: Channel, key: string): void {
    if (channel.ended) return;
    let entry = this.#entries.get(channel.uuid);
    if (!entry) {
      const off = channel.on('hangup', () => queueMicrotask(() => this.release(channel)));
      entry = { holds: new Set(), waiters: [], offHangup: off };
      this.#entries.set(channel.uuid, entry);
    }
    const first = entry.holds.size === 0;
    entry.holds.add(key);
    if (first) this.#fire(channel, 'CHANNEL_PARK');
  }

  /** Lets one hold go; the last one unparks (CHANNEL_UNPARK). */
  unhold(channel: Channel, key: string): void {
    const entry = this.#entries.get(channel.uuid);
    if (!entry || !entry.holds.delete(key)) return;
    if (entry.holds.size === 0) this.#end(channel, entry);
  }

  /** Lets every hold go (resume, bridge, transfer, hangup). */
  release(channel: Channel): void {
    const entry = this.#entries.get(channel.uuid);
    if (!entry) return;
    const was = entry.holds.size > 0;
    entry.holds.clear();
    if (was) this.#end(channel, entry);
    else this.#forget(channel, entry);
  }

  /** Resolves once the channel is no longer parked (at once when it is not). */
  whenUnparked(channel: Channel): Promise<void> {
    const entry = this.#entries.get(channel.uuid);
    if (!entry || entry.holds.size === 0) return Promise.resolve();
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  close(): void {
    for (const e of this.#entries.values()) {
      e.offHangup();
      for (const w of e.waiters) w();
    }
    this.#entries.clear();
    this.#taken.clear();
  }

  #end(channel: Channel, entry: Entry): void {
    this.#fire(channel, 'CHANNEL_UNPARK');
    this.#forget(channel, entry);
  }

  #forget(channel: Channel, entry: Entry): void {
    entry.offHangup();
    this.#entries.delete(channel.uuid);
    for (const w of entry.waiters.splice(0)) w();
  }

  #fire(channel: Channel, name: string): void {
    this.#hub.fire({ name, origin: ['switchboard', 'park', 0], headers: channelHeaders(channel.snapshot(), { extended: true }) });
  }
}
