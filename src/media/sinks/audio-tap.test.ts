import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sine, sineFit } from '../../../test/support/signals.ts';
import { AudioTap, TeeSink } from './index.ts';
import type { AudioSink, AudioTapOptions, TapFrameInfo, TapMode } from './index.ts';

interface Got {
  frames: Int16Array[];
  infos: TapFrameInfo[];
}

function tap(opts: Omit<AudioTapOptions, 'onFrame'>): { t: AudioTap; got: Got } {
  const got: Got = { frames: [], infos: [] };
  const t = new AudioTap({ ...opts, onFrame: (f, info) => (got.frames.push(f), got.infos.push(info)) });
  return { t, got };
}

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((s, f) => s + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

function feedBoth(sink: AudioSink, a: Int16Array, b: Int16Array, size = 160): void {
  for (let at = 0; at < a.length; at += size) {
    sink.write(a.subarray(at, at + size), 0);
    sink.write(b.subarray(at, at + size), 1);
  }
}

const a = Int16Array.from({ length: 800 }, (_, i) => i);
const b = Int16Array.from({ length: 800 }, (_, i) => -i);

describe('AudioTap modes', () => {
  const modes: [TapMode, (i: number) => number[], 1 | 2][] = [
    ['left', (i) => [i], 1],
    ['right', (i) => [-i || 0], 1],
    ['mix', () => [0], 1],
    ['stereo', (i) => [i, -i || 0], 2],
  ];
  for (const [mode, expect, channels] of modes) {
    it(`${mode}: delivers ${channels} channel(s) per frame as written`, async () => {
      const { t, got } = tap({ sampleRate: 8000, mode });
      feedBoth(t, a, b);
      await t.close();
      const y = concat(got.frames);
      assert.equal(y.length, 800 * channels);
      assert.deepEqual([...y.subarray(0, 2 * channels)], [...expect(0), ...expect(1)]);
      assert.deepEqual([...y.subarray(y.length - channels)], expect(799));
      assert.deepEqual(got.infos[0], { channels, sampleRate: 8000 });
      assert.equal(got.frames.length, 5);
    });
  }

  it('mix clips instead of wrapping', async () => {
    const { t, got } = tap({ sampleRate: 8000, mode: 'mix' });
    feedBoth(t, new Int16Array(160).fill(30000), new Int16Array(160).fill(30000));
    await t.close();
    assert.ok(got.frames[0]!.every((v) => v === 32767));
  });
});

describe('AudioTap resampling and framing', () => {
  const rates: [number, number, TapMode][] = [
    [8000, 16000, 'left'],
    [16000, 8000, 'mix'],
    [48000, 16000, 'stereo'],
  ];
  for (const [from, to, mode] of rates) {
    it(`${from} -> ${to} Hz (${mode}) keeps a 1 kHz tone and the length`, async () => {
      const { t, got } = tap({ sampleRate: from, outputRate: to, mode });
      const x = sine(1000, from, from, 8000);
      feedBoth(t, x, mode === 'mix' ? new Int16Array(from) : x, from / 50);
      await t.close();
      const y = concat(got.frames);
      const ch = mode === 'stereo' ? 2 : 1;
      const left = ch === 2 ? y.filter((_, i) => i % 2 === 0) : y;
      assert.ok(Math.abs(left.length - to) <= 64, `length ${left.length}`);
      const fit = sineFit(left, 1000, to, 100, left.length);
      assert.ok(Math.abs(fit.amplitude - 8000) < 200, `amplitude ${fit.amplitude}`);
      assert.equal(got.infos[0]!.sampleRate, to);
    });
  }

  it('frameMs re-chunks into fixed frames; close delivers the rest', async () => {
    const { t, got } = tap({ sampleRate: 8000, mode: 'stereo', frameMs: 100 });
    feedBoth(t, a, b);
    feedBoth(t, a.subarray(0, 160), b.subarray(0, 160));
    // 100 ms of stereo at 8 kHz is 800 sample pairs: 1600 interleaved values.
    assert.deepEqual(
      got.frames.map((f) => f.length),
      [1600],
    );
    await t.close();
    assert.deepEqual(
      got.frames.map((f) => f.length),
      [1600, 320],
    );
    assert.deepEqual([...got.frames[1]!.subarray(0, 4)], [0, 0, 1, -1]);
  });

  it('delivered frames are copies unless reuseBuffer', async () => {
    const { t, got } = tap({ sampleRate: 8000, mode: 'left' });
    t.write(new Int16Array(160).fill(1));
    t.write(new Int16Array(160).fill(2));
    assert.notEqual(got.frames[0]!.buffer, got.frames[1]!.buffer);
    assert.equal(got.frames[0]![0], 1);
    const r = tap({ sampleRate: 8000, mode: 'left', reuseBuffer: true });
    r.t.write(new Int16Array(160).fill(1));
    r.t.write(new Int16Array(160).fill(2));
    assert.equal(r.got.frames[0]!.buffer, r.got.frames[1]!.buffer);
  });
});

describe('AudioTap safety', () => {
  it('a throwing callback is counted and reported, never thrown into write()', () => {
    const errors: unknown[] = [];
    const t = new AudioTap({
      sampleRate: 8000,
      mode: 'left',
      onFrame: () => {
        throw new Error('consumer bug');
      },
      onError: (e) => errors.push(e),
    });
    assert.doesNotThrow(() => t.write(new Int16Array(160)));
    t.write(new Int16Array(160));
    assert.equal(t.listenerErrors, 2);
    assert.equal(errors.length, 2);
    assert.equal(t.delivered, 2);
  });

  it('pause drops audio; close is idempotent and stops delivery', async () => {
    const { t, got } = tap({ sampleRate: 8000, mode: 'left' });
    t.pause();
    t.write(new Int16Array(160));
    t.resume();
    t.write(new Int16Array(160));
    await t.close();
    await t.close();
    t.write(new Int16Array(160));
    assert.equal(got.frames.length, 1);
  });

  it('rejects bad options with MEDIA_SINK_OPTIONS', () => {
    const onFrame = (): void => undefined;
    assert.throws(() => new AudioTap({ sampleRate: 8000, mode: 'both' as TapMode, onFrame }), { code: 'MEDIA_SINK_OPTIONS' });
    assert.throws(() => new AudioTap({ sampleRate: 8000, frameMs: 0, onFrame }), { code: 'MEDIA_SINK_OPTIONS' });
    assert.throws(() => new AudioTap({ sampleRate: 8000, outputRate: 1000, onFrame }), { code: 'MEDIA_SINK_OPTIONS' });
  });
});

describe('TeeSink', () => {
  it('fans frames out to every sink and closes them all', async () => {
    const one = tap({ sampleRate: 8000, mode: 'left' });
    const two = tap({ sampleRate: 8000, mode: 'stereo' });
    const tee = new TeeSink(8000, [one.t, two.t]);
    feedBoth(tee, a, b);
    await tee.close();
    assert.equal(concat(one.got.frames).length, 800);
    assert.equal(concat(two.got.frames).length, 1600);
    tee.write(a);
    assert.equal(concat(one.got.frames).length, 800);
  });

  it('refuses a sink of another rate; remove detaches', () => {
    const tee = new TeeSink(8000);
    assert.throws(() => tee.add(tap({ sampleRate: 16000 }).t), { code: 'MEDIA_SINK_OPTIONS' });
    const s = tap({ sampleRate: 8000 }).t;
    tee.add(s);
    assert.equal(tee.remove(s), true);
    assert.equal(tee.remove(s), false);
    assert.equal(tee.size, 0);
  });
});
