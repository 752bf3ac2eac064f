/**
 * `boostAudioSignal` over real SIP during a dial (specs/jambonz.md §1.6 command, §2.6 REST, §3.A dial
 * property), with media on the main thread and in a media worker, from a `@jambonz/node-client-ws`
 * application: the dial's `boostAudioSignal: '-12 dB'` makes the callee hear the caller about a quarter
 * as loud as the caller hears the callee; the command on the call makes the caller hear the callee
 * 20 dB quieter; REST `boostAudioSignal: 0` restores it; the command with the B leg's `callSid` sets
 * the callee's gain. A bad value is a `jambonz:error`. An in-dialog request of a method the server does
 * not know is answered 501 (RFC 3261 8.2.1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { heardWhileTalking } from '../support/phone-audio.ts';
import { startJambonz, until, type JambonzFixture, type WsApp } from '../support/jambonz-fixture.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const mediaWorkers of [0, 1]) {
  describe(`jambonz boostAudioSignal during a dial (media workers: ${mediaWorkers})`, () => {
    let fx: JambonzFixture;
    let caller: TestPhone;
    let callee: TestPhone;
    const answered: PhoneCall[] = [];
    let ws: WsApp;

    before(async () => {
      fx = await startJambonz({ mediaWorkers });
      caller = await fx.phone();
      callee = await fx.phone();
      callee.answerCalls(answered);
      ws = fx.wsApp('/ws', (s) => {
        s.answer().dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }], boostAudioSignal: '-12 dB' }).send();
      });
      fx.route('jz-boost', { call_hook: ws.url });
    });

    after(() => fx.close());

    test('dial property, command, REST and the B leg by callSid set the gain of what each party hears', async () => {
      const { sessions, errors } = ws;
      const r = await caller.call(fx.srv.uri('jz-boost'));
      assert.ok(r.ok);
      const a = r.call;
      await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1 && sessions.length === 1);
      const b = answered[0]!;
      const app = sessions[0]!;
      const aHearsB = await heardWhileTalking(b, a);
      const bHearsA = await heardWhileTalking(a, b);
      assert.ok(aHearsB > 2000, `the caller hears the callee (level ${aHearsB})`);
      const dialRatio = bHearsA / aHearsB;
      assert.ok(dialRatio > 0.15 && dialRatio < 0.4, `dial boostAudioSignal -12 dB: the callee hears about a quarter (ratio ${dialRatio})`);

      app.injectCommand('boostAudioSignal', '-20 dB');
      await delay(150);
      const quiet = (await heardWhileTalking(b, a)) / aHearsB;
      assert.ok(quiet > 0.04 && quiet < 0.2, `-20 dB on the call: the caller hears about a tenth (ratio ${quiet})`);

      const live = fx.manager.get(app.call_sid);
      assert.ok(live);
      assert.equal((await live.update({ boostAudioSignal: 0 })).status, 202);
      await delay(150);
      const back = (await heardWhileTalking(b, a)) / aHearsB;
      assert.ok(back > 0.8 && back < 1.25, `0 dB: as loud as before (ratio ${back})`);

      const bLeg = fx.srv.server.sw.channels().find((c) => c.direction === 'outbound');
      assert.ok(bLeg);
      app.injectCommand('boostAudioSignal', '+6 dB', bLeg.uuid);
      await delay(150);
      const louder = (await heardWhileTalking(a, b)) / aHearsB;
      assert.ok(louder > 1.6 && louder < 2.5, `+6 dB on the B leg: the callee hears about twice as loud (ratio ${louder})`);

      assert.equal(errors.length, 0);
      app.injectCommand('boostAudioSignal', 'very loud');
      await until('an error for a bad value', () => errors.length === 1);
      assert.equal(errors[0]!['command'], 'boostAudioSignal');
      assert.equal((await live.update({ boostAudioSignal: '+99 dB' })).status, 400);

      const unknown = await a.dialog.request('FROBNICATE');
      assert.equal(unknown.status, 501, 'an unknown in-dialog method is 501 Not Implemented');
      assert.equal(fx.srv.server.sw.bridges().length, 1, 'the dial is still up');

      await a.hangup();
      await until('the callee gets BYE', () => b.dialog.state === 'terminated');
      await fx.idle();
    });
  });
}
