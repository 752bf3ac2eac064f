/** The hash limit backend's counters (specs/esl.md §6 limit). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LimitCounters } from './limit-counters.ts';

describe('LimitCounters', () => {
  it('counts concurrent holders up to max and releases them', () => {
    const c = new LimitCounters(() => 0);
    assert.deepEqual(c.acquire('r_x', 'a', 2), { ok: true, usage: 1, rate: 0 });
    assert.deepEqual(c.acquire('r_x', 'a', 2), { ok: true, usage: 1, rate: 0 }, 'a holder counts once');
    assert.deepEqual(c.acquire('r_x', 'b', 2), { ok: true, usage: 2, rate: 0 });
    assert.deepEqual(c.acquire('r_x', 'c', 2), { ok: false, usage: 2, rate: 0 });
    c.releaseAll('a');
    assert.equal(c.usage('r_x'), 1);
    assert.equal(c.acquire('r_x', 'c', 2).ok, true);
    c.releaseAll('b');
    c.releaseAll('c');
    assert.equal(c.usage('r_x'), 0);
  });

  it('a negative max only counts', () => {
    const c = new LimitCounters(() => 0);
    for (const h of ['a', 'b', 'c']) assert.equal(c.acquire('k', h, -1).ok, true);
    assert.equal(c.usage('k'), 3);
  });

  it('a rate limit counts hits per interval window', () => {
    let now = 0;
    const c = new LimitCounters(() => now);
    assert.equal(c.acquire('k', 'a', 2, 10).rate, 1);
    assert.equal(c.acquire('k', 'b', 2, 10).rate, 2);
    assert.deepEqual(c.acquire('k', 'c', 2, 10), { ok: false, usage: 2, rate: 2 });
    now = 10_000;
    assert.deepEqual(c.acquire('k', 'c', 2, 10), { ok: true, usage: 3, rate: 1 });
  });
});
