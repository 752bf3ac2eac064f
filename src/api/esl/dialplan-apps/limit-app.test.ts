/** `limit hash <realm> <resource> [<max>[/<interval>]] [<transfer_dest>]` (specs/esl.md §6). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LimitCounters } from '../limit-counters.ts';
import { LIMIT_DEFAULT_DESTINATION, limitApp, parseLimitArg } from './limit-app.ts';
import { FakeDriver, FakeMedia, createHarness } from '../../../core/testing/index.ts';
import { kit as makeKit } from './test-support.ts';

const kit = async () => makeKit(createHarness(), () => new FakeDriver(), () => new FakeMedia());

describe('limit argument', () => {
  it('reads backend, realm, resource, max, interval and destination', () => {
    assert.deepEqual(parseLimitArg('hash inbound gw1'), {
      backend: 'hash', realm: 'inbound', resource: 'gw1', max: -1, intervalSecs: 0, destination: LIMIT_DEFAULT_DESTINATION,
    });
    assert.deepEqual(parseLimitArg('HASH inbound gw1 5/10 !USER_BUSY'), {
      backend: 'hash', realm: 'inbound', resource: 'gw1', max: 5, intervalSecs: 10, destination: '!USER_BUSY',
    });
    assert.deepEqual(parseLimitArg('hash in gw 2 over XML default'), {
      backend: 'hash', realm: 'in', resource: 'gw', max: 2, intervalSecs: 0, destination: 'over', dialplan: 'XML', context: 'default',
    });
    assert.equal(parseLimitArg('hash in'), undefined);
    assert.equal(parseLimitArg('hash in gw lots'), undefined);
  });
});

describe('limit app', () => {
  it('sets limit_usage, hangs up over the limit with the ! cause, releases at hangup', async () => {
    const k = await kit();
    k.runner.define('limit', limitApp(new LimitCounters(() => k.h.sw.now())));
    const a = await k.call({ answered: true });
    const b = await k.call({ answered: true });
    assert.equal(await k.runner.execute(a.ch, 'limit', 'hash sales gw1 1 !USER_BUSY'), '_none_');
    assert.equal(a.ch.getVariable('limit_usage'), '1');
    assert.equal(a.ch.getVariable('limit_usage_sales_gw1'), '1');
    assert.equal(await k.runner.execute(b.ch, 'limit', 'hash sales gw1 1 !USER_BUSY'), '_none_');
    assert.equal(b.ch.ended, true);
    assert.equal(b.ch.hangupCause, 'USER_BUSY');
    await a.ch.hangup();
    const c = await k.call({ answered: true });
    assert.equal(await k.runner.execute(c.ch, 'limit', 'hash sales gw1 1 !USER_BUSY'), '_none_');
    assert.equal(c.ch.ended, false, 'the first call released its hold at hangup');
    assert.equal(c.ch.getVariable('limit_usage'), '1');
    await k.done();
  });

  it('over the limit without a ! transfers to the destination (default limit_exceeded)', async () => {
    const k = await kit();
    k.runner.define('limit', limitApp(new LimitCounters(() => k.h.sw.now())));
    const routed: string[] = [];
    k.h.sw.router.register({ name: 'over', number: LIMIT_DEFAULT_DESTINATION }, async (c) => { routed.push(c.uuid); });
    const a = await k.call({ answered: true });
    const b = await k.call({ answered: true });
    await k.runner.execute(a.ch, 'limit', 'hash q r 1');
    await k.runner.execute(b.ch, 'limit', 'hash q r 1');
    await k.h.flush();
    assert.deepEqual(routed, [b.ch.uuid]);
    assert.equal(b.ch.getVariable('transfer_destination'), LIMIT_DEFAULT_DESTINATION);
    assert.equal(await k.runner.execute(a.ch, 'limit', 'db q r 1'), '-ERR');
    assert.equal(await k.runner.execute(a.ch, 'limit', 'hash q'), '-ERR');
    await k.done();
  });
});
