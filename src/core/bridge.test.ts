import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, HangupCause } from './index.ts';
import { FakeDriver, FakeMedia, createHarness, type Harness } from './testing/index.ts';

interface Leg { ch: Channel; driver: FakeDriver; media: FakeMedia }

function leg(h: Harness, name: string, direction: 'inbound' | 'outbound' = 'inbound'): Leg {
  const driver = new FakeDriver();
  const media = new FakeMedia(name);
  const ch = h.sw.createChannel({ direction, endpoint: 'sip', name, driver, media });
  return { ch, driver, media };
}

test('bridge joins the media and announces itself; unbridge leaves both legs up', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const b = leg(h, 'b', 'outbound');
  const r = h.sw.bridge(a.ch, b.ch);
  assert.ok(r.ok);
  const bridge = r.bridge;
  assert.equal(a.media.links[0]?.other, b.media);
  assert.equal(a.ch.bridgedTo, b.ch.uuid);
  assert.equal(b.ch.bridgedTo, a.ch.uuid);
  assert.equal(a.ch.times.bridged, h.sw.now());
  assert.equal(h.sw.bridgeOf(a.ch.uuid), bridge);
  assert.equal(bridge.other(a.ch.uuid), b.ch);
  assert.equal(bridge.other('nobody'), undefined);
  assert.deepEqual(h.sw.counts().bridges, 1);
  const created = h.events.find((e) => e.name === 'bridge.created');
  assert.deepEqual(created?.payload, {
    bridge: { id: bridge.id, a: a.ch.uuid, b: b.ch.uuid, createdAt: h.sw.now(), mode: 'relay' },
    a: a.ch.snapshot(), b: b.ch.snapshot(),
  });
  assert.deepEqual(h.sw.unbridge(a.ch), { ok: true });
  bridge.close();
  assert.equal(a.media.links[0]?.closed, true);
  assert.equal(a.ch.bridgedTo, undefined);
  assert.equal(a.ch.lastBridgedTo, b.ch.uuid);
  assert.equal(a.ch.state, 'new');
  assert.equal(h.events.filter((e) => e.name === 'bridge.destroyed').length, 1);
  const again = h.sw.unbridge(a.ch);
  assert.equal(again.ok ? '' : again.error.code, 'CORE_CHANNEL_STATE');
  await a.ch.hangup();
  await b.ch.hangup();
  await h.finish();
  const cdrA = await h.store.get(a.ch.uuid);
  assert.equal(cdrA?.bridgedTo, b.ch.uuid);
});

test('hangup propagation (table): either leg, with and without hangupAfterBridge', async () => {
  const cases: [string, 'a' | 'b', HangupCause, boolean][] = [
    ['a hangs up, b follows with the same cause', 'a', 'NORMAL_CLEARING', true],
    ['b hangs up busy, a follows with USER_BUSY', 'b', 'USER_BUSY', true],
    ['b hangs up, a stays (hangupAfterBridge false)', 'b', 'NORMAL_CLEARING', false],
  ];
  for (const [name, who, cause, after] of cases) {
    const h = createHarness();
    const a = leg(h, 'a');
    const b = leg(h, 'b', 'outbound');
    const r = h.sw.bridge(a.ch, b.ch, { hangupAfterBridge: after });
    assert.ok(r.ok, name);
    const [ender, other] = who === 'a' ? [a, b] : [b, a];
    await ender.ch.remoteHangup(cause);
    await h.flush();
    const destroyed = h.events.find((e) => e.name === 'bridge.destroyed');
    assert.deepEqual(destroyed?.payload, { bridge: r.bridge.snapshot(), reason: 'hangup', cause, endedBy: ender.ch.uuid }, name);
    assert.equal(h.sw.counts().bridges, 0, name);
    if (after) {
      assert.equal(other.ch.state, 'destroyed', name);
      assert.equal(other.ch.hangupCause, cause, name);
      assert.deepEqual(other.driver.calls, [`hangup:${cause}`], name);
    } else {
      assert.equal(other.ch.state, 'new', name);
      assert.equal(other.ch.getVariable('last_bridge_hangup_cause'), cause, name);
      await other.ch.hangup();
    }
    await h.finish();
    assert.equal(await h.store.count(), 2, name);
  }
});

test('bridging a leg that is already bridged replaces the old bridge; the old partner stays up', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const b = leg(h, 'b');
  const c = leg(h, 'c');
  const first = h.sw.bridge(a.ch, b.ch);
  const second = h.sw.bridge(a.ch, c.ch);
  assert.ok(first.ok && second.ok);
  assert.equal(first.bridge.active, false);
  assert.equal(b.ch.state, 'new');
  assert.equal(b.ch.bridgedTo, undefined);
  assert.equal(a.ch.bridgedTo, c.ch.uuid);
  assert.equal(h.sw.bridgeOf(a.ch.uuid), second.bridge);
  assert.equal(h.sw.bridgeOf(b.ch.uuid), undefined);
  const reasons = h.events.flatMap((e) => (e.name === 'bridge.destroyed' ? [e.payload.reason] : []));
  assert.deepEqual(reasons, ['replaced']);
  await c.ch.hangup('NORMAL_CLEARING');
  assert.equal(a.ch.state, 'destroyed');
  assert.equal(b.ch.state, 'new');
  await b.ch.hangup();
  await h.finish();
});

test('bridge refusals are results', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const b = leg(h, 'b');
  const bare = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  const gone = leg(h, 'gone');
  await gone.ch.hangup();
  const cases: [Channel, Channel, string][] = [
    [a.ch, a.ch, 'CORE_BRIDGE_INVALID'],
    [a.ch, bare, 'CORE_NO_MEDIA'],
    [a.ch, gone.ch, 'CORE_CHANNEL_GONE'],
  ];
  for (const [x, y, code] of cases) {
    const r = h.sw.bridge(x, y);
    assert.equal(r.ok ? '' : r.error.code, code);
  }
  a.media.failing.add('bridge');
  const failed = h.sw.bridge(a.ch, b.ch);
  assert.equal(failed.ok ? '' : failed.error.code, 'CORE_MEDIA_FAILED');
  assert.equal(h.sw.counts().bridges, 0);
  await Promise.all([a.ch.hangup(), b.ch.hangup(), bare.hangup()]);
  await h.finish();
});

test('a media link that throws on close does not stop the hangup', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const b = leg(h, 'b');
  const r = h.sw.bridge(a.ch, b.ch);
  assert.ok(r.ok);
  a.media.failing.add('unbridge');
  await a.ch.hangup();
  await h.flush();
  assert.equal(b.ch.state, 'destroyed');
  await h.finish();
});
