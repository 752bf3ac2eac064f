import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goertzelPower } from '../dtmf/index.ts';
import { rms, sineFit } from '../../../test/support/signals.ts';
import { ToneStreamSource } from './index.ts';

/** Frames until the source ends (bounded): which are silent, and all samples. */
function frames(src: ToneStreamSource, limit = 10_000): { on: boolean[]; y: Int16Array; lastLength: number } {
  const size = src.sampleRate / 50;
  const f = new Int16Array(size);
  const on: boolean[] = [];
  const all: number[] = [];
  let lastLength = 0;
  for (let i = 0; i < limit; i++) {
    const n = src.read(f);
    if (n === 0) break;
    lastLength = n;
    on.push(f.subarray(0, n).some((v) => v !== 0));
    for (let k = 0; k < n; k++) all.push(f[k]!);
  }
  return { on, y: Int16Array.from(all), lastLength };
}

/** Runs of equal values: [value, length][]. */
function runs(xs: boolean[]): [boolean, number][] {
  const out: [boolean, number][] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && last[0] === x) last[1]++;
    else out.push([x, 1]);
  }
  return out;
}

/** The strongest of `candidates` in y (Goertzel). */
function strongest(y: Int16Array, rate: number, candidates: number[]): number[] {
  const p = candidates.map((f) => goertzelPower(y, f, rate));
  const max = Math.max(...p);
  return candidates.filter((_, i) => p[i]! > max / 10);
}

describe('tone_stream cadences (frame-exact)', () => {
  const cases: [string, number, [boolean, number][]][] = [
    ['%(2000,4000,440,480)', 8000, [[true, 100], [false, 200]]],
    ['%(2000,4000,440,480)', 16000, [[true, 100], [false, 200]]],
    ['%(100,0,1000)', 8000, [[true, 5]]],
    ['L=3;%(100,100,350,440)', 8000, [[true, 5], [false, 5], [true, 5], [false, 5], [true, 5], [false, 5]]],
    ['%(100,100,350,440);loops=2', 48000, [[true, 5], [false, 5], [true, 5], [false, 5]]],
    ['%(400,200,400,450);%(400,2200,400,450)', 8000, [[true, 20], [false, 10], [true, 20], [false, 110]]],
    ['l=2;%(60,40,697)', 8000, [[true, 3], [false, 2], [true, 3], [false, 2]]],
    ['d=100;w=100;12', 8000, [[true, 5], [false, 5], [true, 5], [false, 5]]],
    ['%(500,500)', 8000, [[false, 50]]],
  ];
  for (const [script, rate, want] of cases) {
    it(`${script} at ${rate} Hz`, () => {
      const { on } = frames(new ToneStreamSource(script, { sampleRate: rate }));
      assert.deepEqual(runs(on), want);
    });
  }

  it('loops=-1 plays forever', () => {
    const src = new ToneStreamSource('%(20,20,1000);loops=-1', { sampleRate: 8000 });
    const { on } = frames(src, 1000);
    assert.equal(on.length, 1000);
    assert.equal(src.ended, false);
  });

  it('the loop option multiplies the script loops', () => {
    const { on } = frames(new ToneStreamSource('L=2;%(20,20,1000)', { sampleRate: 8000, loop: 3 }));
    assert.equal(on.length, 12);
  });

  it('a partial last frame: 30 ms of tone is one full and one half frame', () => {
    const { on, lastLength } = frames(new ToneStreamSource('%(30,0,1000)', { sampleRate: 8000 }));
    assert.equal(on.length, 2);
    assert.equal(lastLength, 80);
  });
});

describe('tone_stream frequencies and levels', () => {
  for (const rate of [8000, 16000, 48000]) {
    it(`%(1000,0,1000) at ${rate} Hz is a 1 kHz sine at -7 dBFS`, () => {
      const { y } = frames(new ToneStreamSource('%(1000,0,1000)', { sampleRate: rate }));
      assert.equal(y.length, rate);
      const fit = sineFit(y, 1000, rate);
      assert.ok(fit.snrDb > 60, `SNR ${fit.snrDb}`);
      assert.ok(Math.abs(fit.amplitude - 32767 * 10 ** (-7 / 20)) < 5, `amplitude ${fit.amplitude}`);
    });
  }

  it('dual tones contain both frequencies and peak at the volume', () => {
    const { y } = frames(new ToneStreamSource('v=-3;%(500,0,440,480)', { sampleRate: 8000 }));
    assert.deepEqual(strongest(y, 8000, [350, 400, 440, 480, 620]), [440, 480]);
    const peak = Math.max(...y.map(Math.abs));
    assert.ok(peak <= Math.round(32767 * 10 ** (-3 / 20)) && peak > 0.9 * 32767 * 10 ** (-3 / 20), `peak ${peak}`);
  });

  it('DTMF digits play their Q.23 pairs', () => {
    const { y } = frames(new ToneStreamSource('d=200;w=0;5', { sampleRate: 8000 }));
    assert.deepEqual(strongest(y, 8000, [697, 770, 852, 941, 1209, 1336, 1477, 1633]), [770, 1336]);
  });

  it('a decay ramp lowers the level step by step', () => {
    const { y } = frames(new ToneStreamSource('v=-7;>=100;+=6;%(1000,0,1000)', { sampleRate: 8000 }));
    const first = rms(y, 0, 800);
    const last = rms(y, 7200, 8000);
    assert.ok(Math.abs(20 * Math.log10(last / first) + 54) < 0.5, `drop ${20 * Math.log10(last / first)} dB`);
  });

  it('a frequency at or above Nyquist is a spec error', () => {
    assert.throws(() => new ToneStreamSource('%(100,0,4000)', { sampleRate: 8000 }), { code: 'MEDIA_SOURCE_SPEC' });
  });
});

describe('tone_stream seek and position', () => {
  it('seek lands in the right segment, sample-exact', () => {
    const a = new ToneStreamSource('%(100,100,1000);%(100,0,500)', { sampleRate: 8000 });
    const b = new ToneStreamSource('%(100,100,1000);%(100,0,500)', { sampleRate: 8000 });
    const fa = new Int16Array(160);
    for (let i = 0; i < 11; i++) a.read(fa);
    b.seek(220);
    assert.equal(b.positionMs, 220);
    const fb = new Int16Array(160);
    b.read(fb);
    a.read(fa);
    assert.deepEqual(fb, fa);
    assert.equal(a.positionMs, 240);
  });

  it('close ends it', () => {
    const src = new ToneStreamSource('%(100,0,1000)', { sampleRate: 8000 });
    src.close();
    assert.equal(src.read(new Int16Array(160)), 0);
  });

  it('an empty script ends at once', () => {
    const src = new ToneStreamSource('v=-3', { sampleRate: 8000 });
    assert.equal(src.read(new Int16Array(160)), 0);
    assert.equal(src.ended, true);
  });
});
