import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DigestVerifier, authFailureResponse, verifyRequest } from '../auth/index.ts';
import type { Dialog } from './dialog.ts';
import type { DialogTerminated } from './dialog-events.ts';
import type { ProvisionalEvent } from './outgoing-invite.ts';
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

const lookup = async (user: string): Promise<{ password: string } | undefined> => (user === 'alice' ? { password: 's3cret' } : undefined);

test('401 to the INVITE and 407 to the BYE are answered with Digest credentials (RFC 3261 section 22.2)', async () => {
  const { net, alice, bob } = setup();
  const verifier = new DigestVerifier({ secret: 'a-test-secret-of-32-characters!!', clock: net.clock });
  let bobDialog: Dialog | undefined;
  bob.onInvite = (inv) => {
    void verifyRequest(verifier, inv.request, { realm: 'sb', lookup }).then((r) => {
      if (r.ok) void inv.accept({ body: 'v=0 b' }).then((d) => (bobDialog = d));
      else inv.reject(r.status, r.reason, r.header ? { [r.header]: r.challenges } : undefined);
    });
  };
  bob.intercept = (req, tx) => {
    if (req.method !== 'BYE' || req.headers.has('proxy-authorization')) return false;
    void verifyRequest(verifier, req, { realm: 'proxy', lookup, kind: 'proxy' }).then((r) => {
      if (!r.ok) tx.respond(authFailureResponse(req, r));
    });
    return true;
  };
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a', auth: { username: 'alice', password: 's3cret' } });
  await net.run(200);
  const result = await call.result;
  assert.ok(result.ok && bobDialog);
  const invites = net.requests('INVITE');
  assert.equal(invites.length, 2);
  assert.equal(invites[1]!.cseq.seq, invites[0]!.cseq.seq + 1);
  assert.equal(invites[1]!.callId, invites[0]!.callId);
  assert.match(invites[1]!.headers.get('authorization') ?? '', /^Digest username="alice", realm="sb"/);
  const acks = net.requests('ACK');
  assert.equal(acks.length, 2, 'ACK for the 401 (transaction) and for the 2xx (dialog)');
  assert.equal(acks[1]!.headers.get('authorization'), invites[1]!.headers.get('authorization'), 'the 2xx ACK carries the INVITE credentials');
  let end: DialogTerminated | undefined;
  bobDialog.on('terminated', (t) => (end = t));
  const [bye] = await Promise.all([result.dialog.bye(), net.run(200)]);
  assert.equal(bye?.status, 200);
  assert.equal(end?.reason, 'bye');
  const byes = net.requests('BYE');
  assert.equal(byes.length, 2);
  assert.match(byes[1]!.headers.get('proxy-authorization') ?? '', /realm="proxy"/);
  await finish(net, alice, bob);
});

test('without credentials a 401 is the result', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.reject(401, undefined, { 'WWW-Authenticate': 'Digest realm="sb", nonce="n1"' });
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri });
  await net.run(100);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : [result.status, result.cause], [401, 'rejected']);
  await finish(net, alice, bob);
});

test('forking: two early dialogs, the 2xx of one confirms it and ends the other', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.progress(180);
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a' });
  const progress: ProvisionalEvent[] = [];
  call.on('progress', (p) => progress.push(p));
  await net.run(50);
  // A second branch rings too (its 180 reaches the caller through the same transaction).
  const ringing = net.responses(180)[0]!.clone();
  ringing.headers.set('To', `<${bob.uri}>;tag=other`);
  ringing.headers.set('Contact', '<sip:bob2@10.0.0.3>');
  alice.receive(ringing, bob.address);
  await net.run(10);
  assert.equal(call.earlyDialogs.size, 2);
  const other = call.earlyDialogs.get('other')!;
  let otherEnd: DialogTerminated | undefined;
  other.on('terminated', (t) => (otherEnd = t));
  const bobDialog = await bob.invites[0]!.accept({ body: 'v=0 b' });
  await net.run(50);
  const result = await call.result;
  assert.ok(result.ok);
  assert.equal(result.dialog, progress[0]!.dialog);
  assert.equal(otherEnd?.reason, 'forked');
  assert.equal(alice.layer.counts.dialogs, 1);
  await Promise.all([bobDialog.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('a 2xx retransmitted after the INVITE transaction ended gets the same ACK (section 13.2.2.4)', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => void inv.accept({ body: 'v=0 b' });
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a' });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok);
  await net.run(33_000, 100);
  assert.equal(alice.tx.counts.client, 0, 'Timer M ended the INVITE transaction');
  alice.receive(net.responses(200, 'INVITE')[0]!.clone(), bob.address);
  await net.run(20);
  const acks = net.requests('ACK');
  assert.equal(acks.length, 2);
  assert.equal(acks[0]!.headers.get('via'), acks[1]!.headers.get('via'));
  assert.equal(net.requests('BYE').length, 0);
  await Promise.all([result.dialog.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('no answer within the ring timeout: CANCEL, cause no-answer; no response at all: 408 timeout', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.progress(180);
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, timeout: 3000 });
  await net.run(3100, 10);
  const result = await call.result;
  assert.deepEqual(result.ok ? 'ok' : [result.status, result.cause], [487, 'no-answer']);
  const lost = alice.layer.invite({ uri: 'sip:nobody@10.0.0.77', from: alice.uri });
  await net.run(33_000, 100);
  const r2 = await lost.result;
  assert.deepEqual(r2.ok ? 'ok' : [r2.status, r2.cause], [408, 'timeout']);
  await finish(net, alice, bob);
});

test('a 302 redirect is a result with the contacts in the response', async () => {
  const { net, alice, bob } = setup();
  bob.onInvite = (inv) => inv.redirect(['<sip:bob@192.0.2.50>', 'sip:bob@192.0.2.51']);
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri });
  await net.run(100);
  const result = await call.result;
  assert.ok(!result.ok);
  assert.deepEqual([result.status, result.cause], [302, 'redirected']);
  assert.deepEqual(result.response?.headers.getAll('contact'), ['<sip:bob@192.0.2.50>', '<sip:bob@192.0.2.51>']);
  await finish(net, alice, bob);
});
