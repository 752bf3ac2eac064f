import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from './dialog.ts';
import type { IncomingRefer } from './incoming-refer.ts';
import { formatReplaces, parseReplaces } from './incoming-refer.ts';
import { parseSipfrag } from './sipfrag.ts';
import { SipRequest } from '../message/index.ts';
import { TestNetwork, TestPeer, leftovers } from './test-network.ts';

function setup(): { net: TestNetwork; alice: TestPeer; bob: TestPeer } {
  const net = new TestNetwork();
  return { net, alice: new TestPeer(net, 'alice', '10.0.0.1'), bob: new TestPeer(net, 'bob', '10.0.0.2') };
}

async function connect(net: TestNetwork, alice: TestPeer, bob: TestPeer): Promise<{ a: Dialog; b: Dialog }> {
  let b: Dialog | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: 'v=0 b' }).then((d) => (b = d));
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a' });
  await net.run(100);
  const result = await call.result;
  assert.ok(result.ok && b);
  return { a: result.dialog, b };
}

async function finish(net: TestNetwork, ...peers: TestPeer[]): Promise<void> {
  await net.drain();
  assert.deepEqual(leftovers(...peers), []);
  assert.equal(net.clock.pending, 0, 'timers left');
}

test('REFER: 202, NOTIFY progress as sipfrag, final NOTIFY terminates the subscription', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  let refer: IncomingRefer | undefined;
  b.on('refer', (ev) => {
    refer = ev;
    ev.accept();
  });
  const sub = a.refer('sip:carol@10.0.0.3', { referredBy: '<sip:alice@10.0.0.1>' });
  const progress: string[] = [];
  sub.on('progress', (p) => progress.push(`${p.status} ${p.reason}${p.final ? ' final' : ''}`));
  let accepted = 0;
  sub.on('accepted', (res) => (accepted = res.status));
  await net.run(100);
  assert.ok(refer);
  assert.equal(refer.referTo.uri.user, 'carol');
  assert.equal(refer.referredBy?.uri.user, 'alice');
  assert.equal(accepted, 202);
  assert.equal(sub.state, 'active');
  void refer.notify(180);
  await net.run(50);
  void refer.notify(200);
  await net.run(50);
  const outcome = await sub.done;
  assert.deepEqual(outcome, { ok: true, status: 200, reason: 'OK' });
  assert.deepEqual(progress, ['100 Trying', '180 Ringing', '200 OK final']);
  const notifies = net.requests('NOTIFY');
  assert.equal(notifies.length, 3);
  assert.equal(notifies[0]!.headers.get('event'), `refer;id=${net.requests('REFER')[0]!.cseq.seq}`);
  assert.equal(notifies[0]!.headers.get('subscription-state'), 'active;expires=60');
  assert.equal(notifies[2]!.headers.get('subscription-state'), 'terminated;reason=noresource');
  assert.equal(notifies[2]!.headers.get('content-type'), 'message/sipfrag;version=2.0');
  assert.equal(await refer.notify(200), undefined, 'nothing more after the final NOTIFY');
  await Promise.all([a.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('REFER with a failing referred call; REFER declined; attended transfer with Replaces', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const refers: IncomingRefer[] = [];
  b.on('refer', (ev) => {
    refers.push(ev);
    if (refers.length === 1) ev.accept();
    else if (refers.length === 2) ev.reject(603);
    else ev.accept();
  });
  const failing = a.refer('sip:carol@10.0.0.3');
  await net.run(100);
  void refers[0]!.notify(486);
  await net.run(100);
  assert.deepEqual(await failing.done, { ok: false, status: 486, reason: 'Busy Here', stage: 'notify' });

  const declined = a.refer('sip:carol@10.0.0.3');
  await net.run(100);
  assert.deepEqual(await declined.done, { ok: false, status: 603, reason: 'Decline', stage: 'refer' });

  const replaces = { callId: 'abc@host', toTag: 't1', fromTag: 'f1' };
  const attended = a.refer('sip:carol@10.0.0.3', { replaces });
  await net.run(100);
  assert.deepEqual(refers[2]!.replaces, { ...replaces, earlyOnly: false });
  assert.match(net.requests('REFER')[2]!.headers.get('refer-to') ?? '', /\?Replaces=abc%40host%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>/);
  // The dialog ends before the transfer completes: the subscription ends with it.
  await Promise.all([a.bye(), net.run(100)]);
  assert.equal((await attended.done).ok, false);
  await finish(net, alice, bob);
});

test('a REFER nobody answers is declined; NOTIFY routing; a REFER without Refer-To gets 400', async () => {
  const { net, alice, bob } = setup();
  const { a, b } = await connect(net, alice, bob);
  const sub = a.refer('sip:carol@10.0.0.3');
  await net.run(100);
  assert.deepEqual(await sub.done, { ok: false, status: 603, reason: 'Decline', stage: 'refer' });
  const [unknown] = await Promise.all([a.request('NOTIFY', { headers: { Event: 'refer;id=999', 'Subscription-State': 'active' } }), net.run(50)]);
  assert.equal(unknown.status, 481, 'no such REFER subscription');
  assert.equal(a.state, 'confirmed', 'a 481 to NOTIFY does not end the dialog');
  const [other] = await Promise.all([a.request('NOTIFY', { headers: { Event: 'dialog', 'Subscription-State': 'active' } }), net.run(50)]);
  assert.equal(other.status, 200, 'another event package goes to the application (default 200)');
  const raw = new SipRequest('REFER', 'sip:bob@10.0.0.2:5060', [
    ['From', `<${alice.uri}>;tag=${a.localTag}`],
    ['To', `<${bob.uri}>;tag=${a.remoteTag}`],
    ['Call-ID', a.callId],
    ['CSeq', `${(a.localSeq ?? 0) + 1} REFER`],
  ]);
  let status = 0;
  alice.sendRequest(raw, { onResponse: (res) => (status = res.status) });
  await net.run(50);
  assert.equal(status, 400);
  await Promise.all([b.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('sipfrag and Replaces helpers', () => {
  assert.deepEqual(parseSipfrag('SIP/2.0 180 Ringing\r\n'), { status: 180, reason: 'Ringing' });
  assert.deepEqual(parseSipfrag(Buffer.from('SIP/2.0 603 Declined\r\nContent-Length: 0\r\n')), { status: 603, reason: 'Declined' });
  assert.equal(parseSipfrag('INVITE sip:x SIP/2.0'), undefined);
  assert.deepEqual(parseReplaces('a@b;to-tag=1;from-tag=2;early-only'), { callId: 'a@b', toTag: '1', fromTag: '2', earlyOnly: true });
  assert.equal(parseReplaces('a@b;to-tag=1'), undefined);
  assert.equal(formatReplaces({ callId: 'x', toTag: 'a', fromTag: 'b' }), 'x;to-tag=a;from-tag=b');
});
