import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, ToneSource, level, toneShare } from '../../../test/support/media-session-harness.ts';
import { bridgeSessions } from './media-bridge.ts';
import type { MediaSession } from './media-session.ts';
import { MediaSessionError } from './session-error.ts';
import { SessionControls } from './session-controls.ts';

/** A harness of `pairs` port pairs; a range another process holds is tried again elsewhere (3 tries). */
async function harness(pairs: number): Promise<Harness> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Harness.create(pairs);
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== 'MEDIA_PORT_BIND') throw err;
    }
  }
}

/** What `s` receives from now on, for `ticks` ticks (the first 5 left out). */
async function heard(h: Harness, s: MediaSession, ticks: number): Promise<Int16Array> {
  const sink = new CaptureSink();
  const id = s.addTap(sink, 'received');
  await h.run(ticks);
  s.removeTap(id);
  return sink.samples().subarray(5 * 160);
}

test('output gain: a relayed bridge is decoded and scaled for the party, 0 dB relays it untouched again', async () => {
  const h = await harness(4);
  try {
    // Phone A talks to leg B; leg C (bridged to B) sends to phone D.
    const a = h.session({ probe: true });
    const b = h.session({});
    const c = h.session({});
    const d = h.session({ probe: true });
    h.connect(a, b);
    h.connect(c, d);
    const bridge = bridgeSessions(b, c);
    assert.equal(bridge.mode, 'relay');
    a.play(new ToneSource(500, { amplitude: 4000 }), { loop: 0 });
    await h.run(5);
    const plain = level(await heard(h, d, 25));
    assert.ok(plain > 1500, `D hears A (level ${plain})`);
    c.setOutputGain(-12);
    await h.run(3);
    const quiet = await heard(h, d, 25);
    assert.ok(toneShare(quiet, 8000, 500) > 0.5, 'still the tone');
    const ratio = level(quiet) / plain;
    assert.ok(ratio > 0.18 && ratio < 0.33, `-12 dB is about a quarter (ratio ${ratio})`);
    c.setOutputGain(6);
    await h.run(3);
    const loud = level(await heard(h, d, 25)) / plain;
    assert.ok(loud > 1.7 && loud < 2.3, `+6 dB is about double (ratio ${loud})`);
    c.setOutputGain(0);
    await h.run(3);
    const back = level(await heard(h, d, 25)) / plain;
    assert.ok(back > 0.85 && back < 1.15, `0 dB: as before (ratio ${back})`);
    assert.throws(() => c.setOutputGain(40), (err: unknown) => err instanceof MediaSessionError && err.code === 'MEDIA_SESSION_CONFIG');
  } finally {
    await h.close();
  }
});

test('output gain scales a prompt too, and the session.gain control command sets it', async () => {
  const h = await harness(2);
  try {
    const b = h.session({});
    const d = h.session({ probe: true });
    h.connect(b, d);
    b.play(new ToneSource(700, { amplitude: 4000 }), { loop: 0 });
    await h.run(5);
    const plain = level(await heard(h, d, 25));
    const controls = new SessionControls({ openSource: () => { throw new Error('unused'); }, postStopped: () => {} });
    assert.equal(await controls.handle({ op: 'session.gain', sessionId: b.id, db: -20 }, b), undefined);
    await h.run(3);
    const ratio = level(await heard(h, d, 25)) / plain;
    assert.ok(ratio > 0.07 && ratio < 0.14, `-20 dB is about a tenth (ratio ${ratio})`);
  } finally {
    await h.close();
  }
});
