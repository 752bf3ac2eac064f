/**
 * start_dtmf / stop_dtmf through the event socket on the running server (specs/esl.md §6): a leg whose
 * far end negotiated telephone-event does not look for tones until start_dtmf, then reports a
 * dual-tone digit as DTMF with DTMF-Source INBAND_AUDIO, and stops again after stop_dtmf. RFC 4733
 * digits sent after each tone mark how far the events went. Run with media in the core's thread and in
 * a media worker.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dtmfFrequencies, toDtmfDigit, ulawCompress } from '../../src/media/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { sendRfc4733 } from '../support/phone-audio.ts';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);

/** A DTMF digit as PCMU dual tone (100 ms), then 100 ms of silence, paced at 20 ms. */
async function sendToneDigit(call: PhoneCall, digit: string): Promise<void> {
  const d = toDtmfDigit(digit);
  assert.ok(d);
  const [low, high] = dtmfFrequencies(d);
  const start = Date.now();
  let n = 0;
  for (let i = 0; i < 10; i++) {
    await sleep(start + i * 20 - Date.now());
    const payload = Buffer.alloc(160);
    for (let k = 0; k < 160; k++, n++) {
      const v = i < 5 ? 6000 * (Math.sin((2 * Math.PI * low * n) / 8000) + Math.sin((2 * Math.PI * high * n) / 8000)) : 0;
      payload[k] = ulawCompress(Math.round(v));
    }
    call.send(0, payload);
  }
}

for (const workers of [0, 1]) {
  describe(`esl start_dtmf / stop_dtmf (media workers: ${workers})`, () => {
    let srv: TestServer;
    let phone: TestPhone;
    let c: EslTestClient;
    const answered: PhoneCall[] = [];

    before(async () => {
      srv = await startTestServer({ mediaWorkers: workers });
      phone = await TestPhone.start();
      phone.answerCalls(answered);
      c = await EslTestClient.authed(srv.server.esl!.address.port);
    });

    after(async () => {
      c.close();
      for (const ch of srv.server.sw.channels()) void ch.hangup();
      await phone.close();
      await srv.close();
    });

    it('in-band digits are reported only between start_dtmf and stop_dtmf', async () => {
      const out = await c.api(`originate sip:phone@127.0.0.1:${phone.port} &park()`);
      const id = /^\+OK (\S+)\n$/.exec(out)?.[1];
      assert.ok(id, out);
      await until('the phone to answer', () => answered.length === 1);
      const call = answered[0]!;
      await c.command(`myevents ${id}`);
      await c.command('event plain DTMF CHANNEL_EXECUTE_COMPLETE');
      const digits: string[] = [];
      const nextDigit = async (): Promise<string> => {
        const e = eventOf(await c.wait((f) => f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === 'DTMF', 5000));
        const seen = `${e['DTMF-Digit'] ?? ''}/${e['DTMF-Source'] ?? ''}`;
        digits.push(seen);
        return seen;
      };
      const exec = async (app: string): Promise<void> => {
        const r = await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': app });
        assert.equal(r.headers['Reply-Text'], '+OK');
        await c.wait((f) => f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === 'CHANNEL_EXECUTE_COMPLETE'
          && eventOf(f)['Application'] === app, 5000);
      };

      // telephone-event negotiated: no detection by default.
      await sendToneDigit(call, '5');
      await sendRfc4733(call, 2);
      assert.equal(await nextDigit(), '2/RTP', 'the tone before it was not reported');

      await exec('start_dtmf');
      assert.equal(srv.server.sw.channel(id)?.getVariable('inband_dtmf_requested'), 'true');
      await sendToneDigit(call, '7');
      assert.equal(await nextDigit(), '7/INBAND_AUDIO');
      await sendRfc4733(call, 3);
      assert.equal(await nextDigit(), '3/RTP');

      await exec('stop_dtmf');
      await sendToneDigit(call, '9');
      await sendRfc4733(call, 4);
      assert.equal(await nextDigit(), '4/RTP', 'the tone after stop_dtmf was not reported');
      assert.deepEqual(digits, ['2/RTP', '7/INBAND_AUDIO', '3/RTP', '4/RTP']);
      assert.equal(await c.api(`uuid_kill ${id}`), '+OK\n');
      await until('the call to end', () => srv.server.sw.counts().channels === 0);
    });
  });
}
