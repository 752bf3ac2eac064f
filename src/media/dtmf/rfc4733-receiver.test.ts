import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceivedEvent, TelephoneEventPacket } from './index.ts';
import { createRfc4733Receiver, createRfc4733Sender } from './index.ts';

/** Packets of one event, with the ms at which each would arrive (one per 20 ms tick). */
function eventPackets(event: string | number, durationMs: number, ts: number, t0: number): [TelephoneEventPacket, number][] {
  return createRfc4733Sender({ event, durationMs, startTimestamp: ts })
    .drain()
    .map((p, i) => [p, t0 + i * 20]);
}

function receive(packets: [TelephoneEventPacket, number][], tickUntil?: number): { events: ReceivedEvent[]; starts: number } {
  const events: ReceivedEvent[] = [];
  let starts = 0;
  const r = createRfc4733Receiver({ onEvent: (e) => events.push(e), onStart: () => starts++ });
  for (const [p, at] of packets) {
    r.tick(at);
    r.push(p, at);
  }
  if (tickUntil !== undefined) r.tick(tickUntil);
  return { events, starts };
}

const summary = (e: ReceivedEvent): string => `${e.digit ?? e.event}/${e.duration}/${e.endedBy}`;

describe('RFC 4733 receiver', () => {
  const digit5 = eventPackets('5', 100, 8000, 0);
  const digit6 = eventPackets('6', 100, 8000 + 1600, 200);

  const scenarios: [name: string, packets: [TelephoneEventPacket, number][], want: string[]][] = [
    ['a clean event with three end packets', digit5, ['5/800/end']],
    ['every packet duplicated', digit5.flatMap((p) => [p, p]), ['5/800/end']],
    ['the start packets lost (first seen with duration 480)', digit5.slice(2), ['5/800/end']],
    ['only one end packet arriving', [digit5[0]!, digit5[6]!], ['5/800/end']],
    ['the end packet first, updates after (reordered)', [digit5[4]!, ...digit5.slice(0, 4)], ['5/800/end']],
    ['updates reordered inside the event', [digit5[1]!, digit5[0]!, digit5[3]!, digit5[2]!, digit5[4]!], ['5/800/end']],
    ['two events', [...digit5, ...digit6], ['5/800/end', '6/800/end']],
    ['the end packets lost, closed by the next event', [...digit5.slice(0, 4), ...digit6], ['5/640/new-event', '6/800/end']],
    ['a late end packet of the previous event', [...digit5.slice(0, 4), ...digit6.slice(0, 2), digit5[4]!, ...digit6.slice(2)], ['5/640/new-event', '6/800/end']],
    ['a stale event older than the newest', [...digit6, ...digit5], ['6/800/end']],
    ['flash (event 16)', eventPackets(16, 200, 0, 0), ['16/1600/end']],
  ];
  for (const [name, packets, want] of scenarios) {
    it(`reports once: ${name}`, () => assert.deepEqual(receive(packets).events.map(summary), want));
  }

  it('closes an event whose end packets were all lost after the silence timeout', () => {
    const packets = digit5.slice(0, 4); // last update at 60 ms
    assert.deepEqual(receive(packets, 459).events, []);
    const { events } = receive(packets, 460);
    assert.deepEqual(events.map(summary), ['5/640/timeout']);
    assert.equal(events[0]!.durationMs, 80);
  });

  it('fills in the report fields', () => {
    const { events, starts } = receive(digit5);
    assert.equal(starts, 1);
    assert.deepEqual(events[0], {
      event: 5,
      digit: '5',
      timestamp: 8000,
      duration: 800,
      durationMs: 100,
      volume: 10,
      endedBy: 'end',
    });
  });

  it('adds up the segments of a long event (section 2.5.1.3)', () => {
    const packets = eventPackets('#', 9000, 0xfffff000, 0);
    const { events, starts } = receive(packets);
    assert.deepEqual(events.map(summary), ['#/72000/end']);
    assert.equal(events[0]!.timestamp, 0xfffff000);
    assert.equal(starts, 1);
  });

  it('reports a long event once even when it is closed by timeout mid-way through a segment', () => {
    const packets = eventPackets('1', 9000, 100, 0).filter(([p]) => !p.end);
    const { events } = receive(packets, 1e6);
    assert.deepEqual(events.map(summary), ['1/71935/timeout']);
  });

  it('ignores malformed payloads', () => {
    const events: ReceivedEvent[] = [];
    const r = createRfc4733Receiver({ onEvent: (e) => events.push(e) });
    r.push({ timestamp: 1, payload: new Uint8Array(2) }, 0);
    assert.equal(r.active, false);
    assert.deepEqual(events, []);
  });

  it('flush() reports an open event; reset() forgets it', () => {
    const events: ReceivedEvent[] = [];
    const r = createRfc4733Receiver({ onEvent: (e) => events.push(e) });
    r.push(digit5[0]![0], 0);
    r.flush();
    r.flush();
    assert.deepEqual(events.map(summary), ['5/160/flush']);
    r.reset();
    r.push(digit5[0]![0], 0);
    r.reset();
    r.tick(1e6);
    assert.equal(events.length, 1);
  });

  it('keeps a consistent state when a listener throws', () => {
    const seen: string[] = [];
    const r = createRfc4733Receiver({
      onEvent: (e) => {
        seen.push(summary(e));
        if (seen.length === 1) throw new Error('listener failure');
      },
    });
    const packets = [...digit5.slice(0, 3), ...digit6];
    assert.throws(() => {
      for (const [p, at] of packets) r.push(p, at);
    });
    for (const [p, at] of packets.slice(4)) r.push(p, at);
    assert.deepEqual(seen, ['5/480/new-event', '6/800/end']);
  });

  it('refuses unusable options', () => {
    assert.throws(() => createRfc4733Receiver({ onEvent: () => {}, clockRate: 0 }), { code: 'MEDIA_DTMF_OPTIONS' });
    assert.throws(() => createRfc4733Receiver({ onEvent: () => {}, history: 0 }), { code: 'MEDIA_DTMF_OPTIONS' });
  });
});
