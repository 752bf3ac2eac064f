import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, HangupCause, OriginateResult } from './index.ts';
import {
  FakeDriver, FakeEndpoint, FakeMedia, answerAfter, createHarness, explode, refuseAfter, ringForever, type Behaviour,
} from './testing/index.ts';

function setup(behaviour: Behaviour, options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  const ep = new FakeEndpoint(h.clock, { name: 'sip', schemes: ['sip:', 'sofia/'], behaviour });
  h.sw.addEndpoint(ep);
  return { h, ep };
}

function cause(r: OriginateResult): HangupCause | 'ok' {
  return r.ok ? 'ok' : r.cause;
}

test('originate outcomes (table): answer, busy, decline, no answer, endpoint failures', async () => {
  const cases: [string, Behaviour, number, HangupCause | 'ok', number | undefined][] = [
    // name, behaviour, ms to let pass, expected cause, SIP status in the result
    ['answer after ringing', answerAfter(2_000), 2_000, 'ok', undefined],
    ['answer with early media', answerAfter(500, { earlyMedia: true }), 500, 'ok', undefined],
    ['busy', refuseAfter(1_000, 'USER_BUSY', 486), 1_000, 'USER_BUSY', 486],
    ['decline', refuseAfter(0, 'CALL_REJECTED', 603), 0, 'CALL_REJECTED', 603],
    ['no answer', ringForever(), 30_000, 'NO_ANSWER', undefined],
    ['endpoint throws before a leg', explode(false), 0, 'NORMAL_TEMPORARY_FAILURE', undefined],
    ['endpoint throws after the leg', explode(true), 0, 'NORMAL_TEMPORARY_FAILURE', undefined],
  ];
  for (const [name, behaviour, ms, expected, status] of cases) {
    const { h, ep } = setup(behaviour);
    const pending = h.sw.originate('sip:1001@example.com', { callerId: { number: '1000', name: 'Alice' }, timeoutMs: 30_000 });
    await h.tick(ms);
    const r = await pending;
    assert.equal(cause(r), expected, name);
    if (r.ok) {
      assert.equal(r.channel.state, 'answered', name);
      assert.equal(r.channel.direction, 'outbound');
      assert.deepEqual(r.channel.caller, { number: '1000', name: 'Alice' });
      await r.channel.hangup();
    } else {
      assert.equal(r.sipStatus, status, name);
      const leg = ep.legs[0];
      assert.equal(r.uuid, leg?.channel.uuid, `${name}: failure names the leg`);
      if (leg) assert.equal(leg.channel.state, 'destroyed', name);
      if (expected === 'NO_ANSWER') {
        assert.deepEqual(leg?.driver.calls, ['hangup:NO_ANSWER'], 'the leg is cancelled');
        assert.equal(ep.requests[0]?.signal.aborted, true, 'the endpoint is told to stop');
      }
      if (expected === 'USER_BUSY') assert.deepEqual(leg?.driver.calls, [], 'a refused leg needs no hangup from us');
    }
    await h.finish();
    const cdrs = await h.store.list();
    assert.equal(cdrs.length, ep.legs.length, `${name}: one CDR per leg`);
    if (cdrs[0]) assert.equal(cdrs[0].hangupCause, r.ok ? 'NORMAL_CLEARING' : expected, name);
  }
});

test('originate: the request carries caller id, variables, headers, early media and a uuid', async () => {
  const { h, ep } = setup(answerAfter(0));
  const parent = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  const seen: Channel[] = [];
  const r = await h.sw.originate('SOFIA/internal/1001', {
    uuid: 'forced-uuid', callerId: { number: '555', name: 'Desk' }, destination: '1001', variables: { a: '1' },
    headers: { 'X-Tag': 't' }, earlyMedia: false, parent, onChannel: (c) => seen.push(c),
  });
  assert.ok(r.ok);
  const req = ep.requests[0]!;
  assert.equal(req.uuid, 'forced-uuid');
  assert.deepEqual(req.callerId, { number: '555', name: 'Desk' });
  assert.deepEqual({ ...req.variables }, { a: '1' });
  assert.deepEqual({ ...req.headers }, { 'X-Tag': 't' });
  assert.equal(req.earlyMedia, false);
  assert.equal(req.timeoutMs, 60_000);
  assert.equal(r.channel.uuid, 'forced-uuid');
  assert.equal(r.channel.parentUuid, parent.uuid);
  assert.equal(r.channel.destination, '1001');
  assert.equal(r.channel.getVariable('a'), '1');
  assert.equal(seen[0], r.channel, 'onChannel sees the leg before answer');
  const dup = await h.sw.originate('sip:x', { uuid: 'forced-uuid' });
  assert.equal(dup.ok ? '' : dup.error?.code, 'CORE_DUPLICATE_UUID');
  assert.throws(() => req.createChannel(new FakeDriver()), /already ended|already created/);
  await r.channel.hangup();
  await parent.hangup();
  await h.finish();
});

test('originate: caller cancel via AbortSignal gives ORIGINATOR_CANCEL and cancels the leg', async () => {
  const { h, ep } = setup(ringForever());
  const ac = new AbortController();
  const pending = h.sw.originate('sip:1001@x', { signal: ac.signal });
  await h.tick(1_000);
  ac.abort();
  const r = await pending;
  assert.equal(cause(r), 'ORIGINATOR_CANCEL');
  await h.flush();
  assert.deepEqual(ep.legs[0]?.driver.calls, ['hangup:ORIGINATOR_CANCEL']);
  const early = new AbortController();
  early.abort();
  assert.equal(cause(await h.sw.originate('sip:1001@x', { signal: early.signal })), 'ORIGINATOR_CANCEL');
  await h.finish();
});

test('originate: no endpoint for the target, endpoint contract violations', async () => {
  const { h, ep } = setup(answerAfter(0));
  const none = await h.sw.originate('tel:+15551234');
  assert.equal(cause(none), 'CHAN_NOT_IMPLEMENTED');
  assert.equal(none.ok ? '' : none.error?.code, 'CORE_NO_ENDPOINT');
  ep.behaviour = async () => ({ ok: true });
  const noLeg = await h.sw.originate('sip:a@b');
  assert.equal(cause(noLeg), 'NORMAL_TEMPORARY_FAILURE');
  assert.equal(noLeg.ok ? '' : noLeg.error?.code, 'CORE_ORIGINATE_STATE');
  ep.behaviour = async (req) => {
    const driver = new FakeDriver();
    const ch = req.createChannel(driver);
    ch.attachMedia(new FakeMedia());
    req.createChannel(new FakeDriver());
    return { ok: true };
  };
  const twice = await h.sw.originate('sip:a@b');
  assert.equal(cause(twice), 'NORMAL_TEMPORARY_FAILURE');
  await h.flush();
  await h.finish();
  assert.equal(await h.store.count(), 1, 'the one leg created still has its CDR');
});

test('originate: an endpoint that reports answer without calling remoteAnswered still yields an answered leg', async () => {
  const { h } = setup(async (req, ep) => {
    ep.leg(req);
    return { ok: true };
  });
  const r = await h.sw.originate('sip:a@b');
  assert.ok(r.ok);
  assert.equal(r.channel.state, 'answered');
  await r.channel.hangup();
  await h.finish();
});

test('endpoints: scheme validation, longest prefix wins, removal', async () => {
  const h = createHarness();
  const sip = new FakeEndpoint(h.clock, { name: 'sip', schemes: ['sip:', 'user/'] });
  const user = new FakeEndpoint(h.clock, { name: 'users', schemes: ['user/10'] });
  h.sw.addEndpoint(sip);
  const remove = h.sw.addEndpoint(user);
  assert.equal(h.sw.endpointFor('user/1001'), user);
  assert.equal(h.sw.endpointFor('USER/2001'), sip);
  assert.equal(h.sw.endpointFor('Sip:bob@x'), sip);
  assert.equal(h.sw.endpointFor('tel:1'), undefined);
  assert.throws(() => h.sw.addEndpoint(new FakeEndpoint(h.clock, { name: 'dup', schemes: ['SIP:'] })), /already served/);
  assert.throws(() => h.sw.addEndpoint(new FakeEndpoint(h.clock, { name: 'none', schemes: [] })), /needs a name/);
  remove();
  assert.equal(h.sw.endpointFor('user/1001'), sip);
  assert.deepEqual(h.sw.endpoints(), [sip]);
  await h.finish();
});

test('admission applies to originate: over the session cap the attempt fails with SWITCH_CONGESTION', async () => {
  const { h } = setup(answerAfter(0), { admission: { maxSessions: 1 } });
  const first = await h.sw.originate('sip:a@b');
  assert.ok(first.ok);
  const second = await h.sw.originate('sip:c@d');
  assert.equal(cause(second), 'SWITCH_CONGESTION');
  assert.equal(second.ok ? 0 : second.sipStatus, 503);
  await first.channel.hangup();
  await h.finish();
});

test('close(): pending attempts end with SYSTEM_SHUTDOWN, every leg is hung up, registries empty, CDRs stored', async () => {
  const { h, ep } = setup(ringForever());
  const pending = h.sw.originate('sip:a@b');
  const answered = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia() });
  await answered.answer();
  const other = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia() });
  assert.ok(h.sw.bridge(answered, other).ok);
  assert.ok(h.sw.joinConference(h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia() }), 'room').ok);
  await h.flush();
  assert.deepEqual(h.sw.counts(), { channels: 4, bridges: 1, conferences: 1, originates: 1 });
  await Promise.all([h.sw.close(), h.sw.close()]);
  assert.equal(cause(await pending), 'SYSTEM_SHUTDOWN');
  assert.deepEqual(h.sw.counts(), { channels: 0, bridges: 0, conferences: 0, originates: 0 });
  const cdrs = await h.store.list();
  assert.equal(cdrs.length, 4);
  assert.ok(cdrs.every((c) => c.hangupCause === 'SYSTEM_SHUTDOWN'));
  assert.deepEqual(ep.legs[0]?.driver.calls, ['hangup:SYSTEM_SHUTDOWN']);
  assert.equal(h.sw.admit().ok, false);
  assert.equal(cause(await h.sw.originate('sip:a@b')), 'SYSTEM_SHUTDOWN');
  assert.throws(() => h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() }), /closed/);
  await h.finish();
});

test('close() is bounded: a hung driver or a hung CDR store cannot hold shutdown forever', async () => {
  const stored: string[] = [];
  const hungStore = {
    add: (r: { uuid: string }) => { stored.push(r.uuid); return new Promise<void>(() => {}); },
    get: async () => undefined,
    list: async () => [],
    count: async () => stored.length,
  };
  const h = createHarness({ hangupTimeoutMs: 1_000, shutdownTimeoutMs: 3_000, cdrStore: hungStore });
  const driver = new FakeDriver();
  driver.behaviour.set('hangup', 'hang');
  h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver });
  let closed = false;
  const closing = h.sw.close().then(() => { closed = true; });
  await h.tick(1_000);
  assert.equal(stored.length, 1, 'the channel gave up on its driver and wrote its CDR');
  assert.equal(closed, false, 'shutdown still waits for the store');
  await h.tick(2_000);
  await closing;
  assert.deepEqual(h.sw.counts(), { channels: 0, bridges: 0, conferences: 0, originates: 0 });
  await h.finish();
});
