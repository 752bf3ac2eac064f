import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaClock } from '../media-clock.ts';
import { Mixer } from '../mixer.ts';
import {
  CaptureSink,
  G722,
  Harness,
  ToneSource,
  config,
  level,
  toneShare,
} from '../../../test/support/media-session-harness.ts';
import { ConferenceRoom } from './conference-room.ts';
import { joinMixer } from './mixer-link.ts';
import { MediaSessionError } from './session-error.ts';
import type { MediaSession } from './media-session.ts';

const FREQS = [440, 1100, 1700];

/** Phones with a capture of what they hear, each calling one leg. */
function phones(h: Harness, n: number, legConfig = config()): { phone: MediaSession; leg: MediaSession; heard: CaptureSink }[] {
  return Array.from({ length: n }, () => {
    const phone = h.session();
    const leg = h.session({ config: legConfig });
    h.connect(phone, leg);
    const heard = new CaptureSink();
    phone.addTap(heard, 'received');
    return { phone, leg, heard };
  });
}

const last = (sink: CaptureSink, ticks: number): Int16Array => sink.samples().subarray(-ticks * 160);

test('conference of three: each hears the other two and not itself; play into and record the room', async () => {
  const h = await Harness.create();
  const room = new ConferenceRoom({ clock: h.clock, id: 'r1' });
  try {
    const p = phones(h, 3);
    const joined: string[] = [];
    room.on('member.joined', (e) => joined.push(e.memberId));
    p.forEach((x, i) => room.join(x.leg, { memberId: `m${i}` }));
    assert.deepEqual(joined, ['m0', 'm1', 'm2']);
    assert.equal(p[0]!.leg.mode, 'conference');
    p.forEach((x, i) => x.phone.play(new ToneSource(FREQS[i]!, { amplitude: 5000 })));
    const rec = new CaptureSink();
    room.record(rec, { id: 'room-rec' });
    await h.run(40);
    p.forEach((x, i) => {
      const heard = last(x.heard, 20);
      assert.ok(toneShare(heard, 8000, FREQS[i]!) < 0.01, `member ${i} does not hear itself`);
      for (let j = 0; j < 3; j++) {
        if (j !== i) assert.ok(toneShare(heard, 8000, FREQS[j]!) > 0.2, `member ${i} hears member ${j}: ${toneShare(heard, 8000, FREQS[j]!)}`);
      }
    });
    const room3 = rec.samples().subarray(-20 * 160);
    for (const f of FREQS) assert.ok(toneShare(room3, 8000, f) > 0.15, `the room recording holds ${f} Hz`);

    const started: string[] = [];
    room.on('playback.started', (e) => started.push(e.id));
    room.play(new ToneSource(2500, { durationMs: 300, amplitude: 6000 }), { id: 'beep' });
    await h.run(12);
    assert.deepEqual(started, ['beep']);
    for (const x of p) assert.ok(toneShare(last(x.heard, 8), 8000, 2500) > 0.1, 'everyone hears the announcement');
  } finally {
    room.close();
    await h.close();
  }
});

test('conference controls: mute, deaf, gains, talk events, leave, close', async () => {
  const h = await Harness.create();
  const room = new ConferenceRoom({ clock: h.clock, talk: { hangoverMs: 100 } });
  try {
    const p = phones(h, 3);
    const ids = p.map((x) => room.join(x.leg));
    const talk: string[] = [];
    room.on('talk', (e) => talk.push(`${e.memberId}:${e.state}`));
    p[0]!.phone.play(new ToneSource(FREQS[0]!, { amplitude: 5000 }));
    await h.run(20);
    assert.ok(talk.includes(`${ids[0]}:talking`));
    room.setMute(ids[0]!, true);
    assert.equal(room.memberState(ids[0]!).mute, true);
    await h.run(20);
    assert.ok(level(last(p[1]!.heard, 10)) < 50, 'a muted member is not heard');
    assert.ok(talk.includes(`${ids[0]}:talking`), 'talk detection still runs while muted');
    room.setMute(ids[0]!, false);
    room.setDeaf(ids[1]!, true);
    room.setGains(ids[2]!, { outputDb: -12 });
    await h.run(20);
    assert.ok(level(last(p[1]!.heard, 10)) < 50, 'a deaf member hears nothing');
    const loud = level(last(p[2]!.heard, 10));
    room.setGains(ids[2]!, { outputDb: 0 });
    await h.run(20);
    assert.ok(level(last(p[2]!.heard, 10)) > loud * 3, 'output gain applies');
    const left: string[] = [];
    room.on('member.left', (e) => left.push(e.memberId));
    assert.equal(room.leave(ids[2]!), true);
    assert.equal(room.leave(ids[2]!), false);
    assert.deepEqual(left, [ids[2]]);
    assert.equal(p[2]!.leg.mode, 'standalone');
    assert.throws(() => room.setMute('nobody', true), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_NOT_FOUND');
    p[1]!.leg.close();
    assert.deepEqual(room.memberIds(), [ids[0]]);
    room.close();
    assert.equal(p[0]!.leg.mode, 'standalone');
    assert.throws(() => room.join(p[2]!.leg), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_CLOSED');
  } finally {
    room.close();
    await h.close();
  }
});

test('a wideband room mixes a G.722 leg with PCMU legs', async () => {
  const h = await Harness.create();
  const room = new ConferenceRoom({ clock: h.clock, sampleRate: 16000 });
  try {
    const narrow = phones(h, 1);
    const phone = h.session({ config: config(G722) });
    const leg = h.session({ config: config(G722) });
    h.connect(phone, leg);
    const heardWide = new CaptureSink(16000);
    phone.addTap(heardWide, 'received');
    room.join(narrow[0]!.leg);
    room.join(leg);
    narrow[0]!.phone.play(new ToneSource(700));
    phone.play(new ToneSource(1900, { sampleRate: 16000 }));
    await h.run(40);
    assert.ok(toneShare(heardWide.samples().subarray(-20 * 320), 16000, 700) > 0.5);
    assert.ok(toneShare(last(narrow[0]!.heard, 20), 8000, 1900) > 0.5);
  } finally {
    room.close();
    await h.close();
  }
});

test('joinMixer on a bare Mixer: the mixer is mixed once per tick while it has members', async () => {
  const h = await Harness.create();
  try {
    const mixer = new Mixer();
    const p = phones(h, 2);
    const links = p.map((x) => joinMixer(x.leg, mixer));
    p[0]!.phone.play(new ToneSource(600));
    p[1]!.phone.play(new ToneSource(1500));
    await h.run(30);
    assert.ok(toneShare(last(p[0]!.heard, 15), 8000, 1500) > 0.5);
    assert.ok(toneShare(last(p[1]!.heard, 15), 8000, 600) > 0.5);
    assert.throws(() => joinMixer(p[0]!.leg, mixer), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_BUSY');
    for (const l of links) l.close();
    assert.equal(mixer.size, 0);
    const other = new ConferenceRoom({ clock: new MediaClock() });
    assert.throws(() => other.join(p[0]!.leg), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_CLOCK');
    other.close();
  } finally {
    await h.close();
  }
});
