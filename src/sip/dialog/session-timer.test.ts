import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipRequest } from '../message/index.ts';
import type { Dialog } from './dialog.ts';
import type { DialogTerminated } from './dialog-events.ts';
import type { SessionTimerConfig } from './dialog-context.ts';
import { negotiateAsUas, parseSessionExpires, sessionFromResponse, uacSessionHeaders } from './session-timer-negotiation.ts';
import { TestNetwork, TestPeer, leftovers } from './test-network.ts';
import type { DialogLayerOptions } from './dialog-layer.ts';
import type { InviteOptions } from './dialog-layer.ts';

const CFG: SessionTimerConfig = { enabled: true, expires: 1800, minSE: 90, refresher: 'uac' };

function invite(headers: [string, string][]): SipRequest {
  return new SipRequest('INVITE', 'sip:b@h', [['Call-ID', 'x'], ['CSeq', '1 INVITE'], ...headers]);
}

test('RFC 4028 negotiation at the UAS (table)', () => {
  const cases: { name: string; headers: [string, string][]; cfg?: Partial<SessionTimerConfig>; expect: unknown }[] = [
    { name: 'below our Min-SE', headers: [['Session-Expires', '60']], expect: { kind: 'reject', minSE: 90 } },
    { name: 'below a raised Min-SE', headers: [['Session-Expires', '100']], cfg: { minSE: 120 }, expect: { kind: 'reject', minSE: 120 } },
    {
      name: 'UAC supports, no refresher: our preference, Require: timer',
      headers: [['Supported', 'timer'], ['Session-Expires', '600']],
      expect: { kind: 'accept', headers: [['Session-Expires', '600;refresher=uac'], ['Require', 'timer']], session: { interval: 600, refresherLocal: false } },
    },
    {
      name: 'UAC asks the UAS to refresh',
      headers: [['Supported', 'timer'], ['x', '600;refresher=uas']],
      expect: { kind: 'accept', headers: [['Session-Expires', '600;refresher=uas'], ['Require', 'timer']], session: { interval: 600, refresherLocal: true } },
    },
    {
      name: 'interval lowered to ours, not below the Min-SE asked',
      headers: [['Supported', 'timer'], ['Session-Expires', '7200'], ['Min-SE', '1900']],
      expect: { kind: 'accept', headers: [['Session-Expires', '1900;refresher=uac'], ['Require', 'timer']], session: { interval: 1900, refresherLocal: false } },
    },
    {
      name: 'UAC without timer support: we refresh, no Require',
      headers: [],
      expect: { kind: 'accept', headers: [['Session-Expires', '1800;refresher=uas']], session: { interval: 1800, refresherLocal: true } },
    },
    { name: 'disabled', headers: [['Session-Expires', '60']], cfg: { enabled: false }, expect: { kind: 'accept', headers: [], session: undefined } },
  ];
  for (const c of cases) assert.deepEqual(negotiateAsUas(invite(c.headers), { ...CFG, ...c.cfg }), c.expect, c.name);
});

test('RFC 4028 header helpers', () => {
  assert.deepEqual(parseSessionExpires(invite([['Session-Expires', '1800 ; refresher=UAS']])), { interval: 1800, refresher: 'uas' });
  assert.equal(parseSessionExpires(invite([['Session-Expires', 'soon']])), undefined);
  assert.deepEqual(uacSessionHeaders(CFG), [['Session-Expires', '1800']]);
  assert.deepEqual(uacSessionHeaders(CFG, { minSE: 300, current: { interval: 120, refresherLocal: true } }), [
    ['Session-Expires', '300;refresher=uac'],
    ['Min-SE', '300'],
  ]);
  assert.deepEqual(sessionFromResponse(invite([['Session-Expires', '90;refresher=uas']])), { interval: 90, refresherLocal: false });
  assert.equal(sessionFromResponse(invite([])), undefined);
});

function setup(aliceOpts: DialogLayerOptions = {}, bobOpts: DialogLayerOptions = {}): { net: TestNetwork; alice: TestPeer; bob: TestPeer } {
  const net = new TestNetwork();
  return { net, alice: new TestPeer(net, 'alice', '10.0.0.1', aliceOpts), bob: new TestPeer(net, 'bob', '10.0.0.2', bobOpts) };
}

async function connect(net: TestNetwork, alice: TestPeer, bob: TestPeer, opts: Partial<InviteOptions> = {}, allow?: string): Promise<{ a: Dialog; b: Dialog }> {
  let b: Dialog | undefined;
  bob.onInvite = (inv) => void inv.accept({ body: 'v=0 b', ...(allow ? { headers: { Allow: allow } } : {}) }).then((d) => (b = d));
  const call = alice.layer.invite({ uri: bob.uri, from: alice.uri, body: 'v=0 a', ...opts });
  await net.run(200);
  const result = await call.result;
  assert.ok(result.ok && b, 'answered');
  return { a: result.dialog, b };
}

async function finish(net: TestNetwork, ...peers: TestPeer[]): Promise<void> {
  await net.drain();
  assert.deepEqual(leftovers(...peers), []);
  assert.equal(net.clock.pending, 0, 'timers left');
}

test('UAS as refresher: UPDATE at half the interval, the session lives on', async () => {
  const { net, alice, bob } = setup({}, { sessionTimer: { refresher: 'uas' } });
  const { a, b } = await connect(net, alice, bob, { sessionExpires: 120 });
  const ok = net.responses(200, 'INVITE')[0]!;
  assert.equal(ok.headers.get('session-expires'), '120;refresher=uas');
  assert.equal(ok.headers.get('require'), 'timer');
  assert.deepEqual(b.sessionTimer, { interval: 120, refresherLocal: true });
  assert.deepEqual(a.sessionTimer, { interval: 120, refresherLocal: false });
  await net.run(185_000, 100);
  const updates = net.requests('UPDATE');
  assert.equal(updates.length, 3, 'refreshed at 60, 120 and 180 s');
  assert.equal(updates[0]!.headers.get('session-expires'), '120;refresher=uac');
  assert.equal(a.state, 'confirmed');
  assert.equal(b.state, 'confirmed');
  await Promise.all([a.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('UAC as refresher with a peer that does not allow UPDATE: re-INVITE with the current offer', async () => {
  const { net, alice, bob } = setup();
  const { a } = await connect(net, alice, bob, { sessionExpires: 90 }, 'INVITE, ACK, CANCEL, BYE');
  assert.deepEqual(a.sessionTimer, { interval: 90, refresherLocal: true });
  await net.run(46_000, 100);
  const reinvites = net.requests('INVITE');
  assert.equal(reinvites.length, 2);
  assert.equal(reinvites[1]!.body.toString(), 'v=0 a');
  assert.equal(net.requests('ACK').length, 2);
  await Promise.all([a.bye(), net.run(100)]);
  await finish(net, alice, bob);
});

test('the refresher never refreshes: BYE at the interval minus min(32, interval/3)', async () => {
  const { net, alice, bob } = setup({ sessionTimer: { enabled: false } });
  const { a, b } = await connect(net, alice, bob, { headers: { Supported: 'timer', 'Session-Expires': '90;refresher=uac' } });
  let bobEnd: DialogTerminated | undefined;
  let aliceEnd: DialogTerminated | undefined;
  b.on('terminated', (t) => (bobEnd = t));
  a.on('terminated', (t) => (aliceEnd = t));
  const start = net.clock.now();
  await net.run(59_000, 100);
  assert.equal(b.state, 'confirmed');
  await net.run(2000, 10);
  assert.deepEqual([bobEnd?.reason, bobEnd?.remote], ['session-timer', false]);
  assert.deepEqual([aliceEnd?.reason, aliceEnd?.remote], ['bye', true]);
  const bye = net.packets.find((p) => p.msg.isRequest() && p.msg.method === 'BYE')!;
  assert.ok(Math.abs(bye.at - start - 60_000) < 250, `BYE after ${bye.at - start} ms`);
  await finish(net, alice, bob);
});

test('422 Session Interval Too Small: the INVITE is sent again with the Min-SE asked for', async () => {
  const { net, alice, bob } = setup({}, { sessionTimer: { minSE: 300 } });
  const { a } = await connect(net, alice, bob, { sessionExpires: 120 });
  assert.equal(net.responses(422)[0]?.headers.get('min-se'), '300');
  const invites = net.requests('INVITE');
  assert.equal(invites.length, 2);
  assert.equal(invites[1]!.headers.get('session-expires'), '300');
  assert.equal(invites[1]!.cseq.seq, invites[0]!.cseq.seq + 1);
  assert.equal(invites[1]!.fromTag, invites[0]!.fromTag);
  assert.deepEqual(a.sessionTimer, { interval: 300, refresherLocal: true });
  await Promise.all([a.bye(), net.run(100)]);
  await finish(net, alice, bob);
});
