import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sine } from '../../../test/support/signals.ts';
import { goertzelPower } from '../dtmf/index.ts';
import { openSource, parseWav } from '../sources/index.ts';
import type { AudioSource } from '../sources/index.ts';
import { SinkError, WavRecorder } from './index.ts';
import type { WavRecorderOptions } from './index.ts';

let dir: string;
let seq = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-wav-recorder-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (): string => join(dir, `rec-${seq++}.wav`);

/** Writes `signal` in 20 ms frames on `channel`. */
function feed(rec: WavRecorder, signal: Int16Array, channel: 0 | 1 = 0): void {
  const size = rec.sampleRate / 50;
  for (let at = 0; at < signal.length; at += size) rec.write(signal.subarray(at, Math.min(signal.length, at + size)), channel);
}

/** Writes two signals tick by tick, channel 0 then channel 1 (as the media clock does). */
function feedBoth(rec: WavRecorder, left: Int16Array, right: Int16Array): void {
  const size = rec.sampleRate / 50;
  for (let at = 0; at < left.length; at += size) {
    rec.write(left.subarray(at, at + size), 0);
    rec.write(right.subarray(at, at + size), 1);
  }
}

function drain(src: AudioSource): Int16Array {
  const f = new Int16Array(src.sampleRate / 50);
  const out: number[] = [];
  for (let n = src.read(f); n > 0; n = src.read(f)) out.push(...f.subarray(0, n));
  return Int16Array.from(out);
}

/** The two channels of a 16-bit stereo WAV. */
async function channelsOf(path: string): Promise<[Int16Array, Int16Array]> {
  const bytes = new Uint8Array(await readFile(path));
  const info = parseWav(bytes);
  assert.equal(info.channels, 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.dataLength);
  const l = new Int16Array(info.frames);
  const r = new Int16Array(info.frames);
  for (let i = 0; i < info.frames; i++) {
    l[i] = view.getInt16(i * 4, true);
    r[i] = view.getInt16(i * 4 + 2, true);
  }
  return [l, r];
}

const A = (rate: number, n: number): Int16Array => sine(500, rate, n, 5000);
const B = (rate: number, n: number): Int16Array => sine(1500, rate, n, 5000, 1);

describe('WavRecorder round trip', () => {
  for (const rate of [8000, 16000]) {
    it(`mono ${rate} Hz: the WAV source plays back exactly what was written`, async () => {
      const path = file();
      const rec = new WavRecorder({ path, sampleRate: rate, mono: 'left' });
      const x = A(rate, rate);
      feed(rec, x);
      feed(rec, B(rate, rate), 1);
      await rec.close();
      assert.equal(rec.durationMs, 1000);
      const info = parseWav(new Uint8Array(await readFile(path)));
      assert.deepEqual([info.sampleRate, info.channels, info.bitsPerSample, info.frames], [rate, 1, 16, rate]);
      assert.deepEqual(drain(await openSource(path, { sampleRate: rate })), x);
    });
  }

  it('mono "right" keeps only channel 1', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, mono: 'right' });
    feedBoth(rec, A(8000, 800), B(8000, 800));
    await rec.close();
    assert.deepEqual(drain(await openSource(path, { sampleRate: 8000 })), B(8000, 800));
  });

  it('mono "mix" (the default) records the sum of both directions', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000 });
    const a = A(8000, 1600);
    const b = B(8000, 1600);
    feedBoth(rec, a, b);
    await rec.close();
    const y = drain(await openSource(path, { sampleRate: 8000 }));
    assert.deepEqual(y, Int16Array.from(a, (v, i) => v + b[i]!));
  });

  it('stereo keeps one party per channel (separation)', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 16000, channels: 2 });
    const a = A(16000, 16000);
    const b = B(16000, 16000);
    feedBoth(rec, a, b);
    await rec.close();
    const [l, r] = await channelsOf(path);
    assert.deepEqual(l, a);
    assert.deepEqual(r, b);
    assert.ok(goertzelPower(l, 1500, 16000) < 1e-6 * goertzelPower(l, 500, 16000));
    assert.ok(goertzelPower(r, 500, 16000) < 1e-6 * goertzelPower(r, 1500, 16000));
  });

  it('stereo with one silent party keeps time: the other channel is zeros of the same length', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, channels: 2 });
    const a = A(8000, 8000);
    feed(rec, a, 0);
    await rec.close();
    const [l, r] = await channelsOf(path);
    assert.deepEqual(l, a);
    assert.equal(r.length, 8000);
    assert.ok(r.every((v) => v === 0));
  });

  it('the header carries the final sizes, across many small chunks', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, channels: 2, chunkBytes: 1024 });
    feedBoth(rec, A(8000, 12345), B(8000, 12345));
    await rec.close();
    const b = await readFile(path);
    assert.equal(b.length, 44 + 12345 * 4);
    assert.equal(b.readUInt32LE(4), 36 + 12345 * 4);
    assert.equal(b.readUInt32LE(40), 12345 * 4);
    assert.equal(b.toString('latin1', 36, 40), 'data');
    assert.equal(b.readUInt16LE(32), 4);
    assert.equal(b.readUInt32LE(28), 8000 * 4);
  });
});

describe('WavRecorder controls', () => {
  it('pause drops audio; resume continues', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, mono: 'left' });
    feed(rec, new Int16Array(1600).fill(1));
    rec.pause();
    assert.equal(rec.paused, true);
    feed(rec, new Int16Array(1600).fill(2));
    rec.resume();
    feed(rec, new Int16Array(1600).fill(3));
    await rec.close();
    const y = drain(await openSource(path, { sampleRate: 8000 }));
    assert.equal(y.length, 3200);
    assert.equal(y[1599], 1);
    assert.equal(y[1600], 3);
  });

  it('pause with silence records silence in place of the audio', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, channels: 2 });
    feedBoth(rec, new Int16Array(800).fill(1), new Int16Array(800).fill(1));
    rec.pause({ silence: true });
    feedBoth(rec, new Int16Array(800).fill(2), new Int16Array(800).fill(2));
    rec.resume();
    feedBoth(rec, new Int16Array(800).fill(3), new Int16Array(800).fill(3));
    await rec.close();
    const [l, r] = await channelsOf(path);
    assert.equal(l.length, 2400);
    assert.deepEqual([l[0], l[800], l[1599], l[1600], r[1000]], [1, 0, 0, 3, 0]);
  });

  it('maxDurationMs stops the recording and calls onLimit once', async () => {
    const path = file();
    let limits = 0;
    const rec = new WavRecorder({ path, sampleRate: 8000, mono: 'left', maxDurationMs: 500, onLimit: () => limits++ });
    feed(rec, A(8000, 8000));
    assert.equal(rec.limitReached, true);
    await rec.close();
    assert.equal(limits, 1);
    assert.equal(drain(await openSource(path, { sampleRate: 8000 })).length, 4000);
  });

  it('close is idempotent and later writes are ignored', async () => {
    const path = file();
    const rec = new WavRecorder({ path, sampleRate: 8000, mono: 'left' });
    feed(rec, A(8000, 800));
    const c1 = rec.close();
    const c2 = rec.close();
    assert.equal(c1, c2);
    await c1;
    rec.write(new Int16Array(160));
    await rec.close();
    assert.equal((await readFile(path)).length, 44 + 1600);
  });

  it('open() creates the file before resolving', async () => {
    const path = file();
    const rec = await WavRecorder.open({ path, sampleRate: 16000 });
    assert.equal((await readFile(path)).length, 44);
    await rec.close();
    assert.equal(parseWav(new Uint8Array(await readFile(path))).frames, 0);
  });
});

describe('WavRecorder errors', () => {
  it('open() on an impossible path rejects with MEDIA_SINK_IO', async () => {
    await assert.rejects(WavRecorder.open({ path: join(dir, 'no/such/dir/x.wav'), sampleRate: 8000 }), (err: unknown) => {
      return err instanceof SinkError && err.code === 'MEDIA_SINK_IO';
    });
  });

  it('a recorder whose file cannot be created never throws from write(); the error is reported once', async () => {
    const seen: SinkError[] = [];
    const rec = new WavRecorder({ path: join(dir, 'no/such/dir/y.wav'), sampleRate: 8000, onError: (e) => seen.push(e) });
    feed(rec, A(8000, 800));
    await rec.close();
    feed(rec, A(8000, 800));
    assert.equal(rec.error?.code, 'MEDIA_SINK_IO');
    assert.equal(seen.length, 1);
  });

  const bad: [string, Partial<WavRecorderOptions>][] = [
    ['rate 7000', { sampleRate: 7000 }],
    ['rate 8000.5', { sampleRate: 8000.5 }],
    ['3 channels', { channels: 3 as 1 }],
    ['maxDurationMs 0', { maxDurationMs: 0 }],
    ['mono source "both"', { mono: 'both' as 'mix' }],
  ];
  for (const [name, opts] of bad) {
    it(`rejects ${name} with MEDIA_SINK_OPTIONS`, () => {
      const path = join(dir, 'never.wav');
      assert.throws(() => new WavRecorder({ path, sampleRate: 8000, ...opts }), { code: 'MEDIA_SINK_OPTIONS' });
    });
  }
});
