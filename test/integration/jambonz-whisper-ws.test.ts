/**
 * The `whisper` command (specs/jambonz.md §1.6) from a WebSocket application written with
 * `@jambonz/node-client-ws`, over real SIP: before the dial is connected the command is answered with
 * `jambonz:error`; once the callee answered, `{whisper: play}` is heard by the callee only, and a
 * whisper with another verb than say / play is answered with `jambonz:error` while the dial stays up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('jambonz whisper command from a @jambonz/node-client-ws application', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: PhoneCall[] = [];
  const sessions: WsSession[] = [];
  const errors: Record<string, unknown>[] = [];

  before(async () => {
    fx = await startJambonz();
    caller = await fx.phone();
    callee = await fx.phone();
    callee.answerCalls(answered);
    const url = fx.ws('/ws', (s) => {
      sessions.push(s);
      s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
      s.answer().pause({ length: 0.4 }).dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }] }).send();
    });
    fx.route('jz-ws-whisper', { application_sid: 'ws-whisper', name: 'ws-whisper', call_hook: url });
  });

  after(() => fx.close());

  test('no dial yet: jambonz:error; during the dial the callee alone hears the whisper', async () => {
    const r = await caller.call(fx.srv.uri('jz-ws-whisper'));
    assert.ok(r.ok);
    await until('the app session', () => sessions.length === 1);
    sessions[0]!.sendCommand('whisper', { whisper: { verb: 'play', url: 'tone_stream://%(500,0,600)' } });
    await until('an error: no dial is connected', () => errors.length === 1);
    assert.equal(errors[0]!['command'], 'whisper');
    assert.match(String(errors[0]!['details']), /no dial is connected/);

    await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1);
    const b = answered[0]!;
    await delay(200);
    const callerMark = r.call.received.length;
    const calleeMark = b.received.length;
    sessions[0]!.sendCommand('whisper', { whisper: [{ verb: 'play', url: 'tone_stream://%(800,0,600)' }] });
    await until('the callee hears the whisper', () => b.receivedLevel(calleeMark) > 200);
    await delay(400);
    assert.ok(r.call.receivedLevel(callerMark) < 50, 'the caller hears nothing of it');

    sessions[0]!.sendCommand('whisper', { whisper: { verb: 'hangup' } });
    await until('an error for a whisper that is not say / play', () => errors.length === 2);
    assert.match(String(errors[1]!['details']), /only say and play/);
    assert.equal(fx.srv.server.sw.bridges().length, 1, 'the dial is still up');
    await r.call.hangup();
    await until('the callee gets BYE', () => b.dialog.state === 'terminated');
    await fx.idle();
  });
});
