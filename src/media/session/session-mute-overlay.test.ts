import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CaptureSink, Harness, ToneSource, level, toneShare, type SessionSetup,
} from '../../../test/support/media-session-harness.ts';
import { ConferenceRoom } from './conference-room.ts';
import { bridgeSessions } from './media-bridge.ts';
import type { MediaSession } from './media-session.ts';

/** Phone A talks to leg B, leg C talks to phone D; B and C are bridged. */
function call(h: Harness, setup: SessionSetup = {}): { a: MediaSession; b: MediaSession; c: MediaSession; d: MediaSession } {
  const a = h.session({ ...setup, probe: true });
  const b = h.session({ ...setup });
  const c = h.session({ ...setup });
  const d = h.session({ ...setup, probe: true });
  h.connect(a, b);
  h.connect(c, d);
  bridgeSessions(b, c);
  return { a, b, c, d };
}

/** What `s` receives from now on, for `ticks` ticks. */
async function heard(h: Harness, s: MediaSession, ticks: number): Promise<Int16Array> {
  const sink = new CaptureSink();
  const id = s.addTap(sink, 'received');
  await h.run(ticks);
  s.removeTap(id);
  return sink.samples().subarray(5 * 160);
}

test('mute: the bridged leg hears silence instead of the party, digits still pass, unmute restores it', async () => {
  const h = await Harness.create();
  try {
    const { a, b, d } = call(h);
    a.play(new ToneSource(500), { loop: 0 });
    await h.run(5);
    assert.ok(toneShare(await heard(h, d, 20), 8000, 500) > 0.5, 'D hears A');
    const said = new CaptureSink();
    b.addTap(said, 'received');
    b.setMuted(true);
    assert.equal(b.muted, true);
    await h.run(3);
    const digits: string[] = [];
    d.on('dtmf', (e) => digits.push(e.digit));
    a.sendDtmf('5', { durationMs: 100 });
    const muted = await heard(h, d, 30);
    assert.ok(level(muted) < 5, `D hears silence while B is muted (level ${level(muted)})`);
    assert.deepEqual(digits, ['5'], 'the digit went through');
    assert.ok(level(said.samples().subarray(-10 * 160)) === 0, 'a tap of what B hears from A is silent too');
    b.setMuted(false);
    await h.run(3);
    assert.ok(toneShare(await heard(h, d, 20), 8000, 500) > 0.5, 'D hears A again');
  } finally {
    await h.close();
  }
});

test('mute in transcode mode: the converted audio is silence too', async () => {
  const h = await Harness.create();
  try {
    const a = h.session();
    const b = h.session();
    const c = h.session({ config: { codec: { name: 'PCMA', pt: 8, clockRate: 8000, sampleRate: 8000, channels: 1 }, ptime: 20, direction: 'sendrecv', telephoneEventPt: 101 } });
    const d = h.session({ config: { codec: { name: 'PCMA', pt: 8, clockRate: 8000, sampleRate: 8000, channels: 1 }, ptime: 20, direction: 'sendrecv', telephoneEventPt: 101 } });
    h.connect(a, b);
    h.connect(c, d);
    const bridge = bridgeSessions(b, c);
    assert.equal(bridge.mode, 'transcode');
    a.play(new ToneSource(700), { loop: 0 });
    await h.run(5);
    const before = await heard(h, d, 20);
    assert.ok(toneShare(before, 8000, 700) > 0.5, `D hears A through the transcoder (${toneShare(before, 8000, 700)}, level ${level(before)})`);
    b.setMuted(true);
    await h.run(3);
    const muted = await heard(h, d, 20);
    assert.ok(level(muted) <= 8 && toneShare(muted, 8000, 700) < 0.01, `silence (A-law's smallest step) while muted (level ${level(muted)}, 700 Hz share ${toneShare(muted, 8000, 700)})`);
  } finally {
    await h.close();
  }
});

test('overlay over a relay bridge: the party hears the other leg and the track together, then the relay again', async () => {
  const h = await Harness.create();
  try {
    const { a, c, d } = call(h);
    a.play(new ToneSource(500), { loop: 0 });
    await h.run(5);
    const started: string[] = [];
    const stopped: string[] = [];
    c.on('playback.started', (e) => started.push(e.id));
    c.on('playback.stopped', (e) => stopped.push(`${e.id}:${e.reason}`));
    const id = c.overlay.play('bg', new ToneSource(1500, { amplitude: 4000 }), { loop: 0, gainDb: -3 });
    assert.equal(c.hasFeeds, true, 'the overlay needs the other leg decoded');
    await h.run(5);
    const both = await heard(h, d, 30);
    assert.ok(toneShare(both, 8000, 500) > 0.15, `the other leg is heard (${toneShare(both, 8000, 500)})`);
    assert.ok(toneShare(both, 8000, 1500) > 0.05, `the track is heard (${toneShare(both, 8000, 1500)})`);
    assert.deepEqual(started, [id]);
    const relayedBefore = c.stats().relayedPacketsOut;
    assert.ok(c.overlay.silence('bg'));
    assert.deepEqual(stopped, [`${id}:stopped`]);
    await h.run(5);
    const after = await heard(h, d, 20);
    assert.ok(toneShare(after, 8000, 1500) < 0.02, 'the track is gone');
    assert.ok(toneShare(after, 8000, 500) > 0.5);
    assert.ok(c.stats().relayedPacketsOut > relayedBefore, 'packets are relayed again');
    const packets = h.probe(d);
    for (let i = 1; i < packets.length; i++) assert.equal((packets[i]!.seq - packets[i - 1]!.seq) & 0xffff, 1, `continuous numbering at ${i}`);
  } finally {
    await h.close();
  }
});

test('overlay over a prompt on a standalone leg, and closed with the session', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair();
    b.play(new ToneSource(700), { loop: 0 });
    b.overlay.play('one', new ToneSource(1300, { amplitude: 3000 }), { loop: 0 });
    b.overlay.play('two', new ToneSource(400, { amplitude: 3000 }), { loop: 0 });
    await h.run(3);
    const got = await heard(h, a, 30);
    for (const f of [400, 700, 1300]) assert.ok(toneShare(got, 8000, f) > 0.1, `${f} Hz heard`);
    const stopped: string[] = [];
    b.on('playback.stopped', (e) => stopped.push(e.reason));
    b.close();
    assert.equal(stopped.length, 3, 'the prompt and both tracks stop with the session');
  } finally {
    await h.close();
  }
});

test('mute in a conference: the other members hear silence from the muted one, and an overlay on a member is heard by it alone', async () => {
  const h = await Harness.create();
  const room = new ConferenceRoom({ clock: h.clock, id: 'r1' });
  try {
    const [a, b] = h.pair();
    const [c, d] = h.pair();
    room.join(b, { memberId: 'b' });
    room.join(c, { memberId: 'c' });
    a.play(new ToneSource(500), { loop: 0 });
    await h.run(5);
    assert.ok(toneShare(await heard(h, d, 20), 8000, 500) > 0.5, 'D hears A through the room');
    b.setMuted(true);
    await h.run(2);
    assert.ok(level(await heard(h, d, 20)) < 5, 'muted: D hears silence');
    c.overlay.play('bg', new ToneSource(1300), { loop: 0 });
    await h.run(2);
    assert.ok(toneShare(await heard(h, d, 20), 8000, 1300) > 0.5, 'D hears its own overlay over the room');
    assert.ok(toneShare(await heard(h, a, 20), 8000, 1300) < 0.01, 'A does not');
  } finally {
    room.close();
    await h.close();
  }
});
