/**
 * Far-end hold and in-dialog requests during a jambonz `dial` over real SIP: the caller's re-INVITE
 * with sendonly (or c=0.0.0.0) makes the callee hear `config.onHoldMusic` until the re-INVITE back to sendrecv, and
 * both changes reach `sipRequestWithinDialogHook` (`event: hold / unhold`, `on_hold`); the callee's hold
 * with `onHoldHook` set runs the hook's reply (a play) to the caller, with `hold_detail`; MESSAGE is
 * answered 202 and INFO 200 and both reach the hook (from the caller, and from the callee with the
 * caller's call info), NOTIFY keeps its 200 without reaching it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Peers, sdpWith, until } from './jambonz-dial-peers.ts';

const MUSIC = 'tone_stream://%(1000,0,600)';

describe('jambonz dial: hold from the far end, in-dialog requests', () => {
  const p = new Peers();
  before(() => p.start());
  after(() => p.close());

  const events = (path: string): unknown[] => p.hits.filter((h) => h.path === path && h.body['event'] !== undefined).map((h) => h.body['event']);

  test('caller holds: the callee hears onHoldMusic until unhold; hold / unhold reach sipRequestWithinDialogHook', async () => {
    p.reset([
      { verb: 'config', onHoldMusic: MUSIC, sipRequestWithinDialogHook: '/indialog' },
      { verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }], actionHook: '/dial-done' },
    ]);
    p.replies.set('/dial-done', [{ verb: 'hangup' }]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(b.receivedLevel() < 200, 'nothing loud before the hold (the caller sends no audio)');
    const hold = await a.call.dialog.reinvite({ body: sdpWith(a.port, 'sendonly'), contentType: 'application/sdp' });
    assert.equal(hold.ok, true);
    await until('hold reported', () => events('/indialog').includes('hold'));
    const holdHit = p.hits.find((h) => h.path === '/indialog' && h.body['event'] === 'hold')!.body;
    assert.equal(holdHit['sip_method'], 'INVITE');
    assert.equal(holdHit['on_hold'], true);
    const mark = b.received.length;
    await until('the callee hears the hold music', () => b.receivedLevel(mark) > 500, 4000);
    const unhold = await a.call.dialog.reinvite({ body: sdpWith(a.port, 'sendrecv'), contentType: 'application/sdp' });
    assert.equal(unhold.ok, true);
    await until('unhold reported', () => events('/indialog').includes('unhold'));
    await new Promise((r) => setTimeout(r, 300));
    const after = b.received.length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(b.received.length > after, 'audio still flows to the callee');
    assert.ok(b.receivedLevel(after) < 200, `the music stopped at unhold (level ${b.receivedLevel(after)})`);
    const legacy = await a.call.dialog.reinvite({ body: sdpWith(a.port, 'sendrecv').replace('c=IN IP4 127.0.0.1', 'c=IN IP4 0.0.0.0'), contentType: 'application/sdp' });
    assert.equal(legacy.ok, true);
    await until('an RFC 2543 hold (c=0.0.0.0) is a hold too', () => events('/indialog').filter((e) => e === 'hold').length === 2);
    await a.call.hangup();
    await until('BYE to the callee', () => b.dialog.state === 'terminated');
    await p.idle();
  });

  test('callee holds with onHoldHook: the caller hears the reply verbs; hold_detail sent', async () => {
    p.reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }], onHoldHook: '/on-hold' }]);
    p.replies.set('/on-hold', [{ verb: 'play', url: 'tone_stream://%(3000,0,500)' }]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const callee = p.calleeCalls[0]!;
    await new Promise((r) => setTimeout(r, 200));
    const hold = await callee.call.dialog.reinvite({ body: sdpWith(callee.port, 'inactive'), contentType: 'application/sdp' });
    assert.equal(hold.ok, true);
    await until('the onHoldHook', () => p.hit('/on-hold') !== undefined);
    const detail = p.hit('/on-hold')!['hold_detail'] as Record<string, unknown>;
    assert.equal(typeof detail['from'], 'string');
    assert.equal(typeof detail['to'], 'string');
    const mark = a.call.received.length;
    await until('the caller hears the hook\'s play', () => a.call.receivedLevel(mark) > 500, 4000);
    const unhold = await callee.call.dialog.reinvite({ body: sdpWith(callee.port, 'sendrecv'), contentType: 'application/sdp' });
    assert.equal(unhold.ok, true);
    await new Promise((r) => setTimeout(r, 300));
    const after = a.call.received.length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(a.call.receivedLevel(after) < 200, 'the play stopped at unhold');
    await callee.call.hangup();
    await until('BYE to the caller (stack ended)', () => a.call.dialog.state === 'terminated');
    await p.idle();
  });

  test('MESSAGE 202 and INFO 200 reach the hook, from either leg; NOTIFY gets 200 and is not reported', async () => {
    p.reset([
      { verb: 'config', sipRequestWithinDialogHook: '/indialog' },
      { verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }] },
    ]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    const message = await a.call.dialog.request('MESSAGE', { body: 'hello', contentType: 'text/plain', headers: { 'X-Note': 'n1' } });
    assert.equal(message.status, 202);
    const info = await a.call.dialog.request('INFO', { body: 'x=1', contentType: 'application/x-test' });
    assert.equal(info.status, 200);
    const notify = await a.call.dialog.request('NOTIFY', { body: '', contentType: 'text/plain', headers: { Event: 'talk' } });
    assert.equal(notify.status, 200);
    const fromCallee = await b.dialog.request('MESSAGE', { body: 'from b', contentType: 'text/plain' });
    assert.equal(fromCallee.status, 202);
    await until('three requests reported', () => p.hits.filter((h) => h.path === '/indialog').length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    const reported = p.hits.filter((h) => h.path === '/indialog');
    assert.deepEqual(reported.map((h) => [h.body['sip_method'], h.body['sip_body']]).sort(), [['INFO', 'x=1'], ['MESSAGE', 'from b'], ['MESSAGE', 'hello']]);
    const callSids = new Set(reported.map((h) => h.body['call_sid']));
    assert.equal(callSids.size, 1, 'the callee\'s request carries the caller\'s call info');
    const hello = reported.find((h) => h.body['sip_body'] === 'hello')!.body;
    assert.equal((hello['sip_headers'] as Record<string, unknown>)['X-Note'], 'n1');
    await a.call.hangup();
    await until('BYE to the callee', () => b.dialog.state === 'terminated');
    await p.idle();
  });
});
