import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DROPOUT, seqAdd, seqDiff, SequenceTracker, type SeqVerdict } from './sequence-tracker.ts';
import { TimestampUnwrapper, tsAdd, tsAfter, tsDiff } from './rtp-timestamp.ts';

interface Case {
  name: string;
  seqs: number[];
  verdicts: SeqVerdict[];
  extendedMax: number;
  received: number;
  expected: number;
  cycles?: number;
}

test('A.1 update_seq: probation, wrap, misorder, jumps', () => {
  const cases: Case[] = [
    { name: 'probation of 2 then in order', seqs: [10, 11, 12], verdicts: ['probation', 'valid', 'valid'], extendedMax: 12, received: 2, expected: 2 },
    { name: 'probation restarts on a gap', seqs: [10, 12, 13, 14], verdicts: ['probation', 'probation', 'valid', 'valid'], extendedMax: 14, received: 2, expected: 2 },
    {
      name: 'wrap-around counts a cycle',
      seqs: [65534, 65535, 0, 1],
      verdicts: ['probation', 'valid', 'valid', 'valid'],
      extendedMax: 65536 + 1,
      received: 3,
      expected: 3,
      cycles: 65536,
    },
    { name: 'loss of two', seqs: [1, 2, 5, 6], verdicts: ['probation', 'valid', 'valid', 'valid'], extendedMax: 6, received: 3, expected: 5 },
    { name: 'reorder is counted', seqs: [1, 2, 4, 3, 5], verdicts: ['probation', 'valid', 'valid', 'misordered', 'valid'], extendedMax: 5, received: 4, expected: 4 },
    { name: 'duplicate makes lost negative', seqs: [1, 2, 3, 3], verdicts: ['probation', 'valid', 'valid', 'misordered'], extendedMax: 3, received: 3, expected: 2 },
    {
      name: 'one large jump is bad and ignored',
      seqs: [1, 2, 3, 30000, 4],
      verdicts: ['probation', 'valid', 'valid', 'bad', 'valid'],
      extendedMax: 4,
      received: 3,
      expected: 3,
    },
    {
      name: 'jump followed by its successor: restart',
      seqs: [1, 2, 3, 30000, 30001, 30002],
      verdicts: ['probation', 'valid', 'valid', 'bad', 'restart', 'valid'],
      extendedMax: 30002,
      received: 2,
      expected: 2,
    },
    {
      name: 'just under MAX_DROPOUT ahead is a gap, not a jump',
      seqs: [1, 2, 2 + MAX_DROPOUT - 1],
      verdicts: ['probation', 'valid', 'valid'],
      extendedMax: 2 + MAX_DROPOUT - 1,
      received: 2,
      expected: MAX_DROPOUT,
    },
    {
      name: 'late packet from before a wrap',
      seqs: [65534, 65535, 0, 65533],
      verdicts: ['probation', 'valid', 'valid', 'misordered'],
      extendedMax: 65536,
      received: 3,
      expected: 2,
    },
  ];
  for (const c of cases) {
    const t = new SequenceTracker();
    assert.deepEqual(c.seqs.map((s) => t.update(s)), c.verdicts, c.name);
    assert.equal(t.extendedMax, c.extendedMax, `${c.name}: extended max`);
    assert.equal(t.received, c.received, `${c.name}: received`);
    assert.equal(t.expected, c.expected, `${c.name}: expected`);
    if (c.cycles !== undefined) assert.equal(t.cycles, c.cycles, c.name);
  }
});

test('A.1: extended sequence of each packet follows the wraps', () => {
  const t = new SequenceTracker(1);
  const ext: number[] = [];
  for (const s of [65534, 65535, 0, 65535, 1]) {
    t.update(s);
    ext.push(t.lastExtended);
  }
  assert.deepEqual(ext, [65534, 65535, 65536, 65535, 65537]);
});

test('A.1: minSequential 1 validates on the first packet; reset starts over', () => {
  const t = new SequenceTracker(1);
  assert.equal(t.update(100), 'valid');
  assert.equal(t.lost, 0);
  t.reset();
  assert.equal(t.started, false);
  assert.equal(t.expected, 0);
});

test('sequence and timestamp modular helpers', () => {
  const seqCases: [number, number, number][] = [
    [1, 0, 1],
    [0, 65535, 1],
    [65535, 0, -1],
    [32767, 0, 32767],
    [32768, 0, -32768],
  ];
  for (const [a, b, d] of seqCases) assert.equal(seqDiff(a, b), d, `${a}-${b}`);
  assert.equal(seqAdd(65535, 2), 1);
  assert.equal(tsDiff(5, 0xfffffffb), 10);
  assert.equal(tsDiff(0xfffffffb, 5), -10);
  assert.equal(tsAdd(0xffffff00, 0x200), 0x100);
  assert.equal(tsAfter(3, 0xffffff00), true);
  assert.equal(tsAfter(0xffffff00, 3), false);
});

test('timestamp unwrapper: wraps forward, allows small steps back', () => {
  const u = new TimestampUnwrapper();
  const got = [0xffffff00, 0xffffffa0, 0x40, 0x20, 0x140].map((ts) => u.unwrap(ts));
  assert.deepEqual(got, [0xffffff00, 0xffffffa0, 2 ** 32 + 0x40, 2 ** 32 + 0x20, 2 ** 32 + 0x140]);
  assert.equal(u.peek(0x160), 2 ** 32 + 0x160);
  u.reset();
  assert.equal(u.unwrap(7), 7);
});
