import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError, Router, type RouteHandler, type RouteRule } from './index.ts';
import { FakeDriver, createHarness } from './testing/index.ts';

const noop: RouteHandler = () => {};

test('rules and priorities (table)', () => {
  const router = new Router();
  const rules: [string, RouteRule][] = [
    ['echo', { number: '9196' }],
    ['users', { pattern: '_10XX' }],
    ['user-1000-special', { pattern: '_10XX', user: '1000' }],
    ['conf', { pattern: /^conf-(.+)$/ }],
    ['override-1001', { number: '1001', priority: 10 }],
    ['low-9196', { pattern: '9.', priority: -5 }],
    ['from-1002', { user: '1002' }],
    ['fallback', { default: true }],
    ['fallback-2', { default: true }],
  ];
  for (const [name, rule] of rules) router.register({ ...rule, name }, noop);
  const cases: [string, string | undefined, string, string[]][] = [
    // destination, calling user, expected rule, captures
    ['9196', undefined, 'echo', []],
    ['9196', '1002', 'echo', []],
    ['9555', undefined, 'low-9196', ['9555']],
    ['1003', undefined, 'users', ['1003']],
    ['1003', '1000', 'user-1000-special', ['1003']],
    ['1001', '1000', 'override-1001', []],
    ['conf-sales', undefined, 'conf', ['conf-sales', 'sales']],
    ['5555', '1002', 'from-1002', []],
    ['5555', undefined, 'fallback', []],
    ['', undefined, 'fallback', []],
  ];
  for (const [destination, user, expected, captures] of cases) {
    const m = router.match(user === undefined ? { destination } : { destination, user });
    assert.equal(m?.rule.name, expected, `${destination} from ${user}`);
    assert.deepEqual(m?.captures, captures, `${destination} captures`);
  }
  assert.equal(router.size, 9);
});

test('register returns unregister; equal rules keep registration order; clear', () => {
  const router = new Router();
  const offA = router.register({ number: '1', name: 'a' }, noop);
  router.register({ number: '1', name: 'b' }, noop);
  assert.equal(router.match({ destination: '1' })?.rule.name, 'a');
  offA();
  offA();
  assert.equal(router.match({ destination: '1' })?.rule.name, 'b');
  const offDefault = router.register({ default: true }, noop);
  assert.equal(router.match({ destination: '2' })?.rule.name, 'default');
  offDefault();
  assert.equal(router.match({ destination: '2' }), undefined);
  const g = /^7(\d)$/g;
  router.register({ pattern: g, name: 'sticky' }, noop);
  assert.equal(router.match({ destination: '71' })?.rule.name, 'sticky');
  assert.equal(router.match({ destination: '71' })?.rule.name, 'sticky', 'a global RegExp stays usable');
  router.clear();
  assert.equal(router.size, 0);
});

test('invalid rules are CORE_ROUTE_INVALID', () => {
  const router = new Router();
  const bad: RouteRule[] = [{}, { name: 'x' }, { default: true, number: '1' }, { pattern: '1[' }, { number: '1', priority: Number.NaN }];
  for (const rule of bad) {
    assert.throws(() => router.register(rule, noop), (e: unknown) => e instanceof CoreError && e.code === 'CORE_ROUTE_INVALID', JSON.stringify(rule));
  }
});

test('switch.route: routing state, handler context, no route, a throwing handler still ends with a CDR', async () => {
  const h = createHarness();
  const seen: string[] = [];
  h.sw.router.register({ pattern: /^conf-(.+)$/, name: 'conf' }, async (ch, ctx) => {
    seen.push(`${ch.state}|${ctx.destination}|${ctx.user}|${ctx.rule.name}|${ctx.captures[1]}`);
    await ch.answer();
  });
  h.sw.router.register({ number: 'boom' }, () => { throw new Error('app crashed'); });
  h.sw.router.register({ number: 'async-boom' }, async () => { throw new Error('async app crashed'); });
  const make = (destination: string) => h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), destination, user: '1000' });

  const ok = make('conf-sales');
  assert.deepEqual(await h.sw.route(ok), { ok: true, rule: 'conf' });
  assert.deepEqual(seen, ['routing|conf-sales|1000|conf|sales']);
  assert.equal(ok.state, 'answered', 'the handler owns the call after routing');

  const lost = make('nowhere');
  assert.deepEqual(await h.sw.route(lost), { ok: false, cause: 'NO_ROUTE_DESTINATION' });
  assert.equal(lost.state, 'destroyed');

  for (const dest of ['boom', 'async-boom']) {
    const crash = make(dest);
    const r = await h.sw.route(crash);
    assert.equal(r.ok ? '' : r.cause, 'NORMAL_TEMPORARY_FAILURE', dest);
    assert.equal(crash.state, 'destroyed', dest);
    assert.equal((await h.sw.flushCdrs(), await h.store.get(crash.uuid))?.hangupCause, 'NORMAL_TEMPORARY_FAILURE', dest);
  }

  const moved = make('x');
  assert.deepEqual(await h.sw.route(moved, { destination: 'conf-support' }), { ok: true, rule: 'conf' });
  assert.equal(moved.destination, 'conf-support');
  const r = await h.sw.route(lost);
  assert.equal(r.ok ? '' : r.error?.code, 'CORE_CHANNEL_GONE');
  await Promise.all([ok.hangup(), moved.hangup()]);
  await h.finish();
});
