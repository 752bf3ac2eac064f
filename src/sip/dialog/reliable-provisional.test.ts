import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from './dialog.ts';
import type { IncomingInvite } from './incoming-invite.ts';
import type { ProvisionalEvent } from './outgoing-invite.ts';
import { RSeqTracker, formatRAck, rackOf } from './prack.ts';
import { SipRequest, SipResponse } from '../message/index.ts';
import { TestNetwork, TestPeer, leftovers } from './test-network.ts';

function setup(): { net: TestNetwork; alice: TestPeer; bob: TestPeer } {
  const net = new TestNetwork();
  return { net, alice: new TestPeer(net, 'alice', '10.0.0.1'), bob: new TestPeer(net, 'bob', '10.0.0.2') };
}

async function finish(net: TestNetwork, ...peers: TestPeer[]): Promise<void> {
  await net.drain();
  assert.deepEqual(leftovers(...peers), []);
  assert.equal(net.clock.pending, 0, 'timers left');
}

test('reliable 183 is retransmitted until the PRACK (first PRACK lost), then answered 200', async () => {
  const { net, alice, bob } = setup();
  let prackLost = false;
  net.drop = (msg) => msg.isRequest() && msg.method === 'PRACK' && !prackLost && (prackLost = true);
  let incoming: IncomingInvite | undefined;
  const pracks: string[] = [];
  bob.onInvite = (inv) => {
    incoming = inv;
    inv.on('prack', (p) => pracks.push(p.request.headers.get('rack') ?? ''));
    inv.progress(183, { body: 'v=0 early', reliable: true });
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a', require100rel: true });
  const progress: ProvisionalEvent[] = [];
  call.on('progress', (p) => progress.push(p));
  await net.run(2000, 10);
  const provisionals = net.responses(183);
  assert.ok(provisionals.length >= 2, `183 sent ${provisionals.length} times`);
  assert.equal(provisionals[0]!.headers.get('require'), '100rel');
  const rseq = provisionals[0]!.headers.get('rseq');
  assert.ok(rseq);
  assert.equal(progress.length, 1, 'the retransmission is not reported again');
  assert.ok(progress[0]!.reliable);
  assert.equal(progress[0]!.dialog?.remoteSession?.body.toString(), 'v=0 early');
  assert.deepEqual(pracks, [`${rseq} ${net.requests('INVITE')[0]!.cseq.seq} INVITE`]);
  assert.equal(net.responses(200, 'PRACK').length, 1);
  const sentAfterPrack = net.responses(183).length;
  await net.run(5000, 20);
  assert.equal(net.responses(183).length, sentAfterPrack, 'no retransmission after the PRACK');
  const dialog = await incoming!.accept({ body: 'v=0 b' });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok);
  assert.equal(result.dialog, progress[0]!.dialog, 'the early dialog is confirmed');
  await Promise.all([dialog.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('the 2xx is held until the reliable provisional is PRACKed', async () => {
  const { net, alice, bob } = setup();
  let accepted: Promise<Dialog> | undefined;
  bob.onInvite = (inv) => {
    inv.progress(180, { reliable: true });
    accepted = inv.accept({ body: 'v=0 b' });
  };
  net.latency = 40;
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a' });
  await net.run(400);
  const order = net.packets.filter((p) => p.from === '10.0.0.2:5060' || p.msg.isRequest()).map((p) => (p.msg instanceof SipResponse ? String(p.msg.status) : (p.msg as SipRequest).method));
  const firstOk = net.packets.findIndex((p) => p.msg instanceof SipResponse && p.msg.status === 200 && p.msg.cseq.method === 'INVITE');
  const prack = net.packets.findIndex((p) => p.msg.isRequest() && p.msg.method === 'PRACK');
  assert.ok(prack >= 0 && firstOk > prack, `PRACK before the 2xx: ${order.join(' ')}`);
  const result = await call.result;
  assert.ok(result.ok && accepted);
  await Promise.all([(await accepted).bye(), net.run(400)]);
  await finish(net, alice, bob);
});

test('no PRACK within 64*T1: the INVITE is rejected with 500 and failed is emitted', async () => {
  const { net, alice, bob } = setup();
  net.drop = (msg) => msg.isRequest() && msg.method === 'PRACK';
  let failed = '';
  let acceptError = '';
  bob.onInvite = (inv) => {
    inv.on('failed', (f) => (failed = f.error.code));
    inv.progress(183, { reliable: true });
    inv.accept().catch((err: { code: string }) => (acceptError = err.code));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a', require100rel: true });
  await net.run(33_000, 50);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : result.status, 500);
  assert.equal(failed, 'SIP_DIALOG_PRACK_TIMEOUT');
  assert.equal(acceptError, 'SIP_DIALOG_PRACK_TIMEOUT');
  net.drop = undefined;
  await finish(net, alice, bob);
});

test('a PRACK that matches nothing is answered 481', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.progress(183, { reliable: true });
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a' });
  await net.run(100);
  const early = [...call.earlyDialogs.values()][0]!;
  const [res] = await Promise.all([early.request('PRACK', { headers: { RAck: '1 1 INVITE' } }), net.run(50)]);
  assert.equal(res.status, 481);
  call.cancel();
  await net.run(100);
  assert.equal((await call.result).ok, false);
  await finish(net, alice, bob);
});

test('RAck/RSeq helpers and the UAC RSeq order check', () => {
  const prack = new SipRequest('PRACK', 'sip:x@y', [['RAck', ' 776656  1 INVITE ']]);
  assert.deepEqual(rackOf(prack), { rseq: 776656, cseq: 1, method: 'INVITE' });
  assert.equal(rackOf(new SipRequest('PRACK', 'sip:x@y', [['RAck', '0 1 INVITE']])), undefined);
  assert.equal(formatRAck({ rseq: 5, cseq: 7, method: 'INVITE' }), '5 7 INVITE');
  const t = new RSeqTracker();
  assert.equal(t.check(10), 'new');
  assert.equal(t.check(10), 'retransmission');
  assert.equal(t.check(12), 'out-of-order');
  assert.equal(t.check(11), 'new');
  assert.equal(t.check(12), 'new');
});
