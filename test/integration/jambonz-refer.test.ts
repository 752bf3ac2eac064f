/**
 * REFER from the far end over real SIP: during a `dial` with `referHook`, a REFER from the caller is
 * answered 202, the hook gets `refer_details` (refer-to, user, referring / referred call sids, X-
 * headers), its reply runs on the callee (who hears it), and the caller's subscription ends with
 * NOTIFY '200 OK'; a REFER from the callee hands the reply to the caller's application and the callee
 * gets its final NOTIFY before BYE; `config.referHook` outside a dial replaces the application; a reply
 * without verbs ends the subscription with 603; without any referHook a REFER gets 501.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Peers, until } from './jambonz-dial-peers.ts';

const TONE = 'tone_stream://%(800,0,600)';

describe('jambonz: REFER from the far end', () => {
  const p = new Peers();
  before(() => p.start());
  after(() => p.close());

  test('caller REFER during dial: 202, refer_details, reply runs on the callee, NOTIFY 200, dial actionHook', async () => {
    p.reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }], referHook: '/refer', actionHook: '/dial-done' }]);
    p.replies.set('/refer', [{ verb: 'play', url: TONE }, { verb: 'hangup' }]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    const mark = b.received.length;
    const sub = a.call.dialog.refer('sip:carol@192.0.2.10', { referredBy: '<sip:phone@127.0.0.1>', headers: { 'X-Transfer-Id': 't1' } });
    const outcome = await sub.done;
    assert.deepEqual({ ok: outcome.ok, status: outcome.status }, { ok: true, status: 200 });
    const hook = p.hit('/refer')!;
    const details = hook['refer_details'] as Record<string, unknown>;
    assert.match(String(details['sip_refer_to']), /sip:carol@192\.0\.2\.10/);
    assert.equal(details['refer_to_user'], 'carol');
    assert.equal(details['referred_by_user'], 'phone');
    assert.equal(details['referring_call_sid'], hook['call_sid']);
    assert.equal(details['x_transfer_id'], 't1');
    await until('the dial actionHook', () => p.hit('/dial-done') !== undefined);
    assert.equal(details['referred_call_sid'], p.hit('/dial-done')!['dial_call_sid']);
    assert.equal(p.hit('/dial-done')!['dial_call_status'], 'completed');
    await until('the callee hears the reply\'s play', () => b.receivedLevel(mark) > 500, 4000);
    await until('BYE to the callee after its new application', () => b.dialog.state === 'terminated', 5000);
    await until('BYE to the caller (its stack ended)', () => a.call.dialog.state === 'terminated');
    await p.idle();
  });

  test('callee REFER during dial: the reply replaces the caller\'s application; the callee gets NOTIFY 200 then BYE', async () => {
    p.reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }], referHook: '/refer', actionHook: '/dial-done' }]);
    p.replies.set('/refer', [{ verb: 'play', url: TONE }, { verb: 'hangup' }]);
    const a = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    const mark = a.call.received.length;
    const outcome = await b.dialog.refer('sip:dave@192.0.2.11').done;
    assert.deepEqual({ ok: outcome.ok, status: outcome.status }, { ok: true, status: 200 });
    const hook = p.hit('/refer')!;
    const details = hook['refer_details'] as Record<string, unknown>;
    assert.equal(details['refer_to_user'], 'dave');
    assert.equal(details['referring_call_sid'], hook['call_sid'], 'the callee\'s call info');
    assert.equal(typeof hook['parent_call_sid'], 'string');
    assert.equal(details['referred_call_sid'], hook['parent_call_sid']);
    await until('BYE to the callee', () => b.dialog.state === 'terminated');
    await until('the caller hears the reply\'s play', () => a.call.receivedLevel(mark) > 500, 4000);
    await until('BYE to the caller (hangup verb)', () => a.call.dialog.state === 'terminated', 5000);
    assert.equal(p.hit('/dial-done'), undefined, 'a replaced dial calls no actionHook');
    await p.idle();
  });

  test('config.referHook outside a dial replaces the application; referred_call_sid is null', async () => {
    p.reset([{ verb: 'config', referHook: '/srefer' }, { verb: 'answer' }, { verb: 'pause', length: 5 }]);
    p.replies.set('/srefer', [{ verb: 'play', url: TONE }, { verb: 'hangup' }]);
    const a = await p.place();
    const mark = a.call.received.length;
    const outcome = await a.call.dialog.refer('tel:+15551234').done;
    assert.deepEqual({ ok: outcome.ok, status: outcome.status }, { ok: true, status: 200 });
    const details = p.hit('/srefer')!['refer_details'] as Record<string, unknown>;
    assert.equal(details['refer_to_user'], '+15551234');
    assert.equal(details['referred_call_sid'], null);
    await until('the caller hears the reply\'s play', () => a.call.receivedLevel(mark) > 500, 4000);
    await until('BYE to the caller', () => a.call.dialog.state === 'terminated', 5000);
    await p.idle();
  });

  test('REST create-call referHook: a REFER from the called party reaches it', async () => {
    p.reset([{ verb: 'pause', length: 5 }]);
    p.replies.set('/crefer', [{ verb: 'hangup' }]);
    const created = await p.manager.createCall({
      account: p.srv.server.jambonz!.account,
      body: { from: '15550001', to: { type: 'sip', sipUri: p.calleeUri('answer') }, call_hook: `${p.base}/call`, referHook: `${p.base}/crefer` },
    });
    assert.equal(created.status, 201);
    await until('the callee answered', () => p.calleeCalls.length === 1);
    await until('the application runs on the answered call', () => p.hit('/call') !== undefined);
    const b = p.calleeCalls[0]!.call;
    const outcome = await b.dialog.refer('sip:erin@192.0.2.15').done;
    assert.deepEqual({ ok: outcome.ok, status: outcome.status }, { ok: true, status: 200 });
    const hook = p.hit('/crefer')!;
    assert.equal((hook['refer_details'] as Record<string, unknown>)['refer_to_user'], 'erin');
    assert.equal(hook['direction'], 'outbound');
    await until('BYE to the callee (hangup verb)', () => b.dialog.state === 'terminated');
    await p.idle();
  });

  test('a referHook reply without verbs: 202 then NOTIFY 603; without a referHook: 501 from either leg', async () => {
    p.reset([{ verb: 'config', referHook: '/srefer' }, { verb: 'answer' }, { verb: 'pause', length: 5 }]);
    const a = await p.place();
    const declined = await a.call.dialog.refer('sip:x@192.0.2.12').done;
    assert.deepEqual({ ok: declined.ok, status: declined.status }, { ok: false, status: 603 });
    assert.equal(a.call.dialog.state, 'confirmed', 'the call goes on');
    await a.call.hangup();
    await p.idle();

    p.reset([{ verb: 'dial', target: [{ type: 'sip', sipUri: p.calleeUri('answer') }] }]);
    const a2 = await p.place();
    await until('the callee answered', () => p.calleeCalls.length === 1);
    const b = p.calleeCalls[0]!.call;
    const fromCaller = await a2.call.dialog.refer('sip:y@192.0.2.13').done;
    assert.deepEqual({ ok: fromCaller.ok, status: fromCaller.status }, { ok: false, status: 501 });
    const fromCallee = await b.dialog.refer('sip:z@192.0.2.14').done;
    assert.deepEqual({ ok: fromCallee.ok, status: fromCallee.status }, { ok: false, status: 501 });
    assert.equal(b.dialog.state, 'confirmed', 'the bridge goes on');
    await a2.call.hangup();
    await until('BYE to the callee', () => b.dialog.state === 'terminated');
    await p.idle();
  });
});
