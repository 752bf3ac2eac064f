/**
 * Whole calls through the running server (startServer) with a scripted phone on our own SIP stack:
 * echo packet for packet, SIP INFO DTMF, late offer, 488 for unusable SDP, 503 from admission control,
 * 480 for an unregistered user, CANCEL, and an outbound leg bridged to an inbound one. After each call
 * the registries are empty and the RTP ports are back in the pool.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneCall, TestPhone, offerSdp } from '../support/test-phone.ts';
import { startTestServer, type TestServer, waitIdle } from '../support/test-server.ts';
import type { SwitchEvents } from '../../src/core/index.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => waitUntil(what, check, ms, 20);



describe('SIP endpoint: calls into the demo dialplan', () => {
  let srv: TestServer;
  let phone: TestPhone;
  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone.close();
    await srv.close();
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('echo: every RTP packet comes back, and the CDR has the media counters', async () => {
    const r = await phone.call(srv.uri('echo'));
    assert.ok(r.ok, 'answered');
    await r.call.sendIndexed(100);
    await sleep(300);
    assert.equal(r.call.echoedIndices().size, 100);
    await r.call.hangup();
    await idle();
    await srv.server.sw.flushCdrs();
    const cdrs = await srv.server.cdrs.list({});
    const cdr = cdrs.find((c) => c.callee.number === 'echo');
    assert.ok(cdr);
    assert.equal(cdr.hangupCause, 'NORMAL_CLEARING');
    assert.ok((cdr.media?.packetsIn ?? 0) >= 100, JSON.stringify(cdr.media));
  });

  test('INFO application/dtmf-relay reaches the switch as channel.dtmf (source info)', async () => {
    const digits: SwitchEvents['channel.dtmf'][] = [];
    const off = srv.server.sw.bus.on('channel.dtmf', (e) => digits.push(e));
    const r = await phone.call(srv.uri('echo'));
    assert.ok(r.ok);
    const res = await r.call.dialog.request('INFO', { body: 'Signal=5\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' });
    assert.equal(res.status, 200);
    await until('digit', () => digits.length > 0);
    assert.equal(digits[0]!.digit, '5');
    assert.equal(digits[0]!.source, 'info');
    off();
    await r.call.hangup();
    await idle();
  });

  test('late offer: INVITE without SDP gets our offer in the 200; the answer in the ACK; echo works', async () => {
    const r = await phone.call(srv.uri('echo'), { body: null });
    assert.ok(r.ok);
    assert.ok(r.result.offer, 'the 200 carries an offer');
    await r.call.sendIndexed(20);
    await sleep(300);
    assert.equal(r.call.echoedIndices().size, 20);
    await r.call.hangup();
    await idle();
  });

  test('malformed SDP and an offer with nothing acceptable are answered 488; no port is kept', async () => {
    const bad = await phone.call(srv.uri('echo'), { body: 'this is not sdp' });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.status, 488);
    const g729 = await phone.call(srv.uri('echo'), { body: offerSdp(4000, { codecs: '18' }).replace(/a=rtpmap:(0|101).*\r\n/g, '').replace('a=fmtp:101 0-16\r\n', '') });
    assert.equal(g729.ok, false);
    if (!g729.ok) assert.equal(g729.status, 488);
    await idle();
  });

  test('admission control refuses with 503 and Retry-After before creating anything', async () => {
    const sw = srv.server.sw;
    const created = sw.stats().sessionsSinceStartup;
    sw.admission.configure({ maxSessions: 0, busyRetryAfter: 7 });
    try {
      const r = await phone.call(srv.uri('echo'));
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.status, 503);
        assert.equal(r.result.ok === false ? r.result.response?.headers.get('retry-after') : undefined, '7');
      }
      assert.equal(sw.stats().sessionsSinceStartup, created);
    } finally {
      sw.admission.configure({});
    }
    await idle();
  });

  test('calling a demo user who is not registered: 480', async () => {
    const r = await phone.call(srv.uri('1001'));
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.status, 480);
    await idle();
  });

  test('CANCEL while ringing ends the channel with ORIGINATOR_CANCEL', async () => {
    const off = srv.server.sw.router.register({ number: 'ring-forever' }, async (ch) => {
      await ch.ringing();
    });
    const hangups: SwitchEvents['channel.hangup'][] = [];
    const offBus = srv.server.sw.bus.on('channel.hangup', (e) => hangups.push(e));
    const invite = phone.stack.invite({
      uri: srv.uri('ring-forever'), from: `<sip:phone@127.0.0.1:${phone.port}>`, body: offerSdp(4002), contentType: 'application/sdp',
    });
    await new Promise<void>((resolve) => invite.on('progress', (p) => { if (p.status === 180) resolve(); }));
    invite.cancel();
    const result = await invite.result;
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.status, 487);
    await until('hangup event', () => hangups.length > 0);
    assert.equal(hangups[0]!.cause, 'ORIGINATOR_CANCEL');
    off();
    offBus();
    await idle();
  });

  test('originate to a sip: URI, bridged to an inbound call: audio flows both ways', async () => {
    const callee = await TestPhone.start();
    const answered: PhoneCall[] = [];
    callee.answerCalls(answered);
    const off = srv.server.sw.router.register({ number: 'bridge-test' }, async (ch) => {
      const out = await srv.server.sw.originate(`sip:b@127.0.0.1:${callee.port}`, { parent: ch, callerId: ch.caller });
      if (!out.ok) {
        await ch.hangup(out.cause);
        return;
      }
      await ch.answer();
      srv.server.sw.bridge(ch, out.channel);
    });
    try {
      const r = await phone.call(srv.uri('bridge-test'));
      assert.ok(r.ok);
      await until('callee answered', () => answered.length === 1);
      const b = answered[0]!;
      await until('bridge', () => srv.server.sw.bridges().length === 1);
      await Promise.all([r.call.sendIndexed(25, 0x55), b.sendIndexed(25, 0x66)]);
      await sleep(300);
      assert.equal(b.echoedIndices(0x66).size, 0, 'B does not hear itself');
      const atB = b.echoedIndices(0x55).size;
      const atA = r.call.echoedIndices(0x66).size;
      assert.ok(atB >= 24, `B got ${atB} of A's packets`);
      assert.ok(atA >= 24, `A got ${atA} of B's packets`);
      await r.call.hangup();
      await until('B hung up by the bridge', () => b.dialog.state === 'terminated');
      await idle();
    } finally {
      off();
      await callee.close();
    }
  });

  test('conference: three callers in conf-demo, each hears the one talking but not itself', async () => {
    const phones = await Promise.all([TestPhone.start(), TestPhone.start(), TestPhone.start()]);
    try {
      const calls: PhoneCall[] = [];
      for (const p of phones) {
        const r = await p.call(srv.uri('conf-demo'));
        assert.ok(r.ok);
        calls.push(r.call);
      }
      await until('three members', () => srv.server.sw.conference('demo')?.size === 3);
      const [a, b, c] = calls as [PhoneCall, PhoneCall, PhoneCall];
      const marks = calls.map((x) => x.received.length);
      await Promise.all([a.sendTone(440, 1000), b.sendTone(0, 1000), c.sendTone(0, 1000)]);
      await sleep(200);
      const levels = calls.map((x, i) => x.receivedLevel(marks[i]));
      assert.ok(levels[1]! > 1000 && levels[2]! > 1000, `B and C hear A: ${levels.map((l) => l.toFixed(0)).join(', ')}`);
      assert.ok(levels[0]! < 100, `A does not hear itself: ${levels[0]!.toFixed(0)}`);
      for (const x of calls) await x.hangup();
      await until('conference gone', () => srv.server.sw.conferences().length === 0);
      await idle();
    } finally {
      for (const p of phones) await p.close();
    }
  });
});
