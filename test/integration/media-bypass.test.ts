/**
 * Media bypass over real SIP (media-bypass.ts, core Bridge.setMediaPath): two scripted phones bridged by
 * the server; ESL `uuid_media off <uuid>` re-INVITEs each phone with the other's SDP, so RTP goes
 * phone to phone (the phones' targets point at each other, the server's RTP ports are back in the
 * pool, audio still flows both ways, playing to a bypassed leg fails with a typed error); a re-INVITE
 * from one phone while bypassed reaches the other (SDP passthrough, a refusal passed back); a party
 * refusing the bypass leaves the call anchored; `uuid_media <uuid>` brings the
 * media back through the server (fresh ports, audio relayed again); `sendmsg nomedia` and the channel
 * variable `bypass_media` do the same as `uuid_media off`. A hangup while bypassed ends the other leg and
 * writes both CDRs; the registries end empty.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPhone, offerSdp, type ReceivedRtp } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { EslTestClient } from '../support/esl-client.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import type { Channel } from '../../src/core/index.ts';
import { FollowingCall, answerFollowing, audioBothWays } from './media-bypass-phones.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 4000): Promise<void> => waitUntil(what, check, ms, 20);


describe('media bypass with two SIP phones (ESL uuid_media)', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let callee: TestPhone;
  let esl: EslTestClient;
  const answered: FollowingCall[] = [];
  let off: () => void = () => {};

  before(async () => {
    srv = await startTestServer();
    caller = await TestPhone.start();
    callee = await TestPhone.start();
    answerFollowing(callee, answered);
    off = srv.server.sw.router.register({ number: 'bypass-test' }, async (ch) => {
      const out = await srv.server.sw.originate(`sip:b@127.0.0.1:${callee.port}`, { parent: ch, callerId: ch.caller });
      if (!out.ok) {
        await ch.hangup(out.cause);
        return;
      }
      await ch.answer();
      srv.server.sw.bridge(ch, out.channel);
    });
    const port = srv.server.esl?.address.port;
    assert.ok(port);
    esl = await EslTestClient.authed(port);
  });

  after(async () => {
    off();
    esl.close();
    await caller.close();
    await callee.close();
    await srv.close();
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  async function bridgedCall(): Promise<{ a: FollowingCall; b: FollowingCall; legA: Channel; legB: Channel }> {
    answered.length = 0;
    const r = await caller.call(srv.uri('bypass-test'));
    assert.ok(r.ok);
    const a = new FollowingCall(r.call);
    await until('bridged', () => answered.length === 1 && srv.server.sw.bridges().length === 1);
    const bridge = srv.server.sw.bridges()[0]!;
    const legA = bridge.a.direction === 'inbound' ? bridge.a : bridge.b;
    const legB = bridge.other(legA.uuid)!;
    return { a, b: answered[0]!, legA, legB };
  }

  test('uuid_media off: RTP goes phone to phone, ports free; uuid_media: relayed by the server again', async () => {
    const { a, b, legA, legB } = await bridgedCall();
    await audioBothWays(a.call, b.call, 0x11, 0x22);
    assert.notEqual(a.call.remote.port, b.localPort, 'anchored: A sends to the server');
    assert.ok(srv.server.media.portsInUse > 0);

    assert.equal(await esl.api(`uuid_media off ${legA.uuid}`), '+OK Success\n');
    assert.equal(a.call.remote.port, b.localPort, 'A sends to B directly');
    assert.equal(b.call.remote.port, a.localPort, 'B sends to A directly');
    assert.equal(a.offers.length, 1);
    assert.equal(b.offers.length, 1);
    await until('the server\'s RTP ports are free', () => srv.server.media.portsInUse === 0);
    assert.equal(legA.mediaPath, 'bypassed');
    assert.equal(await esl.api(`uuid_getvar ${legB.uuid} bypass_media`), 'true');
    await audioBothWays(a.call, b.call, 0x33, 0x44);

    const played = await legA.play('tone_stream://%(200,0,440)').done;
    assert.equal(played.status, 'failed');
    assert.match(played.error ?? '', /bypassed/);
    const dtmf = await legB.sendDtmf('5');
    assert.equal(dtmf.ok ? '' : dtmf.error.code, 'CORE_MEDIA_BYPASSED');
    assert.equal(await esl.api(`uuid_media off ${legA.uuid}`), '+OK Success\n', 'already bypassed');

    assert.equal(await esl.api(`uuid_media ${legB.uuid}`), '+OK Success\n');
    assert.notEqual(a.call.remote.port, b.localPort, 'A sends to the server again');
    assert.notEqual(b.call.remote.port, a.localPort, 'B sends to the server again');
    assert.ok(srv.server.media.portsInUse > 0, 'fresh ports taken');
    assert.equal(legA.mediaPath, 'anchored');
    assert.equal(await esl.api(`uuid_getvar ${legB.uuid} bypass_media`), '_undef_');
    await audioBothWays(a.call, b.call, 0x55, 0x66);

    await a.call.hangup();
    await until('B hung up', () => b.call.dialog.state === 'terminated');
    await idle();
  });

  test('while bypassed: a re-INVITE from A reaches B; hangup ends both legs and both CDRs are written', async () => {
    const { a, b, legA, legB } = await bridgedCall();
    assert.equal(await esl.api(`uuid_media off ${legB.uuid}`), '+OK Success\n');
    const received: ReceivedRtp[] = [];
    const moved = await caller.rtpSocket(received);
    const answerPort = await a.reinviteWith(moved.port);
    assert.equal(answerPort, b.localPort, 'the answer is B\'s');
    await until('B got the re-offer', () => b.offers.length === 2);
    assert.equal(b.call.remote.port, moved.port, 'B now sends to A\'s new port');
    assert.equal(srv.server.media.portsInUse, 0);
    await b.call.sendIndexed(10, 0x77);
    await until('A hears B on its new port', () => received.filter((p) => p.payload[2] === 0x77).length >= 8, 2000);
    b.refuse = true;
    const refused = await a.call.dialog.reinvite({ body: offerSdp(a.localPort), contentType: 'application/sdp' });
    assert.equal(refused.ok ? 200 : refused.status, 488, 'B\'s refusal reaches A');
    assert.equal(b.call.remote.port, moved.port, 'B still sends where it did');
    b.refuse = false;

    await b.call.hangup();
    await until('A hung up', () => a.call.dialog.state === 'terminated');
    await idle();
    await srv.server.sw.flushCdrs();
    const cdrs = await srv.server.cdrs.list({});
    for (const leg of [legA, legB]) {
      const cdr = cdrs.find((c) => c.uuid === leg.uuid);
      assert.ok(cdr, `CDR of ${leg.direction}`);
      assert.equal(cdr.hangupCause, 'NORMAL_CLEARING');
      assert.ok(cdr.media, 'media counters of the anchored time');
    }
  });

  test('a party refusing the bypass offer: -ERR, the other party is pointed back at the server, audio still relayed', async () => {
    const { a, b, legA } = await bridgedCall();
    b.refuse = true;
    assert.equal(await esl.api(`uuid_media off ${legA.uuid}`), '-ERR Operation Failed\n');
    assert.equal(a.offers.length, 2, 'A got B\'s SDP, then ours again');
    assert.notEqual(a.call.remote.port, b.localPort, 'A sends to the server again');
    assert.equal(legA.mediaPath, 'anchored');
    assert.ok(srv.server.media.portsInUse > 0);
    await audioBothWays(a.call, b.call, 0x21, 0x43);
    await a.call.hangup();
    await until('B hung up', () => b.call.dialog.state === 'terminated');
    await idle();
  });

  test('bad requests: usage, unknown uuid, an unbridged channel, sendmsg nomedia without a uuid', async () => {
    assert.equal(await esl.api('uuid_media'), '-USAGE: [off] <uuid>\n');
    assert.equal(await esl.api('uuid_media off'), '-ERR Operation Failed\n');
    assert.equal(await esl.api('uuid_media off 00000000-0000-0000-0000-000000000000'), '-ERR Operation Failed\n');
    assert.equal(await esl.api('uuid_media_reneg'), '-USAGE: <uuid>[ <codec_string>]\n');
    assert.equal(await esl.api('uuid_media_reneg nope'), '-ERR Operation Failed\n');
    const r = await caller.call(srv.uri('echo'));
    assert.ok(r.ok);
    await until('echo channel', () => srv.server.sw.channels().length === 1);
    const ch = srv.server.sw.channels()[0]!;
    assert.equal(await esl.api(`uuid_media off ${ch.uuid}`), '-ERR Operation Failed\n', 'not bridged');
    assert.equal(await esl.api(`uuid_media ${ch.uuid}`), '+OK Success\n', 'already anchored');
    assert.equal(await esl.api(`uuid_media_reneg ${ch.uuid}`), '+OK Success\n');
    const reply = await esl.command(`sendmsg ${ch.uuid}`, { 'call-command': 'nomedia' });
    assert.equal(reply.headers['Reply-Text'], '+OK');
    await sleep(50);
    assert.equal(ch.mediaPath, 'anchored');
    await r.call.hangup();
    await idle();
  });

  test('channel variable bypass_media=true before the bridge: bypassed once both legs answered', async () => {
    answered.length = 0;
    const offVar = srv.server.sw.router.register({ number: 'bypass-var' }, async (ch) => {
      const out = await srv.server.sw.originate(`sip:b@127.0.0.1:${callee.port}`, { parent: ch, callerId: ch.caller });
      if (!out.ok) {
        await ch.hangup(out.cause);
        return;
      }
      await ch.answer();
      ch.setVariable('bypass_media', 'true');
      srv.server.sw.bridge(ch, out.channel);
    });
    try {
      const r = await caller.call(srv.uri('bypass-var'));
      assert.ok(r.ok);
      const a = new FollowingCall(r.call);
      await until('bridged', () => answered.length === 1 && srv.server.sw.bridges().length === 1);
      const b = answered[0]!;
      await until('bypassed by the variable', () => a.call.remote.port === b.localPort && b.call.remote.port === a.localPort
        && srv.server.media.portsInUse === 0);
      await audioBothWays(a.call, b.call, 0x12, 0x34);
      await a.call.hangup();
      await until('B hung up', () => b.call.dialog.state === 'terminated');
      await idle();
    } finally {
      offVar();
    }
  });

  test('sendmsg nomedia with nomedia-uuid bypasses the bridged call', async () => {
    const { a, b, legA } = await bridgedCall();
    const reply = await esl.command(`sendmsg ${legA.uuid}`, { 'call-command': 'nomedia', 'nomedia-uuid': legA.uuid });
    assert.equal(reply.headers['Reply-Text'], '+OK');
    await until('bypassed', () => legA.mediaPath === 'bypassed' && a.call.remote.port === b.localPort);
    await a.call.hangup();
    await until('B hung up', () => b.call.dialog.state === 'terminated');
    await idle();
  });
});
