import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer, JitterBufferError, type JitterBufferOptions } from './jitter-buffer.ts';

interface Packet {
  seq: number;
  ts: number;
  at: number;
  ssrc?: number;
  marker?: boolean;
}

/** A sender of 20 ms frames from `firstSeq`/`firstTs`, `count` of them, sent every `spacingMs`. */
function stream(count: number, opts: { firstSeq?: number; firstTs?: number; startMs?: number; spacingMs?: number; delay?: (i: number) => number } = {}): Packet[] {
  const out: Packet[] = [];
  for (let i = 0; i < count; i++) {
    const sent = (opts.startMs ?? 0) + i * (opts.spacingMs ?? 20);
    out.push({ seq: ((opts.firstSeq ?? 0) + i) & 0xffff, ts: ((opts.firstTs ?? 0) + i * 160) >>> 0, at: sent + (opts.delay?.(i) ?? 10) });
  }
  return out;
}

interface Run {
  out: string[];
  jb: JitterBuffer<number>;
  maxSize: number;
}

/** Feeds arrivals and pulls on 20 ms ticks (arrivals at or before a tick come first) until `endMs`. */
function simulate(packets: Packet[], endMs: number, options: JitterBufferOptions = {}): Run {
  const jb = new JitterBuffer<number>(options);
  const sorted = [...packets].sort((a, b) => a.at - b.at);
  const out: string[] = [];
  let k = 0;
  let maxSize = 0;
  for (let t = 0; t <= endMs; t += 20) {
    while (k < sorted.length && sorted[k]!.at <= t) {
      const p = sorted[k++]!;
      jb.insert(p.seq, p.ts, p.seq, p.at, p.ssrc ?? 1, p.marker ?? false);
      maxSize = Math.max(maxSize, jb.size);
    }
    const r = jb.pull(t);
    out.push(r === 'frame' ? String(jb.payload) : r === 'missing' ? 'M' : '-');
  }
  return { out, jb, maxSize };
}

/** The output with idle ticks removed. */
const played = (r: Run): string[] => r.out.filter((x) => x !== '-');

test('table: reorder, loss, duplicates, late packets', () => {
  const base = (): Packet[] => stream(20);
  const cases: { name: string; packets: Packet[]; expect: string[]; counters?: Partial<Record<'late' | 'duplicates', number>> }[] = [
    { name: 'in order', packets: base(), expect: base().map((p) => String(p.seq)) },
    {
      name: 'reordered pair',
      packets: base().map((p) => (p.seq === 3 ? { ...p, at: p.at + 25 } : p)),
      expect: base().map((p) => String(p.seq)),
    },
    {
      name: 'one lost',
      packets: base().filter((p) => p.seq !== 5),
      expect: base().map((p) => (p.seq === 5 ? 'M' : String(p.seq))),
    },
    {
      name: 'duplicates dropped',
      packets: [...base(), { seq: 4, ts: 640, at: 95 }, { seq: 4, ts: 640, at: 96 }],
      expect: base().map((p) => String(p.seq)),
      counters: { duplicates: 2 },
    },
    {
      name: 'late packet dropped and concealed',
      packets: base().map((p) => (p.seq === 8 ? { ...p, at: p.at + 300 } : p)),
      expect: base().map((p) => (p.seq === 8 ? 'M' : String(p.seq))),
      counters: { late: 1 },
    },
  ];
  for (const c of cases) {
    const r = simulate(c.packets, 1000);
    const got = played(r);
    // Trailing misses after the stream ended are not part of the case.
    while (got.at(-1) === 'M') got.pop();
    assert.deepEqual(got, c.expect, c.name);
    for (const [k, v] of Object.entries(c.counters ?? {})) assert.equal(r.jb[k as 'late'], v, `${c.name}: ${k}`);
  }
});

test('start-up: the first talkspurt waits the initial delay; a dry buffer goes idle after a few misses', () => {
  const r = simulate(stream(10), 600, { initialDelayMs: 60 });
  // First packet arrives at 10 ms; playout at 10 + 60 = 70 -> the tick at 80 ms.
  assert.equal(r.out.indexOf('0'), 4);
  const tail = r.out.slice(r.out.indexOf('9') + 1);
  assert.ok(tail.includes('M') && tail.at(-1) === '-', tail.join(','));
  assert.equal(r.jb.state, 'idle');
});

test('burst: a 200 ms stall delivers at once; the target grows and later bursts play without loss', () => {
  // Every second the network holds packets for 200 ms, then delivers them together.
  const delay = (i: number): number => {
    const sent = i * 20;
    const phase = sent % 1000;
    return phase < 200 ? 200 - phase + 5 : 5;
  };
  const r = simulate(stream(500, { delay }), 10_200);
  assert.ok(r.jb.targetDelayMs >= 200, `target ${r.jb.targetDelayMs}`);
  const lastFive = played(r).slice(-260, -10);
  assert.ok(!lastFive.includes('M'), 'no misses once adapted');
  assert.ok(r.maxSize <= r.jb.capacity);
});

test('jitter: uniform 0-60 ms network delay settles with few late packets and a delay near the spread', () => {
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const r = simulate(stream(3000, { delay: () => 10 + rand() * 60 }), 60_400);
  assert.ok(r.jb.late / 3000 < 0.02, `late ${r.jb.late}`);
  assert.ok(r.jb.targetDelayMs >= 60 && r.jb.targetDelayMs <= 100, `target ${r.jb.targetDelayMs}`);
  assert.ok(r.jb.played + r.jb.late + r.jb.dropped >= 2990);
});

test('clock skew: a fast far end is absorbed by dropped frames, a slow one by held frames; delay stays bounded', () => {
  const cases: { name: string; spacingMs: number; check: (jb: JitterBuffer<number>) => void }[] = [
    {
      name: 'far end 1% fast (60 s: 600 ms surplus)',
      spacingMs: 19.8,
      check: (jb) => {
        assert.ok(jb.dropped >= 25 && jb.dropped <= 35, `dropped ${jb.dropped}`);
        assert.ok(jb.missing <= 3, `missing ${jb.missing}`);
      },
    },
    {
      name: 'far end 1% slow (60 s: 600 ms deficit)',
      spacingMs: 20.2,
      check: (jb) => {
        assert.ok(jb.missing >= 25 && jb.missing <= 40, `missing ${jb.missing}`);
        assert.ok(jb.late <= 3, `late ${jb.late}`);
      },
    },
  ];
  for (const c of cases) {
    const r = simulate(stream(3000, { spacingMs: c.spacingMs }), 59_000);
    c.check(r.jb);
    assert.ok(r.jb.delayMs <= 80, `${c.name}: delay ${r.jb.delayMs}`);
    assert.ok(r.maxSize <= r.jb.capacity);
    const seqs = played(r).filter((x) => x !== 'M').map(Number);
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `${c.name}: in order`);
  }
});

test('silence suppression: a gap then a marked talkspurt plays on in order', () => {
  const first = stream(50);
  const second = stream(50, { firstSeq: 50, firstTs: 50 * 160 + 2 * 8000, startMs: 3000 });
  second[0]!.marker = true;
  const r = simulate([...first, ...second], 5000);
  const seqs = played(r).filter((x) => x !== 'M');
  assert.deepEqual(seqs.map(Number), Array.from({ length: 100 }, (_, i) => i));
  assert.equal(r.jb.late, 0);
  assert.equal(r.jb.resets, 0);
});

test('wrap-around of sequence and timestamp is seamless', () => {
  const r = simulate(stream(100, { firstSeq: 65500, firstTs: 0xffffffff - 160 * 50 }), 2500);
  const out = played(r);
  while (out.at(-1) === 'M') out.pop();
  assert.ok(!out.includes('M'));
  assert.equal(out.length + r.jb.dropped, 100, 'every frame played, or dropped to shrink the initial delay');
  assert.equal(out[0], '65500');
  assert.equal(out.at(-1), '63');
  assert.equal(r.jb.resets, 0);
});

test('resets: new SSRC, timestamp jumping back; bounded memory on a flood', () => {
  const jb = new JitterBuffer<string>();
  assert.equal(jb.insert(1, 1000, 'a', 0, 1), 'queued');
  assert.equal(jb.insert(2, 1160, 'b', 20, 1), 'queued');
  assert.equal(jb.insert(900, 777_777, 'x', 30, 2), 'reset', 'SSRC change');
  assert.equal(jb.size, 1);
  assert.equal(jb.insert(901, 777_777 - 8000 * 5, 'y', 40, 2), 'reset', 'five seconds back');
  assert.equal(jb.resets, 2);
  const flood = new JitterBuffer<number>();
  for (let i = 0; i < 1000; i++) flood.insert(i, i * 160, i, 0, 1);
  assert.ok(flood.size <= flood.capacity, `size ${flood.size}`);
  assert.ok(flood.dropped >= 1000 - flood.capacity);
});

test('options are validated', () => {
  assert.throws(() => new JitterBuffer({ minDelayMs: 100, maxDelayMs: 50 }), JitterBufferError);
  assert.throws(() => new JitterBuffer({ frameMs: 0 }), (e: unknown) => e instanceof JitterBufferError && e.code === 'MEDIA_JB_CONFIG');
});
