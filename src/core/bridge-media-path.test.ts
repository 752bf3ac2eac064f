import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, DriverResult, MediaPathRequest } from './index.ts';
import { FakeDriver, FakeMedia, createHarness, type Harness } from './testing/index.ts';

/** A driver that can bypass: records requests; on anchor gives both legs fresh fake media. */
class BypassDriver extends FakeDriver {
  readonly requests: { mode: string; peer: boolean }[] = [];
  refuse = false;
  channel: Channel | undefined;
  peerChannel: (() => Channel | undefined) | undefined;
  readonly fresh: FakeMedia[] = [];

  async mediaPath(request: MediaPathRequest): Promise<DriverResult> {
    this.requests.push({ mode: request.mode, peer: request.peer !== undefined });
    if (this.refuse) return { ok: false, sipStatus: 488, reason: 'refused by the far end' };
    if (request.mode === 'anchor') {
      for (const ch of [this.channel, request.peer ? this.peerChannel?.() : undefined]) {
        if (!ch) continue;
        const m = new FakeMedia(`${ch.name}-again`);
        this.fresh.push(m);
        ch.attachMedia(m);
      }
    }
    return { ok: true };
  }
}

interface Pair { h: Harness; a: Channel; b: Channel; da: BypassDriver; ma: FakeMedia; mb: FakeMedia }

async function pair(answered = true): Promise<Pair> {
  const h = createHarness();
  const da = new BypassDriver();
  const db = new BypassDriver();
  const ma = new FakeMedia('a');
  const mb = new FakeMedia('b');
  const a = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', name: 'a', driver: da, media: ma });
  const b = h.sw.createChannel({ direction: 'outbound', endpoint: 'sip', name: 'b', driver: db, media: mb });
  da.channel = a;
  da.peerChannel = () => b;
  if (answered) {
    await a.answer();
    b.remoteAnswered();
  }
  return { h, a, b, da, ma, mb };
}

test('bypass: the driver gets the peer, the link and both media are released, operations fail typed', async () => {
  const { h, a, b, da, ma, mb } = await pair();
  const r = h.sw.bridge(a, b);
  assert.ok(r.ok);
  const bridge = r.bridge;
  assert.deepEqual(await bridge.setMediaPath('bypassed'), { ok: true });
  assert.deepEqual(da.requests, [{ mode: 'bypass', peer: true }]);
  assert.equal(bridge.mediaPath, 'bypassed');
  assert.equal(ma.links[0]?.closed, true);
  assert.equal(ma.closed, 1);
  assert.equal(mb.closed, 1);
  for (const ch of [a, b]) {
    assert.equal(ch.mediaPath, 'bypassed');
    assert.equal(ch.media, undefined);
    assert.equal(ch.getVariable('bypass_media'), 'true');
  }
  const played = await a.play('tone_stream://%(100,0,440)').done;
  assert.equal(played.status, 'failed');
  assert.match(played.error ?? '', /bypassed/);
  const dtmf = await b.sendDtmf('1');
  assert.equal(dtmf.ok ? '' : dtmf.error.code, 'CORE_MEDIA_BYPASSED');
  const echo = a.echo(true);
  assert.equal(echo.ok ? '' : echo.error.code, 'CORE_MEDIA_BYPASSED');
  const rec = await a.record('/tmp/x.wav').done;
  assert.equal(rec.status, 'failed');
  assert.deepEqual(await bridge.setMediaPath('bypassed'), { ok: true }, 'already bypassed');
  assert.equal(da.requests.length, 1);
  await a.hangup();
  await h.finish();
});

test('anchor again: fresh media on both legs, bridged again, variable cleared; CDR counters add both periods', async () => {
  const { h, a, b, da } = await pair();
  const r = h.sw.bridge(a, b);
  assert.ok(r.ok);
  assert.ok((await r.bridge.setMediaPath('bypassed')).ok);
  assert.deepEqual(await r.bridge.setMediaPath('anchored'), { ok: true });
  assert.deepEqual(da.requests.map((q) => q.mode), ['bypass', 'anchor']);
  assert.equal(r.bridge.mediaPath, 'anchored');
  const [fa, fb] = da.fresh;
  assert.ok(fa && fb);
  assert.equal(a.media, fa);
  assert.equal(b.media, fb);
  assert.equal(fa.links.at(-1)?.other, fb);
  assert.equal(a.mediaPath, 'anchored');
  assert.equal(a.getVariable('bypass_media'), undefined);
  const p = a.play('tone_stream://%(100,0,440)');
  assert.equal(fa.plays.length, 1);
  p.stop();
  await a.hangup();
  await h.finish();
  const cdr = await h.store.get(a.uuid);
  assert.equal(cdr?.media?.packetsIn, 200, 'both anchored periods counted');
  assert.equal(cdr?.media?.bytesOut, 2 * 15480);
});

test('a leg still bypassed at hangup: the CDR has the anchored period only; the other leg follows', async () => {
  const { h, a, b } = await pair();
  const r = h.sw.bridge(a, b);
  assert.ok(r.ok);
  assert.ok((await r.bridge.setMediaPath('bypassed')).ok);
  await b.remoteHangup('NORMAL_CLEARING');
  await h.finish();
  assert.equal(a.state, 'destroyed');
  const cdr = await h.store.get(b.uuid);
  assert.equal(cdr?.media?.packetsIn, 100);
  assert.equal(cdr?.hangupCause, 'NORMAL_CLEARING');
});

test('refused by the endpoint: stays anchored and bridged; unanswered legs and unbridged legs are refused', async () => {
  const { h, a, b, da, ma } = await pair();
  const r = h.sw.bridge(a, b);
  assert.ok(r.ok);
  da.refuse = true;
  const refused = await r.bridge.setMediaPath('bypassed');
  assert.equal(refused.ok ? '' : refused.error.code, 'CORE_DRIVER_FAILED');
  assert.equal(r.bridge.mediaPath, 'anchored');
  assert.equal(ma.links[0]?.closed, false);
  assert.equal(a.media, ma);
  await a.hangup();
  await h.finish();

  const early = await pair(false);
  const rb = early.h.sw.bridge(early.a, early.b);
  assert.ok(rb.ok);
  const notNow = await rb.bridge.setMediaPath('bypassed');
  assert.equal(notNow.ok ? '' : notNow.error.code, 'CORE_CHANNEL_STATE');
  assert.equal(early.da.requests.length, 0);
  await early.a.hangup();
  await early.h.finish();
});

test('a second change while one runs is refused; a plain driver cannot bypass', async () => {
  const { h, a, b } = await pair();
  const r = h.sw.bridge(a, b);
  assert.ok(r.ok);
  const first = r.bridge.setMediaPath('bypassed');
  const second = await r.bridge.setMediaPath('anchored');
  assert.equal(second.ok ? '' : second.error.code, 'CORE_CHANNEL_STATE');
  assert.ok((await first).ok);
  await a.hangup();
  await h.finish();

  const h2 = createHarness();
  const x = h2.sw.createChannel({ direction: 'outbound', endpoint: 'sip', name: 'x', driver: new FakeDriver(), media: new FakeMedia('x') });
  const y = h2.sw.createChannel({ direction: 'outbound', endpoint: 'sip', name: 'y', driver: new FakeDriver(), media: new FakeMedia('y') });
  x.remoteAnswered();
  y.remoteAnswered();
  const rb = h2.sw.bridge(x, y);
  assert.ok(rb.ok);
  const no = await rb.bridge.setMediaPath('bypassed');
  assert.equal(no.ok ? '' : no.error.code, 'CORE_NOT_SUPPORTED');
  await x.hangup();
  await h2.finish();
});

test('unbridged while bypassed: the legs that stay up are anchored again', async () => {
  const { h, a, b, da } = await pair();
  const r = h.sw.bridge(a, b, { hangupAfterBridge: false });
  assert.ok(r.ok);
  assert.ok((await r.bridge.setMediaPath('bypassed')).ok);
  r.bridge.close('unbridge');
  await h.flush();
  assert.deepEqual(da.requests.at(-1), { mode: 'anchor', peer: true });
  assert.equal(a.mediaPath, 'anchored');
  assert.equal(b.mediaPath, 'anchored');
  assert.ok(a.media && b.media);
  await a.hangup();
  await b.hangup();
  await h.finish();
});

test('one leg hangs up without hangupAfterBridge: the survivor alone is anchored again', async () => {
  const { h, a, b, da } = await pair();
  const r = h.sw.bridge(a, b, { hangupAfterBridge: false });
  assert.ok(r.ok);
  assert.ok((await r.bridge.setMediaPath('bypassed')).ok);
  await b.remoteHangup('NORMAL_CLEARING');
  await h.flush();
  assert.deepEqual(da.requests.at(-1), { mode: 'anchor', peer: false });
  assert.equal(a.mediaPath, 'anchored');
  assert.equal(a.state, 'answered');
  await a.hangup();
  await h.finish();
});
