import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCdrStore, StoreError, type CdrFilter, type CdrRecord } from './index.ts';

function cdr(uuid: string, over: Partial<CdrRecord> = {}): CdrRecord {
  return {
    uuid,
    direction: 'inbound',
    name: `sip/${uuid}`,
    endpoint: 'sip',
    caller: { number: '1000', name: 'Alice' },
    callee: { number: '2000', name: '' },
    destination: '2000',
    createdAt: 1_000,
    endedAt: 5_000,
    duration: 4,
    billsec: 0,
    durationMs: 4_000,
    billMs: 0,
    hangupCause: 'NORMAL_CLEARING',
    q850: 16,
    variables: {},
    ...over,
  };
}

test('add, get and count; a second record with the same uuid replaces the first', async () => {
  const store = new MemoryCdrStore();
  await store.add(cdr('a'));
  await store.add(cdr('b'));
  assert.equal(await store.count(), 2);
  assert.equal((await store.get('a'))?.uuid, 'a');
  assert.equal(await store.get('zz'), undefined);
  await store.add(cdr('a', { hangupCause: 'USER_BUSY' }));
  assert.equal(await store.count(), 2);
  assert.equal((await store.get('a'))?.hangupCause, 'USER_BUSY');
  assert.deepEqual((await store.list()).map((r) => r.uuid), ['a', 'b'], 'the replaced record is the newest');
});

test('stored records are copies and frozen', async () => {
  const store = new MemoryCdrStore();
  const rec = cdr('a', { variables: { x: '1' } });
  await store.add(rec);
  rec.variables['x'] = '2';
  const got = await store.get('a');
  assert.equal(got?.variables['x'], '1');
  assert.ok(Object.isFrozen(got) && Object.isFrozen(got?.variables) && Object.isFrozen(got?.caller));
});

test('bounded: the oldest records are dropped', async () => {
  const store = new MemoryCdrStore({ maxRecords: 3 });
  for (const id of ['a', 'b', 'c', 'd', 'e']) await store.add(cdr(id));
  assert.equal(await store.count(), 3);
  assert.deepEqual((await store.list()).map((r) => r.uuid), ['e', 'd', 'c']);
  assert.equal(await store.get('a'), undefined);
});

test('list filters (table) and limit, newest first', async () => {
  const store = new MemoryCdrStore();
  await store.add(cdr('in-answered', { createdAt: 100, answeredAt: 200, billsec: 3 }));
  await store.add(cdr('out-busy', { direction: 'outbound', hangupCause: 'USER_BUSY', createdAt: 200, parentUuid: 'in-answered' }));
  await store.add(cdr('in-other', { createdAt: 300, caller: { number: '1001', name: '' }, destination: '3000' }));
  const cases: [CdrFilter, string[]][] = [
    [{}, ['in-other', 'out-busy', 'in-answered']],
    [{ direction: 'outbound' }, ['out-busy']],
    [{ direction: 'inbound' }, ['in-other', 'in-answered']],
    [{ hangupCause: 'USER_BUSY' }, ['out-busy']],
    [{ since: 200 }, ['in-other', 'out-busy']],
    [{ until: 200 }, ['in-answered']],
    [{ since: 150, until: 250 }, ['out-busy']],
    [{ callerNumber: '1001' }, ['in-other']],
    [{ destination: '3000' }, ['in-other']],
    [{ answered: true }, ['in-answered']],
    [{ answered: false }, ['in-other', 'out-busy']],
    [{ parentUuid: 'in-answered' }, ['out-busy']],
    [{ direction: 'inbound', answered: false }, ['in-other']],
  ];
  for (const [filter, expected] of cases) {
    assert.deepEqual((await store.list(filter)).map((r) => r.uuid), expected, JSON.stringify(filter));
  }
  assert.deepEqual((await store.list({}, 2)).map((r) => r.uuid), ['in-other', 'out-busy']);
  assert.deepEqual(await store.list({}, 0), []);
  store.clear();
  assert.equal(await store.count(), 0);
});

test('an unusable size bound is a typed error', () => {
  for (const maxRecords of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new MemoryCdrStore({ maxRecords }), (err: unknown) => err instanceof StoreError && err.code === 'STORE_CONFIG');
  }
});
