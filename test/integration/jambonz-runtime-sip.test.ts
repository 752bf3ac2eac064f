/**
 * The jambonz call runtime end to end: a real SIP call from the test phone into the running server,
 * routed to a webhook application on a local HTTP server. The app says a greeting (offline espeak-ng
 * through the TTS cache), gathers one digit that the phone sends as RFC 4733 telephone-events, and on
 * the actionHook answers with a say and a hangup: the server sends BYE. Also: a webhook that answers
 * HTML gets 480 with X-Reason, and a webhook that dies mid-call ends the call cleanly. The call status
 * hook sees trying -> in-progress -> completed; registries end empty. Last, the composed server: an app
 * provisioned over REST runs on the server's own runtime (routing, requestors, validation, espeak-ng).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { jsonWebhook, startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';
import type { Hit } from '../support/http-body.ts';

/** Sends one RFC 4733 digit: three event packets then three end packets, 20 ms apart. */
async function sendDigit(call: PhoneCall, digit: number): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const end = i >= 3;
    const payload = Buffer.from([digit, (end ? 0x80 : 0) | 10, 0, 0]);
    payload.writeUInt16BE(Math.min(3, i + 1) * 160, 2);
    call.send(101, payload, i === 0, i === 0 ? 160 : 0);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('jambonz runtime over SIP: say -> gather (DTMF) -> hangup with a webhook app', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let ttsDir = '';
  const hits: Hit[] = [];
  let mode: 'ivr' | 'html' | 'vanish' = 'ivr';

  before(async () => {
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    fx = await startJambonz({
      webhook: jsonWebhook((hit, res) => {
        const { path, body } = hit;
        hits.push(hit);
        const json = (value: unknown): void => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (path === '/status') return json({});
        if (mode === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html><body>not an app</body></html>');
          return;
        }
        if (path === '/call' && mode === 'vanish') {
          return json([{ verb: 'gather', input: ['digits'], numDigits: 1, actionHook: '/gone', timeout: 20 }]);
        }
        if (path === '/gone') {
          res.destroy();
          return;
        }
        if (path === '/call') {
          return json([
            { verb: 'say', text: 'Welcome.' },
            { verb: 'gather', input: ['digits'], numDigits: 1, actionHook: '/digits', timeout: 10 },
          ]);
        }
        if (path === '/digits') return json([{ verb: 'say', text: `You pressed ${String(body['digits'])}.` }, { verb: 'hangup' }]);
        if (path === '/composed') return json([{ verb: 'say', text: 'Hello from the server.' }, { verb: 'hangup' }]);
        return json([]);
      }),
      manager: { tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })) },
    });
    phone = await fx.phone();
    fx.route('jz-ivr', { application_sid: 'e2e-app', name: 'e2e', call_hook: fx.hook('/call'), call_status_hook: fx.hook('/status') });
  });

  after(async () => {
    await fx.close();
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => fx.idle();

  test('the caller hears the greeting, presses 7, hears the reply and gets BYE', async () => {
    hits.length = 0;
    mode = 'ivr';
    const r = await phone.call(fx.srv.uri('jz-ivr'));
    assert.ok(r.ok, 'answered');
    const call = r.call;
    await until('greeting audio', () => call.receivedLevel() > 200);
    await until('gather to start', () => fx.manager.session([...fx.srv.server.sw.channels()][0]?.uuid ?? '')?.currentVerb === 'gather');
    await sendDigit(call, 7);
    await until('the digits hook', () => hits.some((h) => h.path === '/digits'));
    const digits = hits.find((h) => h.path === '/digits')!.body;
    assert.equal(digits['reason'], 'dtmfDetected');
    assert.equal(digits['digits'], '7');
    assert.equal(digits['call_status'], 'in-progress');
    assert.equal(digits['direction'], 'inbound');
    await until('BYE from the server', () => call.dialog.state === 'terminated');
    await idle();
    await until('completed status', () => hits.some((h) => h.path === '/status' && h.body['call_status'] === 'completed'));
    assert.deepEqual(hits.filter((h) => h.path === '/status').map((h) => h.body['call_status']).slice(0, 3), ['trying', 'in-progress', 'completed']);
    const first = hits.find((h) => h.path === '/call')!.body;
    assert.equal(first['to'], 'jz-ivr');
    assert.equal(first['call_status'], 'trying');
    assert.ok(first['sip'], 'session:new carries sip');
    assert.equal(fx.manager.size, 0);
  });

  test('a webhook answering HTML: 480 with X-Reason, nothing answered', async () => {
    hits.length = 0;
    mode = 'html';
    const r = await phone.call(fx.srv.uri('jz-ivr'));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.status, 480);
      const reason = r.result.ok ? undefined : r.result.response?.headers.get('X-Reason');
      assert.ok(reason, 'X-Reason is set');
    }
    await idle();
  });

  test('the app dies on the actionHook: the call ends cleanly and its CDR is kept', async () => {
    hits.length = 0;
    mode = 'vanish';
    const r = await phone.call(fx.srv.uri('jz-ivr'));
    assert.ok(r.ok);
    const uuid = [...fx.srv.server.sw.channels()][0]!.uuid;
    await until('gather to start', () => fx.manager.session(uuid)?.currentVerb === 'gather');
    await sendDigit(r.call, 3);
    await until('BYE from the server', () => r.call.dialog.state === 'terminated');
    await idle();
    await fx.srv.server.sw.flushCdrs();
    assert.ok(await fx.srv.server.cdrs.get(uuid));
  });

  test('the composed server: an app provisioned over REST greets with the offline TTS and hangs up', async () => {
    hits.length = 0;
    mode = 'ivr';
    const j = fx.srv.server.jambonz!;
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${j.baseUrl}/v1/${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, `${path}: ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const created = await post('Applications', {
      name: 'rest-ivr', account_sid: j.account.account_sid,
      call_hook: { url: `${fx.base}/composed`, method: 'POST' }, call_status_hook: { url: `${fx.base}/status`, method: 'POST' },
    });
    await post('PhoneNumbers', { number: '5550100', application_sid: created['sid'], account_sid: j.account.account_sid });
    const r = await phone.call(fx.srv.uri('5550100'));
    assert.ok(r.ok, 'answered');
    await until('speech', () => r.call.receivedLevel() > 200);
    await until('BYE from the server', () => r.call.dialog.state === 'terminated');
    await idle();
    assert.equal(hits.find((h) => h.path === '/composed')?.body['to'], '5550100');
  });
});
