import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CdrRecord } from '../store/index.ts';
import { FakeDriver, FakeEndpoint, FakeMedia, answerAfter, createHarness, refuseAfter } from './testing/index.ts';

const T0 = 1_700_000_000_000;

test('CDR of an answered, bridged inbound call: times, duration, billsec, cause, media stats', async () => {
  const h = createHarness();
  const ep = new FakeEndpoint(h.clock, { name: 'sip', schemes: ['sip:'], behaviour: answerAfter(3_000) });
  h.sw.addEndpoint(ep);
  const media = new FakeMedia('in');
  const a = h.sw.createChannel({
    direction: 'inbound', endpoint: 'sip', name: 'sip/1000@10.0.0.5', caller: { number: '1000', name: 'Alice' },
    destination: '1001', user: '1000', driver: new FakeDriver(), media, variables: { sip_call_id: 'c1' },
  });
  await h.tick(1_000);
  await a.ringing();
  const pending = h.sw.originate('sip:1001@x', { parent: a, callerId: { ...a.caller } });
  await h.tick(3_000);
  const b = await pending;
  assert.ok(b.ok);
  await a.answer();
  assert.ok(h.sw.bridge(a, b.channel).ok);
  await h.tick(61_500);
  await b.channel.remoteHangup('NORMAL_CLEARING', { sipStatus: 200 });
  await h.flush();
  await h.sw.flushCdrs();
  const cdrA = await h.store.get(a.uuid);
  assert.deepEqual(cdrA, {
    uuid: a.uuid, direction: 'inbound', name: 'sip/1000@10.0.0.5', endpoint: 'sip',
    caller: { number: '1000', name: 'Alice' }, callee: { number: '', name: '' }, destination: '1001', user: '1000',
    createdAt: T0, progressAt: T0 + 1_000, answeredAt: T0 + 4_000, endedAt: T0 + 65_500,
    duration: 65, billsec: 61, durationMs: 65_500, billMs: 61_500,
    hangupCause: 'NORMAL_CLEARING', q850: 16, hangupBy: 'local', bridgedTo: b.channel.uuid,
    variables: { sip_call_id: 'c1', last_bridge_hangup_cause: 'NORMAL_CLEARING' },
    media: { codec: 'PCMU', packetsIn: 100, packetsOut: 90, bytesIn: 17200, bytesOut: 15480, packetsLost: 2, jitterMs: 3 },
  } satisfies CdrRecord);
  const cdrB = await h.store.get(b.channel.uuid);
  assert.equal(cdrB?.direction, 'outbound');
  assert.equal(cdrB?.parentUuid, a.uuid);
  assert.equal(cdrB?.sipStatus, 200);
  assert.equal(cdrB?.hangupBy, 'remote');
  assert.equal(cdrB?.billsec, 61);
  assert.equal(cdrB?.bridgedTo, a.uuid);
  const emitted = h.events.flatMap((e) => (e.name === 'cdr' ? [e.payload.cdr.uuid] : []));
  assert.deepEqual(emitted, [b.channel.uuid, a.uuid]);
  await h.finish();
});

test('CDRs of unanswered and failed calls (table)', async () => {
  const cases: [string, (h: ReturnType<typeof createHarness>) => Promise<string>, Partial<CdrRecord>][] = [
    ['caller gives up while ringing', async (h) => {
      const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
      await ch.ringing();
      await h.tick(7_200);
      await ch.remoteHangup('ORIGINATOR_CANCEL');
      return ch.uuid;
    }, { hangupCause: 'ORIGINATOR_CANCEL', q850: 16, duration: 7, billsec: 0, billMs: 0, hangupBy: 'remote' }],
    ['rejected by the application', async (h) => {
      const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
      await ch.hangup('CALL_REJECTED');
      return ch.uuid;
    }, { hangupCause: 'CALL_REJECTED', q850: 21, sipStatus: 603, duration: 0, billsec: 0, hangupBy: 'local' }],
    ['outbound busy', async (h) => {
      const ep = new FakeEndpoint(h.clock, { schemes: ['sip:'], behaviour: refuseAfter(2_000, 'USER_BUSY', 486) });
      h.sw.addEndpoint(ep);
      const p = h.sw.originate('sip:x');
      await h.tick(2_000);
      const r = await p;
      return r.ok ? '' : r.uuid ?? '';
    }, { hangupCause: 'USER_BUSY', q850: 17, sipStatus: 486, duration: 2, billsec: 0, direction: 'outbound', hangupBy: 'remote' }],
    ['driver throws on hangup', async (h) => {
      const driver = new FakeDriver();
      driver.behaviour.set('hangup', 'throw');
      const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver, media: new FakeMedia() });
      await ch.answer();
      await h.tick(1_000);
      await ch.hangup('NORMAL_CLEARING');
      return ch.uuid;
    }, { hangupCause: 'NORMAL_CLEARING', billsec: 1, hangupBy: 'local' }],
    ['media stats throw: CDR without media', async (h) => {
      const media = new FakeMedia();
      media.failing.add('stats');
      media.failing.add('close');
      const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media });
      await ch.hangup();
      return ch.uuid;
    }, { media: undefined }],
  ];
  for (const [name, run, expected] of cases) {
    const h = createHarness();
    const uuid = await run(h);
    await h.flush();
    await h.sw.flushCdrs();
    const cdr = await h.store.get(uuid);
    assert.ok(cdr, name);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(cdr[k as keyof CdrRecord], v, `${name}: ${k}`);
    await h.finish();
  }
});

test('a failing CDR store is logged, never thrown into the call', async () => {
  const failing = {
    add: async () => { throw new Error('disk full'); },
    get: async () => undefined,
    list: async () => [],
    count: async () => 0,
  };
  const h = createHarness({ cdrStore: failing });
  const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  await ch.hangup();
  await h.sw.flushCdrs();
  assert.equal(h.events.filter((e) => e.name === 'cdr').length, 1, 'still announced on the bus');
  await h.finish();
});
