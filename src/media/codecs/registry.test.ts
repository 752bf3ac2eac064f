import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodecDescriptor } from './index.ts';
import {
  BUILTIN_CODECS,
  CodecRegistry,
  createCodec,
  createMediaCodec,
  createPcmu,
  findCodec,
  parseEventList,
} from './index.ts';

describe('codec registry', () => {
  const table: [sdpName: string, name: string, pt: number, clock: number][] = [
    ['PCMU', 'PCMU', 0, 8000],
    ['pcmu', 'PCMU', 0, 8000],
    ['PCMA', 'PCMA', 8, 8000],
    ['g722', 'G722', 9, 8000],
    ['L16', 'L16', 96, 8000],
    ['OPUS', 'opus', 111, 48000],
    ['Telephone-Event', 'telephone-event', 101, 8000],
  ];
  for (const [sdpName, name, pt, clock] of table) {
    it(`finds "${sdpName}" as ${name}, PT ${pt}, ${clock} Hz`, () => {
      const d = findCodec(sdpName);
      assert.equal(d?.name, name);
      assert.equal(d?.defaultPayloadType, pt);
      assert.equal(d?.clockRate, clock);
    });
  }

  it('creates independent instances with the negotiated payload type', () => {
    const a = createCodec('pcma', { payloadType: 100 });
    const b = createCodec('PCMA');
    assert.notEqual(a, b);
    assert.equal(a.payloadType, 100);
    assert.equal(b.payloadType, 8);
  });

  it('creates telephone-event as an event format, not an audio codec', () => {
    const te = createMediaCodec('telephone-event', { payloadType: 96, fmtp: { events: '0-15' } });
    assert.equal(te.kind, 'event');
    if (te.kind !== 'event') return;
    assert.equal(te.payloadType, 96);
    assert.equal(te.clockRate, 8000);
    assert.ok(te.supports(15));
    assert.ok(!te.supports(16));
    assert.throws(() => createCodec('telephone-event'), { code: 'MEDIA_CODEC_NOT_AUDIO' });
    assert.throws(() => createMediaCodec('telephone-event', { fmtp: { events: '0-x' } }), {
      code: 'MEDIA_CODEC_OPTIONS',
    });
  });

  it('rejects unknown names', () => {
    assert.throws(() => createCodec('G729'), { code: 'MEDIA_CODEC_UNKNOWN' });
    assert.equal(findCodec('speex'), undefined);
  });

  it('accepts registrations in a separate registry', () => {
    const r = new CodecRegistry([]);
    assert.equal(r.get('PCMU'), undefined);
    const custom: CodecDescriptor = { ...BUILTIN_CODECS[0]!, name: 'X-ULAW', create: createPcmu };
    r.register(custom);
    assert.equal(r.createCodec('x-ulaw').name, 'PCMU');
    assert.deepEqual(r.names(), ['X-ULAW']);
  });

  const lists: [events: string, yes: number[], no: number[]][] = [
    ['0-15', [0, 9, 15], [16, 255]],
    ['0-16,32,36-40', [16, 32, 36, 40], [17, 35, 41]],
    ['16', [16], [15, 17]],
  ];
  for (const [events, yes, no] of lists) {
    it(`parses the events list "${events}"`, () => {
      const has = parseEventList(events)!;
      for (const e of yes) assert.ok(has(e), `${e}`);
      for (const e of no) assert.ok(!has(e), `${e}`);
    });
  }

  for (const bad of ['', '1-', '5-3', 'a', '0-256', '1,,2']) {
    it(`refuses the events list "${bad}"`, () => assert.equal(parseEventList(bad), undefined));
  }
});
