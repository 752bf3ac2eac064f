import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from './dialog.ts';
import type { DialogTerminated } from './dialog-events.ts';
import type { IncomingInvite } from './incoming-invite.ts';
import type { InviteResult } from './outgoing-invite.ts';
import { SipRequest } from '../message/index.ts';
import { TestNetwork, TestPeer, TestProxy, describeMessage, leftovers } from './test-network.ts';

const OFFER = 'v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\n';
const ANSWER = 'v=0\r\no=bob 1 1 IN IP4 10.0.0.2\r\n';

function setup(): { net: TestNetwork; alice: TestPeer; bob: TestPeer } {
  const net = new TestNetwork();
  return { net, alice: new TestPeer(net, 'alice', '10.0.0.1'), bob: new TestPeer(net, 'bob', '10.0.0.2') };
}

async function finish(net: TestNetwork, ...peers: TestPeer[]): Promise<void> {
  await net.drain();
  assert.deepEqual(leftovers(...peers), []);
  assert.equal(net.clock.pending, 0, 'timers left');
  for (const p of peers) p.layer.close();
}

/** Alice calls Bob, who rings and answers at once; resolves with both dialogs. */
async function connect(net: TestNetwork, alice: TestPeer, bob: TestPeer): Promise<{ a: Dialog; b: Dialog; result: InviteResult }> {
  let b: Dialog | undefined;
  bob.onInvite = (inv) => {
    inv.progress(180);
    void inv.accept({ body: ANSWER }).then((d) => (b = d));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok, 'call answered');
  assert.ok(b);
  return { a: result.dialog, b, result };
}

test('basic call: INVITE/180/200/ACK, caller hangs up with BYE', async () => {
  const { net, alice, bob } = setup();
  const progress: number[] = [];
  let incoming: IncomingInvite | undefined;
  bob.onInvite = (inv) => {
    incoming = inv;
    inv.progress(180);
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  call.on('progress', (p) => progress.push(p.status));
  await net.run(50);
  assert.ok(incoming);
  assert.equal(incoming.offer?.body.toString(), OFFER);
  assert.equal(call.earlyDialogs.size, 1);
  const bobDialog = await incoming.accept({ body: ANSWER });
  let acked = false;
  incoming.on('ack', () => (acked = true));
  await net.run(50);
  const result = await call.result;
  assert.ok(result.ok);
  assert.deepEqual(progress, [180]);
  assert.equal(result.dialog.state, 'confirmed');
  assert.equal(bobDialog.state, 'confirmed');
  assert.ok(acked);
  assert.equal(result.dialog.remoteSession?.body.toString(), ANSWER);
  assert.equal(bobDialog.remoteSession?.body.toString(), OFFER);
  assert.equal(bobDialog.localSession?.body.toString(), ANSWER);
  assert.equal(result.dialog.callId, bobDialog.callId);
  assert.equal(result.dialog.localTag, bobDialog.remoteTag);
  assert.equal(result.dialog.remoteTarget.user, 'bob');
  const ended: DialogTerminated[] = [];
  bobDialog.on('terminated', (t) => ended.push(t));
  const bye = result.dialog.bye();
  assert.equal(result.dialog.state, 'terminated');
  await net.run(50);
  assert.equal((await bye)?.status, 200);
  assert.deepEqual(ended.map((e) => [e.reason, e.remote]), [['bye', true]]);
  assert.deepEqual(net.trace('10.0.0.1:5060', '10.0.0.2:5060'), ['INVITE', 'ACK', 'BYE']);
  assert.deepEqual(net.trace('10.0.0.2:5060', '10.0.0.1:5060'), ['180 INVITE', '200 INVITE', '200 BYE']);
  await finish(net, alice, bob);
});

test('callee hangs up: BYE from the UAS side, caller sees a remote termination', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const ended: DialogTerminated[] = [];
  a.on('terminated', (t) => ended.push(t));
  const res = await Promise.all([b.bye(), net.run(50)]);
  assert.equal(res[0]?.status, 200);
  assert.deepEqual(ended.map((e) => [e.reason, e.remote]), [['bye', true]]);
  const bye = net.requests('BYE')[0]!;
  assert.equal(bye.uri, 'sip:alice@10.0.0.1:5060', 'Request-URI is the remote target');
  assert.equal(bye.toTag, a.localTag);
  await finish(net, alice, bob);
});

test('busy: 486 is a result value, not an exception', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.reject(486);
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(50);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : [result.status, result.reason, result.cause], [486, 'Busy Here', 'rejected']);
  assert.equal(net.requests('ACK').length, 1, 'the transaction ACKs the 486');
  await finish(net, alice, bob);
});

test('a request with an unknown To tag is answered 481', async () => {
  const { net, alice, bob } = setup();
  const bye = new SipRequest('BYE', bob.uri, [
    ['From', `<${alice.uri}>;tag=nope`],
    ['To', `<${bob.uri}>;tag=unknown`],
    ['Call-ID', 'no-such-call'],
    ['CSeq', '1 BYE'],
  ]);
  let status = 0;
  alice.sendRequest(bye, { onResponse: (res) => (status = res.status) });
  await net.run(50);
  assert.equal(status, 481);
  await finish(net, alice, bob);
});

test('Require with an unsupported option tag: 420 with Unsupported', async () => {
  const { net, alice, bob } = setup();
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER, headers: { Require: 'timer, foo, 100rel' } });
  await net.run(50);
  const result = await call.result;
  assert.equal(result.ok ? 200 : result.status, 420);
  assert.equal(net.responses(420)[0]?.headers.get('unsupported'), 'foo');
  assert.equal(bob.invites.length, 0);
  await finish(net, alice, bob);
});

test('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, result value and cancel event', async () => {
  const { net, alice, bob } = setup();
  let cancelled = false;
  bob.onInvite = (inv) => {
    inv.progress(180);
    inv.on('cancel', () => (cancelled = true));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(50);
  call.cancel();
  await net.run(50);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : [result.status, result.cause], [487, 'cancelled']);
  assert.ok(cancelled);
  assert.equal(net.responses(200, 'CANCEL').length, 1);
  assert.equal(bob.invites[0]?.state, 'cancelled');
  await assert.rejects(bob.invites[0]!.accept(), { code: 'SIP_DIALOG_CANCELLED' });
  await finish(net, alice, bob);
});

test('cancel() before any provisional waits for one (section 9.1), then sends CANCEL', async () => {
  const { net, alice, bob } = setup();
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  call.cancel();
  await net.run(8);
  assert.equal(net.requests('CANCEL').length, 0);
  await net.run(300);
  assert.equal(net.requests('CANCEL').length, 1, 'sent after the 100 Trying');
  const result = await call.result;
  assert.equal(result.ok ? 200 : result.status, 487);
  await finish(net, alice, bob);
});

test('CANCEL racing the 200: the caller ACKs and BYEs, the result says cancelled', async () => {
  const { net, alice, bob } = setup();
  let bobDialog: Dialog | undefined;
  const ended: DialogTerminated[] = [];
  bob.onInvite = (inv) => inv.progress(180);
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(50);
  // Both leave at the same instant: the 200 is on its way when the CANCEL arrives.
  call.cancel();
  bobDialog = await bob.invites[0]!.accept({ body: ANSWER });
  bobDialog.on('terminated', (t) => ended.push(t));
  await net.run(100);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : [result.status, result.cause], [487, 'cancelled']);
  assert.equal(net.requests('ACK').length, 1);
  assert.equal(net.requests('BYE').length, 1);
  assert.deepEqual(ended.map((e) => [e.reason, e.remote]), [['bye', true]]);
  bobDialog = undefined;
  await finish(net, alice, bob);
});

test('the 2xx is retransmitted until the ACK (first ACK dropped), then the same ACK answers it', async () => {
  const { net, alice, bob } = setup();
  let dropped = 0;
  net.drop = (msg) => msg.isRequest() && msg.method === 'ACK' && dropped++ === 0;
  const { a, b } = await connect(net, alice, bob);
  await net.run(2000);
  const oks = net.responses(200, 'INVITE');
  assert.equal(oks.length, 2, 'one retransmission after T1');
  const acks = net.packets.filter((p) => p.msg.isRequest() && p.msg.method === 'ACK');
  assert.equal(acks.length, 2);
  assert.equal(acks[0]!.msg.headers.get('via'), acks[1]!.msg.headers.get('via'), 'the same ACK is sent again');
  assert.equal(b.state, 'confirmed');
  await Promise.all([a.bye(), net.run(50)]);
  await finish(net, alice, bob);
});

test('the ACK is lost and the BYE comes first: the INVITE leaves the layer with its dialog', async () => {
  const { net, alice, bob } = setup();
  net.drop = (msg) => msg.isRequest() && msg.method === 'ACK';
  const { a, b } = await connect(net, alice, bob);
  assert.equal(bob.layer.counts.incoming, 1, 'still waiting for the ACK');
  await Promise.all([a.bye(), net.run(50)]);
  assert.equal(b.ended?.reason, 'bye');
  assert.deepEqual(bob.layer.counts, { dialogs: 0, incoming: 0, outgoing: 0 });
  await finish(net, alice, bob);
});

test('no ACK within 64*T1: the UAS sends BYE and the invite reports failed', async () => {
  const { net, alice, bob } = setup();
  net.drop = (msg) => msg.isRequest() && msg.method === 'ACK';
  let failed = '';
  let bobEnd: DialogTerminated | undefined;
  bob.onInvite = (inv) => {
    inv.on('failed', (f) => (failed = f.error.code));
    void inv.accept({ body: ANSWER }).then((d) => d.on('terminated', (t) => (bobEnd = t)));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  let aliceEnd: DialogTerminated | undefined;
  const result = await Promise.all([call.result, net.run(100)]).then(([r]) => r);
  assert.ok(result.ok);
  result.dialog.on('terminated', (t) => (aliceEnd = t));
  await net.run(32_000 + 100, 20);
  assert.equal(failed, 'SIP_DIALOG_NO_ACK');
  assert.equal(bobEnd?.reason, 'no-ack');
  assert.deepEqual([aliceEnd?.reason, aliceEnd?.remote], ['bye', true]);
  const retransmissions = net.responses(200, 'INVITE').length;
  assert.ok(retransmissions >= 8 && retransmissions <= 11, `2xx sent ${retransmissions} times`);
  await finish(net, alice, bob);
});

test('Record-Route: both sides route in-dialog requests through the proxy', async () => {
  const { net, alice, bob } = setup();
  const proxy = new TestProxy(net, '10.0.0.9');
  let b: Dialog | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: ANSWER }).then((d) => (b = d));
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER, headers: { Route: `<${proxy.uri}>` } });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok && b);
  assert.deepEqual(result.dialog.routeSet.map((r) => r.uri.host), ['10.0.0.9']);
  assert.deepEqual(b.routeSet.map((r) => r.uri.host), ['10.0.0.9']);
  assert.equal(net.responses(200, 'INVITE')[0]?.headers.get('record-route'), '<sip:10.0.0.9;lr>');
  assert.deepEqual(net.trace('10.0.0.1:5060', '10.0.0.9:5060'), ['INVITE', 'ACK']);
  const info = await Promise.all([b.request('INFO', { body: 'x', contentType: 'text/plain' }), net.run(100)]);
  assert.equal(info[0].status, 200);
  const sent = net.requests('INFO')[0]!;
  assert.equal(sent.headers.get('route'), '<sip:10.0.0.9;lr>');
  assert.equal(sent.uri, 'sip:alice@10.0.0.1:5060');
  await Promise.all([b.bye(), net.run(100)]);
  assert.deepEqual(net.trace('10.0.0.2:5060', '10.0.0.9:5060'), ['200 INVITE', 'INFO', 'BYE']);
  await finish(net, alice, bob);
});

test('a request with a CSeq lower than the last one is answered 500', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  await Promise.all([a.request('INFO'), net.run(50)]);
  const stale = new SipRequest('INFO', 'sip:bob@10.0.0.2:5060', [
    ['From', `<${alice.uri}>;tag=${a.localTag}`],
    ['To', `<${bob.uri}>;tag=${a.remoteTag}`],
    ['Call-ID', a.callId],
    ['CSeq', `${(a.localSeq ?? 2) - 1} INFO`],
  ]);
  let status = 0;
  alice.sendRequest(stale, { onResponse: (res) => (status = res.status) });
  await net.run(50);
  assert.equal(status, 500);
  assert.equal(b.state, 'confirmed');
  await Promise.all([a.bye(), net.run(50)]);
  await finish(net, alice, bob);
});

test('a late fork: a second 2xx with another To tag is ACKed and BYEd', async () => {
  const { net, alice, bob } = setup();
  const { a } = await connect(net, alice, bob);
  // A second branch answers the same INVITE.
  const ok = net.responses(200, 'INVITE')[0]!.clone();
  ok.headers.set('To', `<${bob.uri}>;tag=fork2`);
  ok.headers.set('Contact', '<sip:carol@10.0.0.3:5060>');
  alice.receive(ok, bob.address);
  await net.run(50);
  const byes = net.requests('BYE');
  assert.equal(byes.length, 1);
  assert.equal(byes[0]!.toTag, 'fork2');
  assert.equal(byes[0]!.uri, 'sip:carol@10.0.0.3:5060');
  assert.equal(a.state, 'confirmed');
  await Promise.all([a.bye(), net.run(50)]);
  await finish(net, alice, bob);
});

test('close() ends everything without leaving timers', async () => {
  const { net, alice, bob } = setup();
  await connect(net, alice, bob);
  alice.layer.close();
  bob.layer.close();
  alice.layer.close();
  alice.tx.close();
  bob.tx.close();
  assert.deepEqual(leftovers(alice, bob), []);
  await net.drain();
  assert.equal(net.clock.pending, 0);
  assert.throws(() => alice.layer.invite({ uri: bob.uri, from: alice.uri }), { code: 'SIP_DIALOG_CLOSED' });
});

test('a lossy network: the first copy of every message is lost, the call still completes', async () => {
  const { net, alice, bob } = setup();
  const seen = new Set<string>();
  net.drop = (msg) => {
    const key = describeMessage(msg);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  let b: Dialog | undefined;
  bob.onInvite = (inv) => {
    inv.progress(180);
    void inv.accept({ body: ANSWER }).then((d) => (b = d));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(5000, 10);
  const result = await call.result;
  assert.ok(result.ok && b);
  const [bye] = await Promise.all([result.dialog.bye(), net.run(5000, 10)]);
  assert.equal(bye?.status, 200);
  assert.equal(b.state, 'terminated');
  await finish(net, alice, bob);
});

test('a network that duplicates every packet: duplicates are absorbed', async () => {
  const { net, alice, bob } = setup();
  net.duplicate = () => true;
  const { a, b } = await connect(net, alice, bob);
  let reinvites = 0;
  b.on('reinvite', () => reinvites++);
  const [r] = await Promise.all([a.reinvite({ body: OFFER }), net.run(200)]);
  assert.ok(r.ok);
  assert.equal(reinvites, 1);
  await Promise.all([b.bye(), net.run(200)]);
  assert.equal(a.state, 'terminated');
  await finish(net, alice, bob);
});

test('a UAS that hangs up before the ACK arrived sends its BYE after the ACK (section 15)', async () => {
  const { net, alice, bob } = setup();
  net.latency = 50;
  let b: Dialog | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: ANSWER }).then((d) => (b = d));
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(60);
  assert.ok(b);
  const bye = b.bye();
  await net.run(500);
  const ackAt = net.packets.find((p) => p.msg.isRequest() && p.msg.method === 'ACK')!.at;
  const byeAt = net.packets.find((p) => p.msg.isRequest() && p.msg.method === 'BYE')!.at;
  assert.ok(byeAt >= ackAt + 50, `BYE at ${byeAt}, ACK sent at ${ackAt}`);
  assert.equal((await bye)?.status, 200);
  assert.equal((await call.result).ok, true);
  await finish(net, alice, bob);
});

test('onInvite throwing rejects the call with 500; a merged request (same INVITE, new branch) gets 482', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = () => {
    throw new Error('application bug');
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(50);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : result.status, 500);

  bob.onInvite = (inv) => inv.progress(180);
  const second = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(50);
  const copy = net.requests('INVITE').at(-1)!.clone();
  copy.headers.remove('via');
  let status = 0;
  alice.sendRequest(copy, { onResponse: (res) => (status = res.status) });
  await net.run(50);
  assert.equal(status, 482);
  assert.equal(bob.invites.length, 2);
  second.cancel();
  await net.run(100);
  assert.equal((await second.result).ok, false);
  await finish(net, alice, bob);
});
