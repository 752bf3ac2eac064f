import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sine, sineFit } from '../../../test/support/signals.ts';
import { Int16Store, PcmPlayer } from './index.ts';
import type { PcmStore } from './index.ts';

function ramp(n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => (i % 30000) + 1);
}

/** Reads until the player ends; returns the samples and the number of reads that returned data. */
function drain(p: PcmPlayer, frame = p.sampleRate / 50, limit = 100_000): { y: Int16Array; reads: number } {
  const buf = new Int16Array(frame);
  const out: number[] = [];
  let reads = 0;
  for (; reads < limit; reads++) {
    const n = p.read(buf);
    if (n === 0) break;
    for (let i = 0; i < n; i++) out.push(buf[i]!);
  }
  return { y: Int16Array.from(out), reads };
}

/** A store that grows as a test appends to it (a download or decoder still running). */
class GrowingStore implements PcmStore {
  readonly sampleRate: number;
  complete = false;
  error?: Error;
  #data: number[] = [];
  constructor(rate: number) {
    this.sampleRate = rate;
  }
  get length(): number {
    return this.#data.length;
  }
  append(x: Int16Array): void {
    this.#data.push(...x);
  }
  read(pos: number, out: Int16Array, offset: number, count: number): number {
    const n = Math.max(0, Math.min(count, this.#data.length - pos));
    for (let i = 0; i < n; i++) out[offset + i] = this.#data[pos + i]!;
    return n;
  }
}

describe('PcmPlayer', () => {
  it('plays a store at its own rate sample for sample, the last frame partial', () => {
    const x = ramp(1000);
    const { y, reads } = drain(new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 8000 }));
    assert.deepEqual(y, x);
    assert.equal(reads, 7);
  });

  const loops: [string, number | 'forever', number][] = [
    ['once by default', 1, 1],
    ['three times', 3, 3],
    ['forever (bounded read)', 'forever', 10],
    ['0 = forever', 0, 10],
    ['-1 = forever', -1, 10],
  ];
  for (const [name, loop, plays] of loops) {
    it(`loops: ${name}`, () => {
      const x = ramp(500);
      const p = new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 8000, loop });
      const { y } = drain(p, 160, Math.ceil((500 * plays) / 160));
      if (Number.isFinite(Number(loop)) && Number(loop) > 0) {
        assert.equal(y.length, 500 * plays);
        assert.equal(p.ended, true);
      } else {
        assert.ok(y.length >= 500 * plays);
        assert.equal(p.ended, false);
      }
      for (let i = 0; i < 500 * Math.min(plays, 3); i++) assert.equal(y[i], x[i % 500]);
    });
  }

  it('loops seamlessly across a frame boundary (no gap at the seam)', () => {
    const x = ramp(250);
    const { y } = drain(new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 8000, loop: 2 }));
    assert.equal(y.length, 500);
    assert.equal(y[249], 250);
    assert.equal(y[250], 1);
  });

  it('seek moves playback and positionMs follows', () => {
    const x = ramp(8000);
    const p = new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 8000 });
    p.seek(500);
    assert.equal(p.positionMs, 500);
    const f = new Int16Array(160);
    p.read(f);
    assert.equal(f[0], x[4000]);
    assert.equal(p.positionMs, 520);
    p.seek(2000);
    assert.equal(p.read(f), 0);
    assert.equal(p.ended, true);
    p.seek(0);
    assert.equal(p.read(f), 160);
    assert.equal(f[0], x[0]);
  });

  it('startMs starts inside the media', () => {
    const x = ramp(8000);
    const p = new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 8000, startMs: 250 });
    const { y } = drain(p);
    assert.equal(y.length, 6000);
    assert.equal(y[0], x[2000]);
  });

  const rates: [number, number][] = [
    [8000, 16000],
    [16000, 8000],
    [8000, 48000],
    [48000, 16000],
    [44100, 8000],
    [22050, 16000],
    [11025, 16000],
    [11025, 48000],
  ];
  for (const [from, to] of rates) {
    it(`resamples ${from} -> ${to}: exact length, tone kept, no group delay`, () => {
      // 100 ms of silence then 400 ms of 1 kHz: the onset must land at 100 ms of output.
      const x = new Int16Array(Math.floor(from / 2));
      x.set(sine(1000, from, Math.floor((from * 2) / 5), 10000), Math.floor(from / 10));
      const { y } = drain(new PcmPlayer(new Int16Store(x, from), { sampleRate: to }));
      assert.equal(y.length, Math.round((x.length * to) / from));
      const onset = y.findIndex((v) => Math.abs(v) > 3000);
      assert.ok(Math.abs(onset - to / 10) <= Math.ceil(to / 4000) + 1, `onset at ${onset}, expected ${to / 10}`);
      const fit = sineFit(y, 1000, to, to / 10 + 50, y.length - 50);
      assert.ok(Math.abs(fit.amplitude - 10000) < 300, `amplitude ${fit.amplitude}`);
    });
  }

  it('resampled looping keeps the total length exact', () => {
    const x = sine(1000, 16000, 1000, 8000);
    const { y } = drain(new PcmPlayer(new Int16Store(x, 16000), { sampleRate: 8000, loop: 3 }));
    assert.equal(y.length, 1500);
  });

  it('positionMs of a resampled player is in media time', () => {
    const p = new PcmPlayer(new Int16Store(new Int16Array(16000), 16000), { sampleRate: 8000 });
    const f = new Int16Array(160);
    for (let i = 0; i < 10; i++) p.read(f);
    assert.equal(p.positionMs, 200);
    assert.equal(p.durationMs, 1000);
  });

  it('plays silence while a growing store has no data, then the data, then ends', () => {
    const store = new GrowingStore(8000);
    const p = new PcmPlayer(store, { sampleRate: 8000 });
    const f = new Int16Array(160).fill(7);
    assert.equal(p.read(f), 160);
    assert.ok(f.every((v) => v === 0));
    assert.equal(p.ended, false);
    store.append(ramp(200));
    assert.equal(p.read(f), 160);
    assert.equal(f[0], 1);
    assert.equal(p.read(f), 160);
    assert.equal(f[39], 200);
    assert.equal(f[40], 0);
    store.complete = true;
    assert.equal(p.read(f), 0);
    assert.equal(p.ended, true);
  });

  it('a store failure ends the player with its error', () => {
    const store = new GrowingStore(8000);
    const p = new PcmPlayer(store, { sampleRate: 16000 });
    const f = new Int16Array(320);
    assert.equal(p.read(f), 320);
    store.error = new Error('gone');
    assert.equal(p.read(f), 0);
    assert.equal(p.error?.message, 'gone');
  });

  it('accepts other frame sizes between reads (10 and 30 ms)', () => {
    const x = sine(500, 8000, 8000, 5000);
    const p = new PcmPlayer(new Int16Store(x, 8000), { sampleRate: 16000 });
    let total = 0;
    for (const size of [160, 480, 320, 160, 480]) total += p.read(new Int16Array(size));
    const rest = drain(p).y.length;
    assert.equal(total + rest, 16000);
  });

  it('close ends it', () => {
    const p = new PcmPlayer(new Int16Store(ramp(1000), 8000), { sampleRate: 8000 });
    p.close();
    p.close();
    assert.equal(p.read(new Int16Array(160)), 0);
    assert.equal(p.ended, true);
  });

  it('rejects bad options', () => {
    const store = new Int16Store(ramp(10), 8000);
    assert.throws(() => new PcmPlayer(store, { sampleRate: 7.5 }), { code: 'MEDIA_SOURCE_OPTIONS' });
    assert.throws(() => new PcmPlayer(store, { sampleRate: 8000, loop: 1.5 }), { code: 'MEDIA_SOURCE_OPTIONS' });
  });
});
