import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../lib/index.ts';
import type { MediaPlayback, PlaybackOutcome } from './index.ts';
import { trackPlayback } from './media-tracking.ts';

function hooks() {
  const log: string[] = [];
  const active = new Map<string, { stop(): void }>();
  return {
    log, active,
    hooks: {
      log: silentLogger(),
      started: () => { log.push('started'); },
      stopped: (_id: string, o: PlaybackOutcome) => { log.push(`stopped:${o.status}`); },
      active,
    },
  };
}

function digits(): { onDigit: (l: (d: string) => void) => () => void; press(d: string): void; listeners: number } {
  const set = new Set<(d: string) => void>();
  return {
    onDigit: (l) => { set.add(l); return () => set.delete(l); },
    press: (d) => { for (const l of [...set]) l(d); },
    get listeners() { return set.size; },
  };
}

test('tracking (table): start failures, rejections, terminators', async () => {
  const cases: [string, () => MediaPlayback, string | undefined, string[], Partial<PlaybackOutcome>, string[]][] = [
    // name, start, terminators, digits pressed, expected outcome fields, expected hook calls
    ['start throws', () => { throw new Error('no such file'); }, undefined, [], { status: 'failed', error: 'no such file' }, []],
    ['done rejects', () => ({ done: Promise.reject(new Error('decoder died')), stop() {} }), undefined, [], { status: 'failed', error: 'decoder died' }, ['started', 'stopped:failed']],
    ['terminator none ignores digits', () => ({ done: Promise.resolve({ status: 'done', durationMs: 5 }), stop() {} }), 'none', ['#'], { status: 'done' }, ['started', 'stopped:done']],
  ];
  for (const [name, start, terminators, pressed, expected, calls] of cases) {
    const h = hooks();
    const d = digits();
    const p = trackPlayback('x', start, h.hooks, { terminators, onDigit: d.onDigit });
    for (const k of pressed) d.press(k);
    const outcome = await p.done;
    for (const [k, v] of Object.entries(expected)) assert.equal(outcome[k as keyof PlaybackOutcome], v, `${name}: ${k}`);
    assert.deepEqual(h.log, calls, name);
    assert.equal(h.active.size, 0, `${name}: nothing left running`);
    assert.equal(d.listeners, 0, `${name}: digit listener removed`);
  }
});

test('the first terminator wins and stops the media once', async () => {
  const h = hooks();
  const d = digits();
  let stops = 0;
  let finish!: (o: PlaybackOutcome) => void;
  const p = trackPlayback('x', () => ({ done: new Promise<PlaybackOutcome>((r) => { finish = r; }), stop: () => { stops++; } }), h.hooks, { terminators: '#*', onDigit: d.onDigit });
  assert.equal(h.active.size, 1);
  d.press('1');
  d.press('*');
  d.press('#');
  finish({ status: 'stopped', durationMs: 10 });
  assert.deepEqual(await p.done, { status: 'stopped', durationMs: 10, terminator: '*' });
  assert.equal(stops, 1);
  assert.equal(h.active.size, 0);
});
