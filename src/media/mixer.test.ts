import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mixer, MixerError, volumeLevelToDb, type MixerMember } from './mixer.ts';

function sine(freq: number, amplitude: number, rate: number, samples: number, phase = 0): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freq * (i + phase)) / rate));
  return out;
}

function constant(value: number, samples = 160): Int16Array {
  return new Int16Array(samples).fill(value);
}

/** Normalized correlation of two signals (1: same shape, 0: unrelated). */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

const isSilent = (m: MixerMember): boolean => m.outputSilent && m.output.every((v) => v === 0);

test('N silent inputs mix to silence (and so do no inputs)', () => {
  for (const n of [1, 2, 5, 50]) {
    const mixer = new Mixer();
    const members = Array.from({ length: n }, (_, i) => mixer.add(`m${i}`));
    for (const withInput of [true, false]) {
      for (const m of members) if (withInput) m.write(constant(0));
      mixer.mix();
      for (const m of members) assert.ok(isSilent(m), `${n} members, input ${withInput}`);
    }
  }
});

test('minus-one: with three sines each member hears exactly the other two, never itself', () => {
  for (const rate of [8000, 16000]) {
    const mixer = new Mixer({ sampleRate: rate });
    const n = mixer.frameSamples;
    const sig = { a: sine(300, 8000, rate, n), b: sine(500, 8000, rate, n), c: sine(700, 8000, rate, n) };
    const a = mixer.add('a');
    const b = mixer.add('b');
    const c = mixer.add('c');
    a.write(sig.a);
    b.write(sig.b);
    c.write(sig.c);
    mixer.mix();
    const cases: [MixerMember, Int16Array, Int16Array, Int16Array][] = [
      [a, sig.a, sig.b, sig.c],
      [b, sig.b, sig.a, sig.c],
      [c, sig.c, sig.a, sig.b],
    ];
    for (const [m, own, x, y] of cases) {
      const expected = Int16Array.from(x, (v, i) => v + y[i]!);
      assert.deepEqual(m.output, expected, `${m.id} at ${rate} Hz hears the others exactly`);
      assert.ok(correlation(m.output, expected) > 0.999);
      assert.ok(Math.abs(correlation(m.output, own)) < 0.05, `${m.id} does not hear itself: ${correlation(m.output, own)}`);
    }
  }
});

test('saturation clamps to the 16-bit range', () => {
  const cases: { name: string; inputs: number[]; listener: number }[] = [
    { name: 'positive overflow', inputs: [30000, 30000, 30000], listener: 32767 },
    { name: 'negative overflow', inputs: [-30000, -30000, -30000], listener: -32768 },
    { name: 'cancels out', inputs: [30000, -30000, 12], listener: 12 },
  ];
  for (const c of cases) {
    const mixer = new Mixer();
    c.inputs.forEach((v, i) => mixer.add(`t${i}`).write(constant(v)));
    const listener = mixer.add('listener');
    mixer.mix();
    assert.ok(listener.output.every((v) => v === c.listener), c.name);
  }
});

test('mute, deaf and whisper routing', () => {
  const frame = { a: constant(100), b: constant(20), c: constant(3) };
  const cases: { name: string; setup: (m: Record<'a' | 'b' | 'c', MixerMember>) => void; hears: Record<'a' | 'b' | 'c', number> }[] = [
    { name: 'everyone', setup: () => {}, hears: { a: 23, b: 103, c: 120 } },
    { name: 'a muted', setup: (m) => (m.a.mute = true), hears: { a: 23, b: 3, c: 20 } },
    { name: 'a deaf', setup: (m) => (m.a.deaf = true), hears: { a: 0, b: 103, c: 120 } },
    { name: 'a whispers to b only', setup: (m) => (m.a.listeners = new Set([m.b])), hears: { a: 23, b: 103, c: 20 } },
    { name: 'a whispers to nobody', setup: (m) => (m.a.listeners = new Set()), hears: { a: 23, b: 3, c: 20 } },
    {
      name: 'coaching: a to b, c to b, b to everyone',
      setup: (m) => {
        m.a.listeners = new Set([m.b]);
        m.c.listeners = new Set([m.b]);
      },
      hears: { a: 20, b: 103, c: 20 },
    },
  ];
  for (const c of cases) {
    const mixer = new Mixer();
    const m = { a: mixer.add('a'), b: mixer.add('b'), c: mixer.add('c') };
    c.setup(m);
    for (let tick = 0; tick < 2; tick++) {
      m.a.write(frame.a);
      m.b.write(frame.b);
      m.c.write(frame.c);
      mixer.mix();
      for (const id of ['a', 'b', 'c'] as const) {
        assert.ok(m[id].output.every((v) => v === c.hears[id]), `${c.name}: ${id} hears ${m[id].output[0]}, want ${c.hears[id]}`);
        assert.equal(m[id].outputSilent, c.hears[id] === 0);
      }
    }
  }
});

test('gains: input and output in dB; -4..4 volume levels', () => {
  const mixer = new Mixer();
  const a = mixer.add('a', { inputGainDb: -20 * Math.log10(2) });
  const b = mixer.add('b', { outputGainDb: 20 * Math.log10(3) });
  const c = mixer.add('c');
  a.write(constant(1000));
  b.write(constant(0));
  c.write(constant(0));
  mixer.mix();
  assert.equal(c.output[0], 500, 'input halved');
  assert.equal(b.output[0], 1500, 'output tripled');
  a.inputGainDb = 0;
  b.outputGainDb = 40;
  a.write(constant(1000));
  mixer.mix();
  assert.equal(b.output[0], 32767, 'gain saturates');
  assert.equal(a.inputGainDb, 0);
  assert.deepEqual([-5, -4, -1, 0, 1, 4, 9].map(volumeLevelToDb), [-12, -12, -3, 0, 3, 12, 12]);
});

test('talk detection: start after two loud frames, stop after the hangover, hysteresis between levels', () => {
  const events: string[] = [];
  const mixer = new Mixer({ talk: { startLevel: 300, stopLevel: 150, startFrames: 2, hangoverMs: 100 }, onTalk: (m, t) => events.push(`${m.id}:${t ? 'start' : 'stop'}`) });
  const a = mixer.add('a');
  const plan: [level: number, want: boolean][] = [
    [0, false],
    [1000, false], // one loud frame is not enough
    [0, false],
    [1000, false],
    [1000, true], // second consecutive: talking
    [200, true], // between the levels: still talking, hangover not running
    [200, true],
    [200, true],
    [200, true],
    [200, true],
    [100, true], // below stopLevel: 20 ms of hangover
    [100, true],
    [100, true],
    [100, true],
    [100, false], // 100 ms below: stopped
    [200, false],
  ];
  plan.forEach(([level, want], i) => {
    a.write(constant(level));
    mixer.mix();
    assert.equal(a.talking, want, `frame ${i}`);
    assert.equal(a.level, level);
  });
  assert.deepEqual(events, ['a:start', 'a:stop']);
  // A member with no input is silent for talk detection; a muted member is still detected.
  a.mute = true;
  a.write(constant(5000));
  mixer.mix();
  a.write(constant(5000));
  mixer.mix();
  assert.equal(a.talking, true);
});

test('a throwing onTalk is counted; buffers are reused across ticks', () => {
  const mixer = new Mixer({
    talk: { startFrames: 1 },
    onTalk: () => {
      throw new Error('listener bug');
    },
  });
  const a = mixer.add('a');
  const b = mixer.add('b');
  a.write(constant(5000));
  b.write(constant(5000));
  mixer.mix();
  assert.equal(mixer.callbackErrors, 2);
  const outA = a.output;
  a.write(constant(5000));
  b.write(constant(7));
  mixer.mix();
  assert.equal(a.output, outA, 'same buffer');
  assert.equal(a.output[0], 7);
});

test('members: removal, duplicate ids, wrong frame sizes, bad configuration', () => {
  const mixer = new Mixer();
  const a = mixer.add('a');
  const b = mixer.add('b', { listeners: [a] });
  const c = mixer.add('c');
  assert.throws(() => mixer.add('a'), (e: unknown) => e instanceof MixerError && e.code === 'MEDIA_MIXER_MEMBER');
  assert.throws(() => a.write(new Int16Array(320)), (e: unknown) => e instanceof MixerError && e.code === 'MEDIA_MIXER_FRAME');
  mixer.remove(a);
  mixer.remove(a);
  assert.equal(mixer.size, 2);
  assert.equal(b.listeners?.size, 0);
  b.write(constant(9));
  c.write(constant(1));
  mixer.mix();
  assert.equal(c.output[0], 0, 'b whispered only to a, who left');
  assert.throws(() => new Mixer({ sampleRate: 8000, frameMs: 0.01 }), (e: unknown) => e instanceof MixerError && e.code === 'MEDIA_MIXER_CONFIG');
  assert.equal(new Mixer({ sampleRate: 16000 }).frameSamples, 320);
  mixer.close();
  assert.equal(mixer.size, 0);
});
