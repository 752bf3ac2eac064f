/**
 * `whisper` during a dial (specs/jambonz.md §1.6 `whisper`, §2.6 REST update `whisper`) over real SIP: a
 * test phone calls the server, the app dials a second SIP stack that answers, and the REST update
 * plays a tone to the dialed party only: the callee hears it, the caller does not, and the bridge
 * still carries audio both ways afterwards. Malformed whisper data is answered 400.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { readBody } from '../support/http-body.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('jambonz whisper to the dialed party', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let calleePhone: TestPhone;
  const answered: PhoneCall[] = [];
  const callSids: string[] = [];

  before(async () => {
    fx = await startJambonz({
      webhook: (req, res) => {
        void readBody(req).then((text) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          if (req.url === '/call') callSids.push(String((JSON.parse(text) as Record<string, unknown>)['call_sid']));
          res.end(JSON.stringify(req.url === '/call' ? [
            { verb: 'dial', target: [{ type: 'sip', sipUri: `sip:answer@127.0.0.1:${calleePhone.port}` }] },
            { verb: 'hangup' },
          ] : []));
        });
      },
    });
    caller = await fx.phone();
    calleePhone = await fx.phone();
    calleePhone.answerCalls(answered);
    fx.route('jz-whisper', { application_sid: 'whisper-dial', name: 'whisper-dial', call_hook: fx.hook('/call') });
  });

  after(() => fx.close());

  test('REST whisper during a dial: the callee hears it, the caller does not', async () => {
    const r = await caller.call(fx.srv.uri('jz-whisper'));
    assert.ok(r.ok);
    await until('the callee to answer', () => answered.length === 1);
    const callee = answered[0]!;
    const live = fx.manager.get(callSids[0]!);
    assert.ok(live, 'the A leg is a live call');
    await delay(300);
    const callerMark = r.call.received.length;
    const calleeMark = callee.received.length;
    const bad = await live.update({ whisper: { verb: 'gather' } });
    assert.equal(bad.status, 400, 'only say and play verbs');
    const ok = await live.update({ whisper: { verb: 'play', url: 'tone_stream://%(1000,0,600)' } });
    assert.equal(ok.status, 202);
    await until('the callee hears the whisper', () => callee.receivedLevel(calleeMark) > 200);
    await delay(600);
    assert.ok(r.call.receivedLevel(callerMark) < 50, `the caller hears nothing of it (level ${r.call.receivedLevel(callerMark)})`);
    const afterWhisper = r.call.received.length;
    await callee.sendTone(440, 400);
    await until('the bridge still carries the callee to the caller', () => r.call.receivedLevel(afterWhisper) > 200);
    await r.call.hangup();
    await until('the callee gets BYE', () => callee.dialog.state === 'terminated');
    await fx.idle();
  });
});
