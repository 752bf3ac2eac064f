import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { parseNameAddr } from '../message/index.ts';
import type { ContactValue } from '../message/index.ts';
import type { Binding, BindingSource, BindingsStore } from './bindings-store.ts';
import { MemoryBindingsStore } from './memory-bindings-store.ts';
import { type BindingEvent, type RegisterInput, type RegisterResult, Registrar, type RegistrarOptions } from './registrar.ts';

const SOURCE: BindingSource = { transport: 'udp', address: '192.0.2.10', port: 5060 };

function setup(options: Partial<RegistrarOptions> = {}) {
  const clock = new VirtualClock(0);
  const store = new MemoryBindingsStore({ clock, purgeIntervalMs: 1_000 });
  const registrar = new Registrar({ store, clock, ...options });
  const events: Array<[string, BindingEvent]> = [];
  for (const name of ['added', 'refreshed', 'removed', 'expired'] as const) {
    registrar.on(name, (e) => events.push([name, e]));
  }
  let cseq = 0;
  const reg = (contacts: Array<string>, extra: Partial<RegisterInput> = {}): Promise<RegisterResult> =>
    registrar.register({
      to: parseNameAddr('<sip:alice@example.com>'),
      contacts: contacts.map((c): ContactValue => (c === '*' ? '*' : parseNameAddr(c))),
      callId: 'call-1@ua',
      cseq: ++cseq,
      source: SOURCE,
      ...extra,
    });
  const summary = () => events.map(([name, e]) => `${name} ${e.binding.contactUri.host}${e.cause ? ` (${e.cause})` : ''}`);
  return { clock, store, registrar, events, reg, summary };
}

function ok(r: RegisterResult) {
  assert.equal(r.ok, true, JSON.stringify(r));
  if (!r.ok) throw new Error('unreachable');
  return r;
}

const expiresCases: Array<{ name: string; contact: string; header?: number; expect: number }> = [
  { name: 'default', contact: '<sip:alice@10.0.0.1>', expect: 3600 },
  { name: 'Expires header', contact: '<sip:alice@10.0.0.1>', header: 120, expect: 120 },
  { name: 'contact parameter wins over header', contact: '<sip:alice@10.0.0.1>;expires=300', header: 120, expect: 300 },
  { name: 'clamped to max-expires', contact: '<sip:alice@10.0.0.1>;expires=999999', expect: 7200 },
  { name: 'malformed parameter falls back to header', contact: '<sip:alice@10.0.0.1>;expires=soon', header: 600, expect: 600 },
  { name: 'huge values clamp to 2^32-1 then max-expires', contact: '<sip:alice@10.0.0.1>;expires=99999999999999', expect: 7200 },
];
for (const c of expiresCases) {
  test(`expires: ${c.name}`, async () => {
    const { reg } = setup();
    const r = ok(await reg([c.contact], c.header !== undefined ? { expires: c.header } : {}));
    assert.deepEqual(r.contacts, [`<sip:alice@10.0.0.1>;expires=${c.expect}`]);
    assert.equal(r.bindings[0]!.expiresAt, c.expect * 1000);
  });
}

test('register, refresh and query; AOR is canonical; events fire', async () => {
  const { reg, registrar, clock, summary } = setup();
  const first = ok(await reg(['"Alice" <sip:alice@10.0.0.1:5062;transport=udp>;q=0.8'], { to: parseNameAddr('<sips:alice@EXAMPLE.com:5061;transport=tls>'), userAgent: 'phone/1.0' }));
  assert.equal(first.aor, 'sip:alice@example.com');
  assert.deepEqual(first.contacts, ['"Alice" <sip:alice@10.0.0.1:5062;transport=udp>;q=0.8;expires=3600']);
  const b = first.bindings[0]!;
  assert.deepEqual({ q: b.q, ua: b.userAgent, callId: b.callId, cseq: b.cseq, src: b.source }, { q: 0.8, ua: 'phone/1.0', callId: 'call-1@ua', cseq: 1, src: SOURCE });
  clock.advance(1_000_000);
  const again = ok(await reg(['<sip:alice@10.0.0.1:5062;transport=udp>'], { expires: 1800 }));
  assert.equal(again.bindings.length, 1);
  assert.equal(again.bindings[0]!.registeredAt, 0);
  assert.equal(again.bindings[0]!.updatedAt, 1_000_000);
  assert.deepEqual(summary(), ['added 10.0.0.1', 'refreshed 10.0.0.1']);
  const query = ok(await reg([]));
  assert.deepEqual(query.contacts, ['<sip:alice@10.0.0.1:5062;transport=udp>;expires=1800']);
  assert.equal((await registrar.lookup('sip:alice@example.com')).length, 1);
  assert.equal((await registrar.lookup(parseNameAddr('<sip:alice@example.com;user=phone>').uri)).length, 1);
});

test('several contacts per AOR, ordered by q, removed with expires=0', async () => {
  const { reg, registrar, summary, clock } = setup();
  ok(await reg(['<sip:alice@10.0.0.1>;q=0.5', '<sip:alice@10.0.0.2>;q=1.0']));
  clock.advance(1000);
  ok(await reg(['<sip:alice@10.0.0.3>'], { callId: 'other-ua' }));
  assert.deepEqual((await registrar.lookup('sip:alice@example.com')).map((b) => b.contactUri.host), ['10.0.0.3', '10.0.0.2', '10.0.0.1']);
  const r = ok(await reg(['<sip:alice@10.0.0.2>;expires=0']));
  assert.equal(r.bindings.length, 2);
  assert.deepEqual(summary().slice(3), ['removed 10.0.0.2 (unregistered)']);
});

test('423 Interval Too Brief with Min-Expires; expires=0 is never too brief', async () => {
  const { reg, registrar } = setup({ minExpires: 120 });
  const r = await reg(['<sip:alice@10.0.0.1>;expires=30']);
  assert.deepEqual(r, { ok: false, status: 423, reason: 'Interval Too Brief', minExpires: 120, aor: 'sip:alice@example.com' });
  assert.equal((await registrar.bindings()).length, 0);
  ok(await reg(['<sip:alice@10.0.0.1>;expires=0']));
});

const wildcardCases: Array<{ name: string; contacts: string[]; expires?: number; status: number }> = [
  { name: '* with Expires: 0 removes all', contacts: ['*'], expires: 0, status: 200 },
  { name: '* with non-zero Expires is 400', contacts: ['*'], expires: 3600, status: 400 },
  { name: '* without Expires is 400', contacts: ['*'], status: 400 },
  { name: '* with another contact is 400', contacts: ['*', '<sip:alice@10.0.0.9>'], expires: 0, status: 400 },
];
for (const c of wildcardCases) {
  test(`wildcard: ${c.name}`, async () => {
    const { reg, registrar, summary } = setup();
    ok(await reg(['<sip:alice@10.0.0.1>', '<sip:alice@10.0.0.2>']));
    const r = await reg(c.contacts, c.expires !== undefined ? { expires: c.expires } : {});
    assert.equal(r.status, c.status);
    const left = await registrar.bindings();
    if (c.status === 200) {
      assert.deepEqual(left, []);
      assert.deepEqual(ok(r).contacts, []);
      assert.deepEqual(summary().slice(2), ['removed 10.0.0.1 (wildcard)', 'removed 10.0.0.2 (wildcard)']);
    } else assert.equal(left.length, 2);
  });
}

const orderingCases: Array<{ name: string; callId: string; cseq: number; status: number }> = [
  { name: 'same Call-ID, higher CSeq: accepted', callId: 'call-1@ua', cseq: 11, status: 200 },
  { name: 'same Call-ID, same CSeq: 500', callId: 'call-1@ua', cseq: 10, status: 500 },
  { name: 'same Call-ID, lower CSeq: 500', callId: 'call-1@ua', cseq: 9, status: 500 },
  { name: 'other Call-ID, lower CSeq: accepted', callId: 'call-2@ua', cseq: 1, status: 200 },
];
for (const c of orderingCases) {
  test(`Call-ID/CSeq ordering: ${c.name}`, async () => {
    const { reg, registrar } = setup();
    ok(await reg(['<sip:alice@10.0.0.1>'], { cseq: 10 }));
    const r = await reg(['<sip:alice@10.0.0.1>;expires=60'], { callId: c.callId, cseq: c.cseq });
    assert.equal(r.status, c.status);
    const [b] = await registrar.bindings();
    assert.equal(b!.expiresAt, c.status === 200 ? 60_000 : 3_600_000);
  });
  test(`Call-ID/CSeq ordering with *: ${c.name}`, async () => {
    const { reg, registrar } = setup();
    ok(await reg(['<sip:alice@10.0.0.1>'], { cseq: 10 }));
    const r = await reg(['*'], { callId: c.callId, cseq: c.cseq, expires: 0 });
    assert.equal(r.status, c.status);
    assert.equal((await registrar.bindings()).length, c.status === 200 ? 0 : 1);
  });
}

test('expiry: bindings vanish at once and the periodic purge emits expired events', async () => {
  const { reg, registrar, clock, summary, store } = setup();
  ok(await reg(['<sip:alice@10.0.0.1>;expires=60', '<sip:alice@10.0.0.2>;expires=120']));
  clock.advance(60_000);
  assert.deepEqual((await registrar.lookup('sip:alice@example.com')).map((b) => b.contactUri.host), ['10.0.0.2']);
  clock.advance(1_000);
  assert.deepEqual(summary().slice(2), ['expired 10.0.0.1']);
  clock.advance(60_000);
  assert.deepEqual(summary().slice(3), ['expired 10.0.0.2']);
  assert.equal(store.size, 0);
  assert.deepEqual(await store.aors(), []);
});

test('max contacts: reject policy answers 403 and changes nothing', async () => {
  const { reg, registrar } = setup({ maxContacts: 2, overflow: 'reject' });
  ok(await reg(['<sip:alice@10.0.0.1>', '<sip:alice@10.0.0.2>']));
  const r = await reg(['<sip:alice@10.0.0.3>']);
  assert.equal(r.status, 403);
  assert.equal((await registrar.bindings()).length, 2);
  ok(await reg(['<sip:alice@10.0.0.1>'])); // refreshing an existing binding is fine
});

test('max contacts: evict-oldest removes the least recently refreshed binding', async () => {
  const { reg, registrar, clock, summary } = setup({ maxContacts: 2 });
  ok(await reg(['<sip:alice@10.0.0.1>']));
  clock.advance(1000);
  ok(await reg(['<sip:alice@10.0.0.2>']));
  clock.advance(1000);
  ok(await reg(['<sip:alice@10.0.0.3>']));
  assert.deepEqual((await registrar.lookup('sip:alice@example.com')).map((b) => b.contactUri.host), ['10.0.0.3', '10.0.0.2']);
  assert.ok(summary().includes('removed 10.0.0.1 (evicted)'));
  const tooMany = await reg(['<sip:alice@10.0.0.4>', '<sip:alice@10.0.0.5>', '<sip:alice@10.0.0.6>']);
  assert.equal(tooMany.status, 403);
});

const authzCases: Array<{ name: string; user: string | undefined; status: number }> = [
  { name: 'authenticated as the AOR user', user: 'alice', status: 200 },
  { name: 'authenticated as someone else', user: 'bob', status: 403 },
  { name: 'not authenticated (caller did not require it)', user: undefined, status: 200 },
];
for (const c of authzCases) {
  test(`authorization: ${c.name}`, async () => {
    const { reg } = setup();
    const r = await reg(['<sip:alice@10.0.0.1>'], c.user !== undefined ? { authenticatedUser: c.user } : {});
    assert.equal(r.status, c.status);
  });
}

test('custom authorize and acceptAor hooks; To without user is 404', async () => {
  const { reg } = setup({ authorize: ({ authenticatedUser }) => authenticatedUser === 'admin', acceptAor: (aor) => aor.endsWith('@example.com') });
  assert.equal((await reg(['<sip:alice@10.0.0.1>'], { authenticatedUser: 'admin' })).status, 200);
  assert.equal((await reg(['<sip:alice@10.0.0.1>'], { authenticatedUser: 'alice' })).status, 403);
  assert.equal((await reg(['<sip:alice@10.0.0.1>'], { authenticatedUser: 'admin', to: parseNameAddr('<sip:alice@elsewhere.org>') })).status, 404);
  assert.equal((await reg(['<sip:alice@10.0.0.1>'], { authenticatedUser: 'admin', to: parseNameAddr('<sip:example.com>') })).status, 404);
});

test('RFC 5626: same +sip.instance and reg-id replaces the binding even with a new contact URI', async () => {
  const { reg, registrar, summary } = setup();
  const inst = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"';
  ok(await reg([`<sip:alice@10.0.0.1;transport=tcp>;${inst};reg-id=1`]));
  ok(await reg([`<sip:alice@10.0.0.7;transport=tcp>;${inst};reg-id=1`], { callId: 'after-reboot' }));
  ok(await reg([`<sip:alice@10.0.0.8;transport=tcp>;${inst};reg-id=2`], { callId: 'after-reboot' }));
  const all = await registrar.lookup('sip:alice@example.com');
  assert.deepEqual(all.map((b) => [b.contactUri.host, b.regId]).sort(), [['10.0.0.7', 1], ['10.0.0.8', 2]]);
  assert.equal(all[0]!.instanceId, '<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>');
  assert.deepEqual(summary(), ['added 10.0.0.1', 'refreshed 10.0.0.7', 'added 10.0.0.8']);
});

test('a failing store commits nothing and answers 500', async () => {
  const clock = new VirtualClock(0);
  const inner = new MemoryBindingsStore({ clock });
  let failUpserts = 0;
  const store: BindingsStore = {
    list: (aor) => inner.list(aor),
    upsert: async (b: Binding) => {
      if (failUpserts > 0 && --failUpserts === 0) throw new Error('backend down');
      return inner.upsert(b);
    },
    remove: (aor, key) => inner.remove(aor, key),
    removeAll: (aor) => inner.removeAll(aor),
    aors: () => inner.aors(),
    all: () => inner.all(),
    purgeExpired: () => inner.purgeExpired(),
    onExpired: (l) => inner.onExpired(l),
    close: () => inner.close(),
  };
  const registrar = new Registrar({ store, clock });
  const base = { to: parseNameAddr('<sip:alice@example.com>'), callId: 'c', source: SOURCE };
  ok(await registrar.register({ ...base, cseq: 1, contacts: [parseNameAddr('<sip:alice@10.0.0.1>')] }));
  failUpserts = 2;
  const r = await registrar.register({ ...base, cseq: 2, contacts: [parseNameAddr('<sip:alice@10.0.0.1>;expires=60'), parseNameAddr('<sip:alice@10.0.0.2>')] });
  assert.equal(r.status, 500);
  const left = await registrar.bindings();
  assert.deepEqual(left.map((b) => [b.contactUri.host, b.expiresAt]), [['10.0.0.1', 3_600_000]]);
  registrar.close();
  await inner.close();
});

test('concurrent REGISTERs for one AOR are serialised (max contacts holds)', async () => {
  const { registrar } = setup({ maxContacts: 1, overflow: 'reject' });
  const results = await Promise.all([1, 2, 3].map((i) => registrar.register({
    to: parseNameAddr('<sip:alice@example.com>'), contacts: [parseNameAddr(`<sip:alice@10.0.0.${i}>`)], callId: `c${i}`, cseq: 1, source: SOURCE,
  })));
  assert.deepEqual(results.map((r) => r.status), [200, 403, 403]);
});

test('memory store close() is idempotent and stops the purge timer', async () => {
  const clock = new VirtualClock(0);
  const store = new MemoryBindingsStore({ clock });
  assert.equal(clock.pending, 1);
  await store.close();
  await store.close();
  assert.equal(clock.pending, 0);
});

test('admin unregister removes and reports', async () => {
  const { reg, registrar, summary } = setup();
  ok(await reg(['<sip:alice@10.0.0.1>', '<sip:alice@10.0.0.2>']));
  const [first] = await registrar.lookup('sip:alice@example.com');
  assert.equal((await registrar.unregister('sip:alice@example.com', first!.key)).length, 1);
  assert.equal((await registrar.unregister('sip:alice@example.com')).length, 1);
  assert.deepEqual(summary().slice(2).map((s) => s.replace(/10\.0\.0\.\d/, 'x')), ['removed x (admin)', 'removed x (admin)']);
});
