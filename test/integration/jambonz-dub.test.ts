/**
 * `dub` tracks (specs/jambonz.md §3.B) over real SIP, from a WebSocket application written with
 * `@jambonz/node-client-ws`, with media on the main thread and in a media worker: a track added by the
 * `dub` verb before a dial is heard by the caller together with the callee; a second track added by the
 * `dub` command sounds at the same time; REST `dub` silences one, the command removes the other; the
 * callee never hears the tracks. Over a playing prompt the caller hears the prompt and the track. Bad
 * dub data is answered with `jambonz:error`. A dial's `dub` entries play to the caller once bridged.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { decodeReceived, sendPacedTone } from '../support/phone-audio.ts';
import { toneShare } from '../support/media-session-harness.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const tone = (hz: number): string => `tone_stream://%(10000,0,${hz})`;

/** Which of `freqs` `call` hears over the next 300 ms (share of the audio above 0.03 each). */
async function heardTones(call: PhoneCall, freqs: number[]): Promise<number[]> {
  const mark = call.received.length;
  await delay(300);
  const pcm = decodeReceived(call.received, mark);
  return freqs.filter((f) => toneShare(pcm, 8000, f) > 0.03);
}

for (const mediaWorkers of [0, 1]) {
  describe(`jambonz dub tracks (media workers: ${mediaWorkers})`, () => {
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
        if (s.to === 'jz-dub-dial') {
          // dial.dub: tracks added once the legs are bridged.
          s.dial({
            target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }],
            dub: [{ action: 'addTrack', track: 'd' }, { action: 'playOnTrack', track: 'd', play: tone(700), loop: true }],
          }).send();
          return;
        }
        s.answer().dub({ action: 'addTrack', track: 'bg', play: tone(400), loop: true, gain: '-3 dB' });
        if (s.to === 'jz-dub-prompt') s.play({ url: 'tone_stream://%(800,0,1200)' }).send();
        else s.dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }] }).send();
      });
      for (const number of ['jz-dub', 'jz-dub-prompt', 'jz-dub-dial']) fx.route(number, { application_sid: 'ws-dub', name: 'ws-dub', call_hook: url });
    });

    after(() => fx.close());

    test('tracks mix with the dialed party for the caller only; added, silenced and removed live', async () => {
      sessions.length = 0;
      const r = await caller.call(fx.srv.uri('jz-dub'));
      assert.ok(r.ok);
      const a = r.call;
      await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length === 1 && sessions.length === 1);
      const b = answered.at(-1)!;
      const app = sessions[0]!;
      let talking = true;
      const calleeTalks = sendPacedTone(b, 1000, { ms: 6000, until: () => !talking });
      await delay(200);
      assert.deepEqual(await heardTones(a, [400, 1000, 1600]), [400, 1000], 'the track and the callee');

      app.injectCommand('dub', { action: 'addTrack', track: 'two', play: tone(1600), loop: true });
      await delay(100);
      assert.deepEqual(await heardTones(a, [400, 1000, 1600]), [400, 1000, 1600], 'two tracks and the callee');
      const calleeMark = b.received.length;
      await delay(200);
      assert.ok(b.receivedLevel(calleeMark) < 50, 'the callee hears none of the tracks');

      const live = fx.manager.get(app.call_sid);
      assert.ok(live);
      assert.equal((await live.update({ dub: { action: 'silenceTrack', track: 'bg' } })).status, 202);
      await delay(100);
      assert.deepEqual(await heardTones(a, [400, 1000, 1600]), [1000, 1600], 'bg silenced');

      app.injectCommand('dub', { action: 'removeTrack', track: 'two' });
      await delay(100);
      assert.deepEqual(await heardTones(a, [400, 1000, 1600]), [1000], 'only the callee again');
      talking = false;
      await calleeTalks;

      assert.equal(errors.length, 0);
      app.injectCommand('dub', { action: 'playOnTrack', track: 'two', play: tone(500) });
      await until('an error for a removed track', () => errors.length === 1);
      assert.equal(errors[0]!['command'], 'dub');
      assert.match(String(errors[0]!['details']), /no track two/);
      assert.equal((await live.update({ dub: { action: 'addTrack', track: 'x', gain: 'loud' } })).status, 400);

      await a.hangup();
      await until('the callee gets BYE', () => b.dialog.state === 'terminated');
      await fx.idle();
    });

    test('dial.dub: the caller hears the dial\'s track over the callee once bridged', async () => {
      sessions.length = 0;
      errors.length = 0;
      const r = await caller.call(fx.srv.uri('jz-dub-dial'));
      assert.ok(r.ok);
      await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length > 0 && sessions.length === 1);
      const b = answered.at(-1)!;
      let talking = true;
      const calleeTalks = sendPacedTone(b, 1000, { ms: 4000, until: () => !talking });
      await delay(200);
      assert.deepEqual(await heardTones(r.call, [400, 700, 1000]), [700, 1000], 'the dial track and the callee');
      talking = false;
      await calleeTalks;
      assert.equal(errors.length, 0);
      await r.call.hangup();
      await until('the callee gets BYE', () => b.dialog.state === 'terminated');
      await fx.idle();
    });

    test('a track sounds over a playing prompt', async () => {
      sessions.length = 0;
      const r = await caller.call(fx.srv.uri('jz-dub-prompt'));
      assert.ok(r.ok);
      await until('the app session', () => sessions.length === 1);
      await delay(200);
      assert.deepEqual(await heardTones(r.call, [400, 1200]), [400, 1200], 'the prompt and the track');
      await r.call.hangup();
      await fx.idle();
    });
  });
}
