import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelPairer, mixSaturate } from './index.ts';

function collect(maxSkew: number): { p: ChannelPairer; left: number[]; right: number[] } {
  const left: number[] = [];
  const right: number[] = [];
  const p = new ChannelPairer(maxSkew, (l, lo, r, ro, n) => {
    for (let i = 0; i < n; i++) {
      left.push(l[lo + i]!);
      right.push(r[ro + i]!);
    }
  });
  return { p, left, right };
}

const seq = (from: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => from + i);

describe('ChannelPairer', () => {
  it('pairs channel 0 and channel 1 frames of one tick sample for sample', () => {
    const { p, left, right } = collect(1000);
    for (let t = 0; t < 3; t++) {
      p.push(seq(t * 160, 160), 0);
      p.push(seq(10000 + t * 160, 160), 1);
    }
    assert.deepEqual(left, [...seq(0, 480)]);
    assert.deepEqual(right, [...seq(10000, 480)]);
  });

  it('works whichever channel comes first, with uneven frame lengths', () => {
    const { p, left, right } = collect(1000);
    p.push(seq(100, 50), 1);
    p.push(seq(0, 30), 0);
    p.push(seq(30, 40), 0);
    p.push(seq(150, 20), 1);
    assert.deepEqual(left, [...seq(0, 70)]);
    assert.deepEqual(right, [...seq(100, 70)]);
  });

  it('a channel more than maxSkew ahead is paired with silence', () => {
    const { p, left, right } = collect(200);
    for (let t = 0; t < 3; t++) p.push(seq(t * 160, 160), 0);
    assert.equal(left.length, 480 - 200);
    assert.ok(right.every((v) => v === 0));
    assert.equal(p.pending(0), 200);
  });

  it('flush pads the shorter channel', () => {
    const { p, left, right } = collect(1000);
    p.push(seq(1, 100), 1);
    p.flush();
    assert.deepEqual(left, new Array(100).fill(0));
    assert.deepEqual(right, [...seq(1, 100)]);
    assert.equal(p.pending(1), 0);
  });

  it('clear forgets what waits', () => {
    const { p, left } = collect(1000);
    p.push(seq(1, 100), 0);
    p.clear();
    p.flush();
    assert.equal(left.length, 0);
  });

  it('grows for a frame longer than its buffer', () => {
    const { p, left, right } = collect(10);
    p.push(seq(0, 5000), 1);
    p.push(seq(0, 5000), 0);
    p.flush();
    // 4990 right-only samples, 10 paired, then 4990 left-only: nothing lost, skew bounded.
    assert.equal(left.length, 9990);
    assert.equal(right.length, 9990);
    assert.deepEqual(right.slice(0, 5000), [...seq(0, 5000)]);
    assert.deepEqual(left.slice(4990, 9990), [...seq(0, 5000)]);
  });
});

describe('mixSaturate', () => {
  it('adds and clips', () => {
    const out = new Int16Array(3);
    mixSaturate(Int16Array.of(1, 30000, -30000), 0, Int16Array.of(2, 30000, -30000), 0, out, 0, 3);
    assert.deepEqual([...out], [3, 32767, -32768]);
  });
});
