/**
 * A switch on virtual time for tests: memory CDR store, fake conference rooms, every bus event recorded,
 * and the end-of-scenario check that registries are empty and no timer is left.
 */
import assert from 'node:assert/strict';
import { VirtualClock, silentLogger, type Logger } from '../../lib/index.ts';
import { MemoryCdrStore } from '../../store/index.ts';
import { Switch, type SwitchEvent, type SwitchOptions } from '../index.ts';
import { fakeRoomFactory, type FakeRoom } from './fake-room.ts';

export interface Harness {
  sw: Switch;
  clock: VirtualClock;
  store: MemoryCdrStore;
  rooms: FakeRoom[];
  events: SwitchEvent[];
  /** Names of the recorded events, optionally only those about one channel. */
  names(uuid?: string): string[];
  /** Lets pending promise callbacks run. */
  flush(): Promise<void>;
  /** Flushes, advances virtual time, flushes again. */
  tick(ms: number): Promise<void>;
  /** Closes the switch and asserts every registry is empty and no timer is pending. */
  finish(): Promise<void>;
}

export function createHarness(options: SwitchOptions = {}, log: Logger = silentLogger()): Harness {
  const clock = new VirtualClock(1_000);
  const store = new MemoryCdrStore();
  const { factory, rooms } = fakeRoomFactory();
  const sw = new Switch({ clock, log, startEpochMs: 1_700_000_000_000, cdrStore: store, conferenceMedia: factory, ...options });
  const events: SwitchEvent[] = [];
  sw.bus.onAny((e) => { events.push(e); });
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
  };
  const about = (e: SwitchEvent, uuid: string): boolean => {
    const p = e.payload as { channel?: { uuid: string }; cdr?: { uuid: string } };
    return p.channel?.uuid === uuid || p.cdr?.uuid === uuid;
  };
  return {
    sw, clock, store, rooms, events, flush,
    names: (uuid) => events.filter((e) => uuid === undefined || about(e, uuid)).map((e) => e.name),
    async tick(ms) {
      await flush();
      clock.advance(ms);
      await flush();
    },
    async finish() {
      await flush();
      assert.deepEqual(sw.counts(), { channels: 0, bridges: 0, conferences: 0, originates: 0 }, 'registries empty before close');
      const closing = sw.close();
      clock.runAll();
      await closing;
      await flush();
      assert.deepEqual(sw.counts(), { channels: 0, bridges: 0, conferences: 0, originates: 0 }, 'registries empty after close');
      assert.equal(clock.pending, 0, 'no timer left');
    },
  };
}
