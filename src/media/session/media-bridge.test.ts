import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CaptureSink,
  G722,
  Harness,
  PCMA,
  PCMU,
  ToneSource,
  config,
  dominantFrequency,
  toneShare,
  type ProbedPacket,
  type SessionSetup,
} from '../../../test/support/media-session-harness.ts';
import { isOpusAvailable } from '../codecs/index.ts';
import { bridgeSessions } from './media-bridge.ts';
import type { MediaSession } from './media-session.ts';
import { MediaSessionError } from './session-error.ts';
import type { MediaSessionEvents } from './session-events.ts';

/** Phone A talks to leg B, leg C talks to phone D; B and C are the legs a bridge joins. */
function call(h: Harness, ab: SessionSetup = {}, cd: SessionSetup = {}): { a: MediaSession; b: MediaSession; c: MediaSession; d: MediaSession } {
  const a = h.session({ ...ab, probe: true });
  const b = h.session({ ...ab });
  const c = h.session({ ...cd });
  const d = h.session({ ...cd, probe: true });
  h.connect(a, b);
  h.connect(c, d);
  return { a, b, c, d };
}

function assertContinuous(packets: ProbedPacket[], tsStep: number): void {
  for (let i = 1; i < packets.length; i++) {
    const p = packets[i - 1]!;
    const q = packets[i]!;
    assert.equal(q.ssrc, p.ssrc, `one SSRC (packet ${i})`);
    assert.equal((q.seq - p.seq) & 0xffff, 1, `sequence continues at packet ${i}`);
    if (p.pt === q.pt) assert.equal((q.ts - p.ts) >>> 0, tsStep, `timestamp continues at packet ${i}`);
  }
}

const busy = (e: unknown): boolean => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_BUSY';

test('relay bridge: same codec passes packets without decoding; streams stay continuous across bridge, prompt and unbridge', async () => {
  const h = await Harness.create();
  try {
    const { a, b, c, d } = call(h);
    const atA = new CaptureSink();
    const atD = new CaptureSink();
    a.addTap(atA, 'received');
    d.addTap(atD, 'received');
    await h.run(5);
    const bridge = bridgeSessions(b, c);
    assert.equal(bridge.mode, 'relay');
    assert.equal(b.mode, 'relay');
    assert.throws(() => bridgeSessions(b, d), busy);
    assert.throws(() => bridgeSessions(d, d), busy);
    assert.throws(() => b.echo(true), busy);
    a.play(new ToneSource(500));
    d.play(new ToneSource(1000));
    await h.run(30);
    const relayedAtA = atA.samples().subarray(-20 * 160);
    assert.equal(dominantFrequency(relayedAtA, 8000), 1000);
    assert.equal(dominantFrequency(atD.samples().subarray(-20 * 160), 8000), 500);
    b.play(new ToneSource(2000, { durationMs: 100 }));
    await h.run(15);
    bridge.close();
    bridge.close();
    assert.equal(b.mode, 'standalone');
    await h.run(5);
    assert.equal(b.stats().decodedFrames, 0, 'B relays without decoding');
    assert.equal(c.stats().decodedFrames, 0, 'C relays without decoding');
    assert.ok(b.stats().relayedPacketsOut >= 35, `B relayed ${b.stats().relayedPacketsOut}`);
    assert.ok(c.stats().relayedPacketsOut >= 40);
    assertContinuous(h.probe(a), 160);
    assertContinuous(h.probe(d), 160);
    assert.equal(h.probe(a).length, 55, 'one packet per tick from B, whatever fed it');
    assert.ok(atA.samples().length > 0);
    const prompt = atA.samples().subarray(-17 * 160, -7 * 160);
    assert.ok(toneShare(prompt, 8000, 2000) > 0.2, 'the prompt on B replaced the relayed audio');
  } finally {
    await h.close();
  }
});

test('relay bridge: RFC 4733 events are relayed with the other leg\'s payload type; INFO digits are sent on', async () => {
  const h = await Harness.create();
  try {
    const te96: SessionSetup = { config: config(PCMU, { telephoneEventPt: 96 }) };
    const { a, b, c, d } = call(h, {}, te96);
    bridgeSessions(b, c);
    const atD: MediaSessionEvents['dtmf'][] = [];
    const atB: string[] = [];
    d.on('dtmf', (e) => atD.push(e));
    b.on('dtmf', (e) => atB.push(e.digit));
    a.sendDtmf('5', { durationMs: 100 });
    await h.run(12);
    b.injectDtmf('7', 120);
    await h.run(15);
    assert.deepEqual(atB, ['5', '7']);
    assert.deepEqual(atD.map((e) => `${e.digit}/${e.source}/${e.durationMs}`), ['5/rfc4733/100', '7/rfc4733/120']);
    const events = h.probe(d).filter((p) => p.pt === 96);
    assert.equal(events.length, 7 + 8, 'the relayed event and the generated one (120 ms: six updates), all with PT 96');
    assert.equal(h.probe(d).filter((p) => p.pt === 101).length, 0);
    assert.equal(c.stats().eventPacketsOut, 8, 'the INFO digit was generated, the RFC 4733 one relayed');
  } finally {
    await h.close();
  }
});

test('relay bridge to a leg without telephone-event: digits become tones there', async () => {
  const h = await Harness.create();
  try {
    const noTe: SessionSetup = { config: config(PCMU, { telephoneEventPt: undefined }) };
    const { a, b, c, d } = call(h, {}, noTe);
    assert.equal(bridgeSessions(b, c).mode, 'relay');
    const atD: string[] = [];
    d.on('dtmf', (e) => atD.push(`${e.digit}/${e.source}`));
    a.sendDtmf('38', { durationMs: 100 });
    await h.run(30);
    assert.deepEqual(atD, ['3/inband', '8/inband']);
  } finally {
    await h.close();
  }
});

test('transcoding bridge PCMU <-> PCMA keeps the tone frequency both ways', async () => {
  const h = await Harness.create();
  try {
    const pcma: SessionSetup = { config: config(PCMA) };
    const { a, b, c, d } = call(h, {}, pcma);
    const bridge = bridgeSessions(b, c);
    assert.equal(bridge.mode, 'transcode');
    const atA = new CaptureSink();
    const atD = new CaptureSink();
    a.addTap(atA, 'received');
    d.addTap(atD, 'received');
    a.play(new ToneSource(700));
    d.play(new ToneSource(1300));
    await h.run(40);
    assert.equal(dominantFrequency(atA.samples().subarray(-25 * 160), 8000), 1300);
    assert.equal(dominantFrequency(atD.samples().subarray(-25 * 160), 8000), 700);
    assert.ok(b.stats().decodedFrames > 20 && c.stats().decodedFrames > 20);
    assert.equal(b.stats().relayedPacketsOut, 0);
    assert.deepEqual([...new Set(h.probe(d).map((p) => p.pt))], [8]);
  } finally {
    await h.close();
  }
});

test('transcoding bridge PCMU <-> G.722 resamples 8 <-> 16 kHz and keeps the tone frequency', async () => {
  const h = await Harness.create();
  try {
    const g722: SessionSetup = { config: config(G722) };
    const { a, b, c, d } = call(h, {}, g722);
    assert.equal(bridgeSessions(b, c).mode, 'transcode');
    const atA = new CaptureSink(8000);
    const atD = new CaptureSink(16000);
    a.addTap(atA, 'received');
    d.addTap(atD, 'received');
    a.play(new ToneSource(500));
    d.play(new ToneSource(3000, { sampleRate: 16000 }));
    d.play(new ToneSource(1100, { sampleRate: 16000 }));
    await h.run(40);
    assert.equal(dominantFrequency(atA.samples().subarray(-25 * 160), 8000), 1100);
    assert.equal(dominantFrequency(atD.samples().subarray(-25 * 320), 16000), 500);
  } finally {
    await h.close();
  }
});

test('recording a relayed leg decodes only for the recording; re-INVITE switches relay <-> transcode; closing a leg unbridges', async () => {
  const h = await Harness.create();
  try {
    const { a, b, c, d } = call(h);
    const bridge = bridgeSessions(b, c);
    const rec = new CaptureSink();
    b.record(rec, { mode: 'stereo' });
    a.play(new ToneSource(600));
    d.play(new ToneSource(1500));
    await h.run(30);
    assert.equal(bridge.mode, 'relay');
    assert.equal(dominantFrequency(rec.samples(0).subarray(-15 * 160), 8000), 600);
    assert.equal(dominantFrequency(rec.samples(1).subarray(-15 * 160), 8000), 1500);
    assert.ok(c.stats().decodedFrames > 0, 'C decodes for the recording on B');
    for (const s of [c, d]) s.configure({ ...s.config, codec: PCMA });
    assert.equal(bridge.mode, 'transcode');
    await h.run(10);
    for (const s of [c, d]) s.configure({ ...s.config, codec: PCMU });
    assert.equal(bridge.mode, 'relay');
    c.close();
    assert.equal(bridge.closed, true);
    assert.equal(b.mode, 'standalone');
  } finally {
    await h.close();
  }
});

test('transcoding bridge PCMU <-> Opus (48 kHz) keeps the tone frequency', { skip: !isOpusAvailable() && 'opusscript is not installed' }, async () => {
  const h = await Harness.create();
  try {
    const opus: SessionSetup = { config: config({ name: 'opus', pt: 111, clockRate: 48000, sampleRate: 48000, channels: 2 }) };
    const { a, b, c, d } = call(h, {}, opus);
    assert.equal(bridgeSessions(b, c).mode, 'transcode');
    const atA = new CaptureSink(8000);
    const atD = new CaptureSink(8000);
    a.addTap(atA, 'received');
    d.addTap(atD, 'received');
    a.play(new ToneSource(600));
    d.play(new ToneSource(1250, { sampleRate: 48000 }));
    await h.run(40);
    assert.equal(dominantFrequency(atA.samples().subarray(-20 * 160), 8000), 1250);
    assert.equal(dominantFrequency(atD.samples().subarray(-20 * 160), 8000), 600);
    assert.equal(h.probe(d)[5]!.pt, 111);
    assert.equal((h.probe(d)[6]!.ts - h.probe(d)[5]!.ts) >>> 0, 960, 'Opus timestamps run at 48 kHz');
  } finally {
    await h.close();
  }
});
