import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from './dialog.ts';
import type { DialogTerminated } from './dialog-events.ts';
import type { IncomingDialogRequest } from './incoming-request.ts';
import type { IncomingSessionUpdate } from './incoming-session-update.ts';
import { TestNetwork, TestPeer, leftovers } from './test-network.ts';

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
}

async function connect(net: TestNetwork, alice: TestPeer, bob: TestPeer): Promise<{ a: Dialog; b: Dialog }> {
  let b: Dialog | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: ANSWER }).then((d) => (b = d));
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: OFFER });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok && b);
  return { a: result.dialog, b };
}

async function hangUp(net: TestNetwork, d: Dialog): Promise<void> {
  await Promise.all([d.bye(), net.run(100)]);
}

test('re-INVITE: new offer and answer, target refresh from the Contact, ACK for the 2xx', async () => {
  const { net, alice, bob } = setup();
  net.attach({ address: '10.0.0.22', port: 5060 }, bob);
  const { a, b } = await connect(net, alice, bob);
  let seen: IncomingSessionUpdate | undefined;
  const targets: string[] = [];
  a.on('targetRefresh', (t) => targets.push(t.target.host));
  a.on('reinvite', (ev) => {
    seen = ev;
    ev.accept({ body: 'v=0 answer2' });
  });
  const [result] = await Promise.all([
    b.reinvite({ body: 'v=0 offer2', headers: { Contact: '<sip:bob@10.0.0.22:5060>' } }),
    net.run(100),
  ]);
  assert.ok(result.ok);
  assert.equal(result.answer?.body.toString(), 'v=0 answer2');
  assert.equal(seen?.offer?.body.toString(), 'v=0 offer2');
  assert.deepEqual(targets, ['10.0.0.22']);
  assert.equal(a.remoteSession?.body.toString(), 'v=0 offer2');
  assert.equal(a.localSession?.body.toString(), 'v=0 answer2');
  assert.equal(b.remoteSession?.body.toString(), 'v=0 answer2');
  assert.equal(net.requests('ACK').length, 2);
  await hangUp(net, a);
  assert.equal(net.requests('BYE')[0]?.uri, 'sip:bob@10.0.0.22:5060');
  await finish(net, alice, bob);
});

test('re-INVITE without listener: answered with the current session description (a refresh)', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const [result] = await Promise.all([a.reinvite({ body: OFFER }), net.run(100)]);
  assert.ok(result.ok);
  assert.equal(result.answer?.body.toString(), ANSWER);
  await hangUp(net, b);
  await finish(net, alice, bob);
});

test('re-INVITE rejected with 488 is a value; the session stays', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  b.on('reinvite', (ev) => ev.reject(488));
  const [result] = await Promise.all([a.reinvite({ body: 'v=0 bad' }), net.run(100)]);
  assert.deepEqual(result.ok ? 'ok' : result.status, 488);
  assert.equal(a.state, 'confirmed');
  assert.equal(a.localSession?.body.toString(), OFFER);
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('glare: both sides re-INVITE at once, both get 491 and retry after the section 14.1 waits', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const both = Promise.all([a.reinvite({ body: 'v=0 a2' }), b.reinvite({ body: 'v=0 b2' })]);
  await net.run(50);
  assert.equal(net.responses(491).length, 2);
  await net.run(5000, 10);
  const [ra, rb] = await both;
  assert.ok(ra.ok && rb.ok);
  const invites = net.packets.filter((p) => !p.dropped && p.msg.isRequest() && p.msg.method === 'INVITE');
  // The callee does not own the Call-ID: it retries within 0-2 s; the caller waits 2.1-4 s.
  const bobRetry = invites.filter((p) => p.from === '10.0.0.2:5060')[1]!.at;
  const aliceRetry = invites.filter((p) => p.from === '10.0.0.1:5060')[2]!.at;
  assert.ok(bobRetry - invites[1]!.at < 2100, `callee retried after ${bobRetry - invites[1]!.at} ms`);
  assert.ok(aliceRetry - invites[1]!.at >= 2100, `caller retried after ${aliceRetry - invites[1]!.at} ms`);
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('a second reinvite() while one is in progress is refused with SIP_DIALOG_PENDING', async () => {
  const { net, alice, bob } = setup();
  const { a } = await connect(net, alice, bob);
  const first = a.reinvite({ body: OFFER });
  await assert.rejects(a.reinvite({ body: OFFER }), { code: 'SIP_DIALOG_PENDING' });
  await Promise.all([first, net.run(100)]);
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('late offer: the 2xx carries the offer, the application ACKs with the answer', async () => {
  const { net, alice, bob } = setup();
  let b: Dialog | undefined;
  let ackBody = '';
  bob.onInvite = (inv) => {
    assert.equal(inv.offer, undefined);
    inv.on('ack', (ev) => (ackBody = ev.body?.body.toString() ?? ''));
    void inv.accept({ body: 'v=0 bob-offer' }).then((d) => (b = d));
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri });
  await net.run(50);
  const result = await call.result;
  assert.ok(result.ok && b);
  assert.equal(result.offer?.body.toString(), 'v=0 bob-offer');
  assert.ok(result.dialog.awaitingAck);
  assert.equal(net.requests('ACK').length, 0);
  call.ack({ body: 'v=0 alice-answer' });
  await net.run(50);
  assert.equal(ackBody, 'v=0 alice-answer');
  assert.equal(b.remoteSession?.body.toString(), 'v=0 alice-answer');
  assert.equal(result.dialog.localSession?.body.toString(), 'v=0 alice-answer');
  assert.throws(() => call.ack(), { code: 'SIP_DIALOG_STATE' });
  await hangUp(net, b);
  await finish(net, alice, bob);
});

test('late offer not ACKed by the application: ACK without answer, then BYE', async () => {
  const { net, alice, bob } = setup();
  let end: DialogTerminated | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: 'v=0 bob-offer' });
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, ackTimeout: 1000 });
  await net.run(50);
  const result = await call.result;
  assert.ok(result.ok);
  result.dialog.on('terminated', (t) => (end = t));
  await net.run(1100, 10);
  assert.equal(end?.reason, 'no-ack');
  assert.equal(net.requests('ACK').length, 1);
  assert.equal(net.requests('BYE').length, 1);
  await finish(net, alice, bob);
});

test('late-offer re-INVITE: our 2xx carries the offer, the ACK the answer', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  let ackBody = '';
  b.on('ack', (ev) => (ackBody = ev.body?.body.toString() ?? ''));
  b.on('reinvite', (ev) => {
    assert.equal(ev.offer, undefined);
    ev.accept({ body: 'v=0 bob-offer2' });
  });
  const [result] = await Promise.all([
    a.reinvite({ answer: (offer) => ({ body: `answer to ${offer.body.toString()}` }) }),
    net.run(100),
  ]);
  assert.ok(result.ok);
  assert.equal(ackBody, 'answer to v=0 bob-offer2');
  assert.equal(b.remoteSession?.body.toString(), 'answer to v=0 bob-offer2');
  assert.equal(a.remoteSession?.body.toString(), 'v=0 bob-offer2');
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('UPDATE with an offer (RFC 3311): answered in the 200', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  b.on('update', (ev) => ev.accept({ body: `answer:${ev.offer?.body.toString() ?? ''}` }));
  const [result] = await Promise.all([a.update({ body: 'v=0 hold' }), net.run(100)]);
  assert.ok(result.ok);
  assert.equal(result.answer?.body.toString(), 'answer:v=0 hold');
  assert.equal(a.remoteSession?.body.toString(), 'answer:v=0 hold');
  assert.equal(b.remoteSession?.body.toString(), 'v=0 hold');
  assert.equal(net.requests('UPDATE')[0]?.headers.get('contact'), '<sip:alice@10.0.0.1:5060>');
  assert.equal(net.requests('ACK').length, 1, 'no ACK for UPDATE');
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('INFO and MESSAGE in the dialog: events with reply(), defer() and the default 200', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const seen: IncomingDialogRequest[] = [];
  b.on('request', (ev) => {
    seen.push(ev);
    if (ev.method === 'MESSAGE') ev.defer();
    if (ev.method === 'OPTIONS') ev.reply(200);
  });
  const info = a.request('INFO', { body: 'Signal=5\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' });
  const message = a.request('MESSAGE', { body: 'hello', contentType: 'text/plain' });
  await net.run(50);
  assert.equal((await info).status, 200, 'no reply and no defer: 200');
  assert.deepEqual(seen.map((e) => e.method), ['INFO', 'MESSAGE']);
  assert.equal(seen[0]!.body?.contentType, 'application/dtmf-relay');
  seen[1]!.reply(202, { reason: 'Accepted' });
  await net.run(50);
  assert.equal((await message).status, 202);
  const [options] = await Promise.all([a.request('OPTIONS'), net.run(50)]);
  assert.equal(options.status, 200);
  assert.match(options.headers.get('allow') ?? '', /REFER/);
  await hangUp(net, b);
  await finish(net, alice, bob);
});

test('a deferred request left unanswered gets 500; a method without support gets 405', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  b.on('request', (ev) => ev.defer());
  const info = a.request('INFO');
  await net.run(16_000 + 100, 50);
  assert.equal((await info).status, 500);
  const [publish] = await Promise.all([a.request('PUBLISH'), net.run(50)]);
  assert.equal(publish.status, 405);
  assert.match(publish.headers.get('allow') ?? '', /INVITE/);
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('an in-dialog request of a method the stack does not know gets 501 with Allow (RFC 3261 8.2.1)', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const seen: string[] = [];
  b.on('request', (ev) => seen.push(ev.request.method));
  const [unknown] = await Promise.all([a.request('FROBNICATE'), net.run(50)]);
  assert.equal(unknown.status, 501);
  assert.match(unknown.headers.get('allow') ?? '', /INVITE/);
  const [subscribe] = await Promise.all([a.request('SUBSCRIBE'), net.run(50)]);
  assert.equal(subscribe.status, 405);
  assert.deepEqual(seen, []);
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('a listener that throws does not break the dialog', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  b.on('request', () => {
    throw new Error('boom');
  });
  const [res] = await Promise.all([a.request('INFO'), net.run(50)]);
  assert.equal(res.status, 200);
  assert.equal(b.state, 'confirmed');
  await hangUp(net, a);
  await finish(net, alice, bob);
});

test('481 to a re-INVITE ends the dialog (section 12.2.1.2)', async () => {
  const { net, alice, bob } = setup();
  const { a } = await connect(net, alice, bob);
  bob.layer.close();
  let end: DialogTerminated | undefined;
  a.on('terminated', (t) => (end = t));
  const [result] = await Promise.all([a.reinvite({ body: OFFER }), net.run(100)]);
  assert.deepEqual(result.ok ? 'ok' : result.status, 481);
  assert.equal(end?.reason, 'request-failed');
  assert.equal(a.state, 'terminated');
  await assert.rejects(a.request('INFO'), { code: 'SIP_DIALOG_TERMINATED' });
  await finish(net, alice, bob);
});

test('BYE while a re-INVITE of the peer waits for the application: it is answered 487', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  b.on('reinvite', (ev) => ev.defer());
  const pending = a.reinvite({ body: OFFER });
  await net.run(50);
  await hangUp(net, b);
  const result = await pending;
  assert.deepEqual(result.ok ? 'ok' : result.status, 487);
  await finish(net, alice, bob);
});

test('a re-INVITE 2xx arriving again after the transaction ended gets the same ACK (callee side)', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const [result] = await Promise.all([b.reinvite({ body: 'v=0 b2' }), net.run(100)]);
  assert.ok(result.ok);
  await net.run(33_000, 100);
  assert.equal(bob.tx.counts.client, 0);
  const acksBefore = net.requests('ACK').length;
  bob.receive(result.response.clone(), alice.address);
  await net.run(20);
  const acks = net.requests('ACK');
  assert.equal(acks.length, acksBefore + 1);
  assert.equal(acks.at(-1)!.headers.get('via'), acks.at(-2)!.headers.get('via'));
  await hangUp(net, a);
  assert.equal(b.state, 'terminated');
  await finish(net, alice, bob);
});
