/**
 * `dial` driven by a WebSocket application written with `@jambonz/node-client-ws`, over real SIP: the
 * app dials a test phone with a confirmHook; the screening request arrives as `dial:confirm` on the
 * app's socket with the B leg's call info and the app's reply (a short pause) runs on the B leg before
 * the bridge. Then the app sends `redirect {child_call: [...]}`: the B leg leaves the bridge and runs its
 * own verbs (pause, hangup: the callee gets BYE), the dial ends with `dial_call_status: completed` and
 * the A leg goes on with the actionHook reply. A bad child app and a conference command for a call not
 * in a conference are answered with jambonz:error; the dial stays up. The `dial` command places a new
 * call from a create-call body (a bad body: jambonz:error).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';

describe('jambonz dial with a @jambonz/node-client-ws application', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: PhoneCall[] = [];
  const sessions: WsSession[] = [];
  const events: { name: string; data: Record<string, unknown> }[] = [];
  const errors: Record<string, unknown>[] = [];

  before(async () => {
    fx = await startJambonz();
    caller = await fx.phone();
    callee = await fx.phone();
    callee.answerCalls(answered);
    const url = fx.ws('/ws', (s) => {
      // A B leg given its own app announces itself on a socket of its own (session:adulting).
      if ((s as unknown as Record<string, unknown>)['parent_call_info'] !== undefined) return;
      sessions.push(s);
      s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
      s.on('/confirm', (data: Record<string, unknown>) => {
        events.push({ name: 'confirm', data });
        s.pause({ length: 0.2 }).reply();
      });
      s.on('/dial-action', (data: Record<string, unknown>) => {
        events.push({ name: 'action', data });
        s.hangup().reply();
      });
      s.dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }], confirmHook: '/confirm', actionHook: '/dial-action' }).send();
    });
    fx.route('jz-ws-dial', { application_sid: 'ws-dial', name: 'ws-dial', call_hook: url });
  });

  after(() => fx.close());

  test('dial:confirm over the socket screens the B leg; redirect child_call gives it its own verbs', async () => {
    const r = await caller.call(fx.srv.uri('jz-ws-dial'));
    assert.ok(r.ok, 'the caller is answered');
    await until('the screening request', () => events.some((e) => e.name === 'confirm'));
    const confirm = events.find((e) => e.name === 'confirm')!.data;
    assert.equal(confirm['direction'], 'outbound');
    assert.equal(confirm['parent_call_sid'], sessions[0]!.call_sid);
    assert.equal(confirm['call_status'], 'in-progress');
    await until('bridged after the screening', () => fx.srv.server.sw.bridges().length === 1);
    const b = answered[0]!;
    void sendPacedTone(r.call, 600, { ms: 500 });
    await until('the callee hears the caller', () => b.receivedLevel() > 500);

    sessions[0]!.sendCommand('redirect', { child_call: [{ verb: 'pause', length: 0.3 }, { verb: 'hangup' }] });
    await until('the dial actionHook', () => events.some((e) => e.name === 'action'));
    const action = events.find((e) => e.name === 'action')!.data;
    assert.equal(action['dial_call_status'], 'completed');
    assert.equal(action['dial_call_sid'], confirm['call_sid']);
    await until('BYE to the callee from its own verbs', () => b.dialog.state === 'terminated');
    await until('BYE to the caller (actionHook reply)', () => r.call.dialog.state === 'terminated');
    await fx.idle();
    await until('sessions gone', () => fx.manager.size === 0);

    const before = errors.length;
    const r2 = await caller.call(fx.srv.uri('jz-ws-dial'));
    assert.ok(r2.ok);
    await until('second call bridged', () => fx.srv.server.sw.bridges().length === 1);
    sessions[1]!.sendCommand('redirect', { child_call: 'not verbs' });
    sessions[1]!.sendCommand('conf:hold-status', { conf_hold_status: 'hold' });
    await until('errors for the bad child app and the conference command', () => errors.length >= before + 2);
    assert.deepEqual(errors.slice(before).map((e) => e['command']), ['redirect', 'conf:hold-status']);
    assert.equal(fx.srv.server.sw.bridges().length, 1, 'the dial is still up');

    // The dial command places a new call (create-call body) with its own inline application.
    const placed = answered.length;
    sessions[1]!.sendCommand('dial', {
      from: '15550009', to: { type: 'sip', sipUri: `sip:other@127.0.0.1:${callee.port}` },
      app_json: JSON.stringify([{ verb: 'pause', length: 0.3 }, { verb: 'hangup' }]),
    });
    sessions[1]!.sendCommand('dial', { to: { type: 'sip', sipUri: 'sip:x@127.0.0.1' } });
    await until('the placed call is answered', () => answered.length === placed + 1);
    await until('and hung up by its own verbs', () => answered[placed]!.dialog.state === 'terminated');
    await until('an error for the dial without from', () => errors.slice(before).some((e) => e['command'] === 'dial'));
    await r2.call.hangup();
    await fx.idle();
  });
});
