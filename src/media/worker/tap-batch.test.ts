import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TapBatcher, splitTapBatch, type TapBatchMessage } from './tap-batch.ts';

function collect(): { batcher: TapBatcher; posted: { m: TapBatchMessage; transfer: ArrayBuffer[] }[]; run: () => void } {
  const posted: { m: TapBatchMessage; transfer: ArrayBuffer[] }[] = [];
  let pending: (() => void) | undefined;
  const batcher = new TapBatcher((m, transfer) => posted.push({ m, transfer }), (run) => {
    assert.equal(pending, undefined, 'one flush scheduled at a time');
    pending = run;
  });
  return { batcher, posted, run: () => { const r = pending; pending = undefined; r?.(); } };
}

const chunk = (first: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => first + i);

test('the chunks of one turn go as one message, packed in order, with its buffer to transfer', () => {
  const { batcher, posted, run } = collect();
  batcher.add('a1', chunk(0, 160));
  batcher.add('a2', chunk(1000, 320));
  batcher.add('a1', chunk(160, 160));
  assert.equal(posted.length, 0, 'nothing before the turn ends');
  run();
  assert.equal(posted.length, 1);
  const { m, transfer } = posted[0]!;
  assert.deepEqual(m.taps, ['a1', 'a2', 'a1']);
  assert.deepEqual(m.lengths, [160, 320, 160]);
  assert.equal(m.pcm.length, 640);
  assert.deepEqual(transfer, [m.pcm.buffer]);
  run();
  assert.equal(posted.length, 1, 'an empty turn posts nothing');
  batcher.add('a3', chunk(5, 10));
  run();
  assert.equal(posted.length, 2, 'the next turn has its own message');
  assert.equal(batcher.messages, 2);
  assert.equal(batcher.chunks, 4);
});

test('flush() posts at once (before another message) and the scheduled flush then finds nothing', () => {
  const { batcher, posted, run } = collect();
  batcher.add('a1', chunk(0, 80));
  batcher.flush();
  assert.equal(posted.length, 1);
  batcher.flush();
  run();
  assert.equal(posted.length, 1);
  batcher.add('a1', chunk(80, 80));
  run();
  assert.equal(posted.length, 2, 'a chunk after an early flush still gets its turn-end flush');
});

test('the core side gets every chunk in order, as views into the batch', () => {
  const { batcher, posted, run } = collect();
  const sent = [chunk(0, 160), chunk(-500, 160), chunk(160, 160), chunk(7, 3)];
  const ids = ['a1', 'a2', 'a1', 'a9'];
  sent.forEach((c, i) => batcher.add(ids[i]!, c));
  run();
  const got: [string, Int16Array][] = [];
  assert.equal(splitTapBatch(posted[0]!.m, (id, pcm) => got.push([id, pcm])), 4);
  assert.deepEqual(got.map(([id]) => id), ids);
  got.forEach(([, pcm], i) => assert.deepEqual(pcm, sent[i]));
  assert.ok(got.every(([, pcm]) => pcm.buffer === posted[0]!.m.pcm.buffer), 'no copy');
});

test('a batch whose lengths do not add up is cut at the last whole chunk', () => {
  const cases: { lengths: number[]; taps: string[]; samples: number; want: number }[] = [
    { lengths: [4, 4], taps: ['a', 'b'], samples: 6, want: 1 },
    { lengths: [4, -2], taps: ['a', 'b'], samples: 8, want: 1 },
    { lengths: [2, 2, 2], taps: ['a', 'b'], samples: 6, want: 2 },
    { lengths: [2], taps: ['a', 'b'], samples: 6, want: 1 },
    { lengths: [Number.NaN], taps: ['a'], samples: 6, want: 0 },
    { lengths: [], taps: [], samples: 0, want: 0 },
  ];
  for (const c of cases) {
    const seen: string[] = [];
    const n = splitTapBatch({ type: 'audio', taps: c.taps, lengths: c.lengths, pcm: new Int16Array(c.samples) }, (id) => seen.push(id));
    assert.equal(n, c.want, JSON.stringify(c));
    assert.equal(seen.length, c.want);
  }
});
