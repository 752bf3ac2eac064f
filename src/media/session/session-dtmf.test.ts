import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTelephoneEvent } from '../dtmf/index.ts';
import { Harness, PCMU, ToneSource, config } from '../../../test/support/media-session-harness.ts';
import type { MediaSessionEvents } from './session-events.ts';
import { MediaSessionError } from './session-error.ts';

type Dtmf = MediaSessionEvents['dtmf'];

test('RFC 4733: digits sent by A are reported by B exactly once each, with proper packets', async () => {
  const h = await Harness.create();
  try {
    const a = h.session();
    const b = h.session({ probe: true });
    h.connect(a, b);
    const got: Dtmf[] = [];
    b.on('dtmf', (e) => got.push(e));
    const sent: string[] = [];
    a.on('dtmf.sent', (e) => sent.push(e.digits));
    a.sendDtmf('123#', { durationMs: 100, interDigitMs: 60 });
    await h.run(60);
    assert.deepEqual(got.map((e) => e.digit), ['1', '2', '3', '#']);
    for (const e of got) {
      assert.equal(e.source, 'rfc4733');
      assert.equal(e.durationMs, 100);
    }
    assert.deepEqual(sent, ['123#']);
    assert.equal(a.stats().eventPacketsOut, 4 * (5 + 2), 'five updates, the end packet three times');
    assert.equal(b.stats().dtmfIn, 4);
    const packets = h.probe(b);
    const events = packets.filter((p) => p.pt === 101);
    const first = events.filter((p) => decodeTelephoneEvent(p.payload)!.event === 1);
    assert.equal(first.length, 7);
    assert.equal(first[0]!.marker, true);
    assert.ok(first.slice(1).every((p) => !p.marker));
    assert.ok(first.every((p) => p.ts === first[0]!.ts), 'every packet carries the event start timestamp');
    assert.deepEqual(first.map((p) => decodeTelephoneEvent(p.payload)!.end), [false, false, false, false, true, true, true]);
    assert.deepEqual(first.map((p) => decodeTelephoneEvent(p.payload)!.duration), [160, 320, 480, 640, 800, 800, 800]);
    // Audio is paused under the event and resumes with a timestamp past its end.
    const after = packets.find((p) => p.pt === 0 && p.seq === ((first.at(-1)!.seq + 1) & 0xffff));
    assert.ok(after, 'audio follows the event');
    assert.ok(((after.ts - first[0]!.ts) >>> 0) >= 800);
    assert.equal(after.marker, true);
    for (let i = 1; i < packets.length; i++) assert.equal((packets[i]!.seq - packets[i - 1]!.seq) & 0xffff, 1, 'one sequence space');
  } finally {
    await h.close();
  }
});

test('in-band: without telephone-event digits go out as tones and are detected by Goertzel', async () => {
  const h = await Harness.create();
  try {
    const noTe = config(PCMU, { telephoneEventPt: undefined });
    const [a, b] = h.pair({ config: noTe }, { config: noTe });
    const got: Dtmf[] = [];
    b.on('dtmf', (e) => got.push(e));
    a.sendDtmf('159*', { durationMs: 80, interDigitMs: 80 });
    await h.run(50);
    assert.deepEqual(got.map((e) => `${e.digit}/${e.source}`), ['1/inband', '5/inband', '9/inband', '*/inband']);
    for (const e of got) assert.ok(Math.abs(e.durationMs - 80) <= 20, `duration ${e.durationMs}`);
    assert.equal(a.stats().eventPacketsOut, 0);
  } finally {
    await h.close();
  }
});

test('in-band detection can be turned off, and on beside telephone-event', async () => {
  const h = await Harness.create();
  try {
    const noTe = config(PCMU, { telephoneEventPt: undefined });
    const [a, b] = h.pair({ config: noTe }, { config: noTe, inbandDtmf: 'off' });
    const got: Dtmf[] = [];
    b.on('dtmf', (e) => got.push(e));
    a.sendDtmf('7');
    await h.run(20);
    assert.deepEqual(got, []);
    assert.equal(b.stats().decodedFrames, 0, 'nothing needs the audio decoded');
  } finally {
    await h.close();
  }
});

test('setInbandDtmf switches Goertzel detection at run time (start_dtmf / stop_dtmf), also beside telephone-event', async () => {
  const h = await Harness.create();
  try {
    const noTe = config(PCMU, { telephoneEventPt: undefined });
    const [a, b] = h.pair({ config: noTe }, { config: noTe });
    const got: Dtmf[] = [];
    b.on('dtmf', (e) => got.push(e));
    assert.equal(b.inbandDtmf, true, 'auto: on without telephone-event');
    b.setInbandDtmf('off');
    assert.equal(b.inbandDtmf, false);
    a.sendDtmf('4', { durationMs: 80 });
    await h.run(20);
    assert.equal(got.length, 0, 'off: the tone is not reported');
    b.setInbandDtmf('on');
    a.sendDtmf('6', { durationMs: 80 });
    await h.run(20);
    assert.deepEqual(got.map((e) => `${e.digit}/${e.source}`), ['6/inband']);
    b.setInbandDtmf('auto');
    assert.equal(b.inbandDtmf, true);
    // With telephone-event negotiated, auto leaves detection off and `on` turns it on.
    const withTe = h.session();
    assert.equal(withTe.inbandDtmf, false);
    withTe.setInbandDtmf('on');
    assert.equal(withTe.inbandDtmf, true);
    withTe.close();
    assert.throws(() => withTe.setInbandDtmf('off'), MediaSessionError);
  } finally {
    await h.close();
  }
});

test('SIP INFO digits are injected as dtmf events; bad digits are refused', async () => {
  const h = await Harness.create();
  try {
    const a = h.session();
    const got: Dtmf[] = [];
    a.on('dtmf', (e) => got.push(e));
    a.injectDtmf('5', 160);
    a.injectDtmf('a');
    a.injectDtmf('flash', 0);
    assert.deepEqual(got, [
      { digit: '5', durationMs: 160, source: 'info' },
      { digit: 'A', durationMs: 100, source: 'info' },
      { digit: 'flash', durationMs: 0, source: 'info' },
    ]);
    const dtmfError = (e: unknown): boolean => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_DTMF';
    assert.throws(() => a.injectDtmf('x'), dtmfError);
    assert.throws(() => a.sendDtmf('12x'), dtmfError);
  } finally {
    await h.close();
  }
});

test('a listener that throws does not break the session', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair();
    b.on('dtmf', () => {
      throw new Error('boom');
    });
    const got: string[] = [];
    b.on('dtmf', (e) => got.push(e.digit));
    a.sendDtmf('42', { durationMs: 60 });
    a.play(new ToneSource(440, { durationMs: 200 }));
    await h.run(30);
    assert.deepEqual(got, ['4', '2']);
    assert.ok(b.stats().audioPacketsIn > 10);
  } finally {
    await h.close();
  }
});
