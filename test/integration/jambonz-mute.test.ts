/**
 * `mute:status` (specs/jambonz.md §1.6) from a WebSocket application written with
 * `@jambonz/node-client-ws`, and REST `mute_status` (§2.6), over real SIP during a dial, with media on
 * the main thread and in a media worker: muting the call stops the caller's audio from reaching the
 * callee (the callee hears silence), unmuting lets it through again; `callSid` naming the dialed leg
 * mutes the callee towards the caller instead. A bad value is answered with `jambonz:error`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { heardWhileTalking } from '../support/phone-audio.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const mediaWorkers of [0, 1]) {
  describe(`jambonz mute:status during a dial (media workers: ${mediaWorkers})`, () => {
    let fx: JambonzFixture;
    let caller: TestPhone;
    let callee: TestPhone;
    const answered: PhoneCall[] = [];
    const sessions: WsSession[] = [];
    const errors: Record<string, unknown>[] = [];

    before(async () => {
      fx = await startJambonz({ mediaWorkers });
      caller = await fx.phone();
      callee = await fx.phone();
      callee.answerCalls(answered);
      const url = fx.ws('/ws', (s) => {
        sessions.push(s);
        s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
        s.answer().dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }] }).send();
      });
      fx.route('jz-mute', { application_sid: 'ws-mute', name: 'ws-mute', call_hook: url });
    });

    after(() => fx.close());

    test('mute stops the caller reaching the callee; unmute (REST) restores it; callSid of the B leg mutes the callee', async () => {
      const r = await caller.call(fx.srv.uri('jz-mute'));
      assert.ok(r.ok);
      const a = r.call;
      await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1 && sessions.length === 1);
      const b = answered[0]!;
      const app = sessions[0]!;
      assert.ok(await heardWhileTalking(a, b) > 1000, 'the callee hears the caller');

      app.injectCommand('mute:status', 'mute');
      await delay(100);
      const muted = await heardWhileTalking(a, b);
      assert.ok(muted < 50, `muted: the callee hears silence (level ${muted})`);
      assert.ok(await heardWhileTalking(b, a) > 1000, 'the caller still hears the callee');

      const live = fx.manager.get(app.call_sid);
      assert.ok(live);
      assert.equal((await live.update({ mute_status: 'unmute' })).status, 202);
      await delay(150);
      assert.ok(await heardWhileTalking(a, b) > 1000, 'unmuted: the callee hears the caller again');

      const bLeg = fx.srv.server.sw.channels().find((c) => c.direction === 'outbound');
      assert.ok(bLeg);
      app.injectCommand('mute:status', 'mute', bLeg.uuid);
      await delay(150);
      const calleeMuted = await heardWhileTalking(b, a);
      assert.ok(calleeMuted < 50, `the dialed leg muted: the caller hears silence (level ${calleeMuted})`);
      assert.ok(await heardWhileTalking(a, b) > 1000, 'the callee still hears the caller');
      app.injectCommand('mute:status', 'unmute', bLeg.uuid);
      await delay(150);
      assert.ok(await heardWhileTalking(b, a) > 1000, 'the dialed leg unmuted');

      assert.equal(errors.length, 0);
      app.injectCommand('mute:status', { mute_status: 'loud' });
      await until('an error for a bad value', () => errors.length === 1);
      assert.equal(errors[0]!['command'], 'mute:status');
      assert.equal((await live.update({ mute_status: 'loud' })).status, 400);
      assert.equal(fx.srv.server.sw.bridges().length, 1, 'the dial is still up');

      await a.hangup();
      await until('the callee gets BYE', () => b.dialog.state === 'terminated');
      await fx.idle();
    });
  });
}
