import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TelephoneEventPacket } from './index.ts';
import {
  DTMF_DIGITS,
  MAX_SEGMENT_DURATION,
  createRfc4733Sender,
  decodeTelephoneEvent,
  digitToEvent,
  dtmfFrequencies,
  encodeTelephoneEvent,
  eventToDigit,
} from './index.ts';

describe('RFC 4733 event codes', () => {
  const codes: [digit: string, event: number][] = [
    ['0', 0],
    ['9', 9],
    ['*', 10],
    ['#', 11],
    ['A', 12],
    ['d', 15],
  ];
  for (const [digit, event] of codes) {
    it(`maps "${digit}" to event ${event} and back`, () => {
      assert.equal(digitToEvent(digit), event);
      assert.equal(eventToDigit(event), digit.toUpperCase());
    });
  }

  it('has no digit for flash or unknown events, and no event for other characters', () => {
    assert.equal(eventToDigit(16), undefined);
    assert.equal(eventToDigit(-1), undefined);
    assert.equal(digitToEvent('E'), undefined);
    assert.equal(digitToEvent('12'), undefined);
  });

  const pairs: [digit: (typeof DTMF_DIGITS)[number], low: number, high: number][] = [
    ['1', 697, 1209],
    ['5', 770, 1336],
    ['9', 852, 1477],
    ['0', 941, 1336],
    ['*', 941, 1209],
    ['#', 941, 1477],
    ['D', 941, 1633],
    ['A', 697, 1633],
  ];
  for (const [digit, low, high] of pairs) {
    it(`"${digit}" is ${low} + ${high} Hz (Q.23)`, () => assert.deepEqual(dtmfFrequencies(digit), [low, high]));
  }
});

describe('RFC 4733 payload', () => {
  const vectors: [hex: string, event: number, end: boolean, volume: number, duration: number][] = [
    ['050a00a0', 5, false, 10, 160],
    ['0b8a0320', 11, true, 10, 800],
    ['10bfffff', 16, true, 63, 65535],
    ['00000000', 0, false, 0, 0],
  ];
  for (const [hex, event, end, volume, duration] of vectors) {
    it(`encodes and decodes ${hex}`, () => {
      const out = new Uint8Array(4);
      assert.equal(encodeTelephoneEvent({ event, end, volume, duration }, out), 4);
      assert.equal(Buffer.from(out).toString('hex'), hex);
      assert.deepEqual(decodeTelephoneEvent(Buffer.from(hex, 'hex')), { event, end, volume, duration });
    });
  }

  it('ignores the R bit and extra octets, and refuses short payloads', () => {
    assert.deepEqual(decodeTelephoneEvent(Buffer.from('01ca0140ffff', 'hex')), {
      event: 1,
      end: true,
      volume: 10,
      duration: 320,
    });
    assert.equal(decodeTelephoneEvent(new Uint8Array(3)), undefined);
  });

  it('refuses out-of-range fields', () => {
    const out = new Uint8Array(4);
    assert.throws(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 }, out), {
      code: 'MEDIA_DTMF_EVENT',
    });
    for (const ev of [
      { event: 1, end: false, volume: 64, duration: 0 },
      { event: 1, end: false, volume: 1, duration: 65536 },
    ]) {
      assert.throws(() => encodeTelephoneEvent(ev, out), { code: 'MEDIA_DTMF_OPTIONS' });
    }
  });
});

const brief = (p: TelephoneEventPacket): string =>
  `${p.timestamp}${p.marker ? 'M' : ''}:${p.duration}${p.end ? 'E' : ''}`;

describe('RFC 4733 sender', () => {
  it('sends a 100 ms digit as 5 updates then the end packet three times (section 2.5.1)', () => {
    const packets = createRfc4733Sender({ event: '5', durationMs: 100, startTimestamp: 1000 }).drain();
    assert.deepEqual(packets.map(brief), [
      '1000M:160',
      '1000:320',
      '1000:480',
      '1000:640',
      '1000:800E',
      '1000:800E',
      '1000:800E',
    ]);
    assert.deepEqual(decodeTelephoneEvent(packets[4]!.payload), { event: 5, end: true, volume: 10, duration: 800 });
  });

  const shapes: [name: string, opts: { durationMs: number; intervalMs?: number; clockRate?: number }, want: string[]][] = [
    ['a 50 ms interval', { durationMs: 120, intervalMs: 50 }, ['0M:400', '0:800', '0:960E', '0:960E', '0:960E']],
    ['a tone shorter than one interval', { durationMs: 5 }, ['0M:160E', '0:160E', '0:160E']],
    ['a 16 kHz clock', { durationMs: 40, clockRate: 16000 }, ['0M:320', '0:640E', '0:640E', '0:640E']],
  ];
  for (const [name, opts, want] of shapes) {
    it(`handles ${name}`, () => {
      assert.deepEqual(createRfc4733Sender({ event: '#', startTimestamp: 0, ...opts }).drain().map(brief), want);
    });
  }

  it('keeps the timestamp across the uint32 wrap', () => {
    const packets = createRfc4733Sender({ event: 1, durationMs: 40, startTimestamp: 0xffffffff }).drain();
    assert.ok(packets.every((p) => p.timestamp === 0xffffffff));
  });

  it('cuts events longer than 0xFFFF units into segments (section 2.5.1.3)', () => {
    // 9 s at 8000 Hz = 72000 units: one full segment then 6465 units.
    const packets = createRfc4733Sender({ event: 'A', durationMs: 9000, startTimestamp: 500 }).drain();
    const first = packets.filter((p) => p.timestamp === 500);
    const second = packets.filter((p) => p.timestamp === 500 + MAX_SEGMENT_DURATION);
    assert.equal(first.length + second.length, packets.length);
    assert.equal(first.at(-1)!.duration, MAX_SEGMENT_DURATION);
    assert.ok(first.every((p) => !p.end));
    assert.equal(packets.filter((p) => p.marker).length, 1);
    assert.ok(packets[0]!.marker);
    assert.deepEqual(second.slice(-3).map(brief), Array(3).fill(`${500 + 65535}:6465E`));
    for (let i = 1; i < second.length - 3; i++) assert.ok(second[i]!.duration > second[i - 1]!.duration);
    assert.ok(packets.every((p) => p.duration <= MAX_SEGMENT_DURATION));
  });

  it('ends an event exactly at 0xFFFF in one segment', () => {
    const packets = createRfc4733Sender({ event: 3, durationMs: 65535 / 8, startTimestamp: 0 }).drain();
    assert.deepEqual(packets.slice(-3).map(brief), Array(3).fill('0:65535E'));
  });

  it('stop() ends early with the duration reached', () => {
    const s = createRfc4733Sender({ event: '9', durationMs: 5000, startTimestamp: 10 });
    s.next();
    s.next();
    s.stop();
    assert.deepEqual(s.drain().map(brief), ['10:320E', '10:320E', '10:320E']);
    assert.ok(s.done);
    assert.equal(s.next(), undefined);
  });

  it('refuses bad digits and options', () => {
    assert.throws(() => createRfc4733Sender({ event: 'X', durationMs: 100, startTimestamp: 0 }), {
      code: 'MEDIA_DTMF_EVENT',
    });
    for (const bad of [{ durationMs: -1 }, { durationMs: 100, volume: 64 }, { durationMs: 100, intervalMs: 0 }]) {
      assert.throws(() => createRfc4733Sender({ event: '1', startTimestamp: 0, ...bad }), {
        code: 'MEDIA_DTMF_OPTIONS',
      });
    }
  });
});
