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
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';
import { readBody, type Hit } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

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
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let base = '';
  let ttsDir = '';
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void;
  const hits: Hit[] = [];
  let mode: 'ivr' | 'html' | 'vanish' = 'ivr';

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = req.url ?? '/';
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path, body });
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
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    const tts = synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir }));
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz!.catalog, log: silentLogger(),
      requestorFactory: makeRequestorFactory(), validate: validateVerbs, tts,
    });
    const account = srv.server.jambonz!.account;
    const app: JambonzApplication = {
      application_sid: 'e2e-app', account_sid: account.account_sid, name: 'e2e', call_hook: `${base}/call`, call_status_hook: `${base}/status`,
    };
    unroute = srv.server.sw.router.register({ number: 'jz-ivr', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await phone.close();
    await srv.close();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('the caller hears the greeting, presses 7, hears the reply and gets BYE', async () => {
    hits.length = 0;
    mode = 'ivr';
    const r = await phone.call(srv.uri('jz-ivr'));
    assert.ok(r.ok, 'answered');
    const call = r.call;
    await until('greeting audio', () => call.receivedLevel() > 200);
    await until('gather to start', () => manager.session([...srv.server.sw.channels()][0]?.uuid ?? '')?.currentVerb === 'gather');
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
    assert.equal(manager.size, 0);
  });

  test('a webhook answering HTML: 480 with X-Reason, nothing answered', async () => {
    hits.length = 0;
    mode = 'html';
    const r = await phone.call(srv.uri('jz-ivr'));
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
    const r = await phone.call(srv.uri('jz-ivr'));
    assert.ok(r.ok);
    const uuid = [...srv.server.sw.channels()][0]!.uuid;
    await until('gather to start', () => manager.session(uuid)?.currentVerb === 'gather');
    await sendDigit(r.call, 3);
    await until('BYE from the server', () => r.call.dialog.state === 'terminated');
    await idle();
    await srv.server.sw.flushCdrs();
    assert.ok(await srv.server.cdrs.get(uuid));
  });

  test('the composed server: an app provisioned over REST greets with the offline TTS and hangs up', async () => {
    hits.length = 0;
    mode = 'ivr';
    const j = srv.server.jambonz!;
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${j.baseUrl}/v1/${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, `${path}: ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const created = await post('Applications', {
      name: 'rest-ivr', account_sid: j.account.account_sid,
      call_hook: { url: `${base}/composed`, method: 'POST' }, call_status_hook: { url: `${base}/status`, method: 'POST' },
    });
    await post('PhoneNumbers', { number: '5550100', application_sid: created['sid'], account_sid: j.account.account_sid });
    const r = await phone.call(srv.uri('5550100'));
    assert.ok(r.ok, 'answered');
    await until('speech', () => r.call.receivedLevel() > 200);
    await until('BYE from the server', () => r.call.dialog.state === 'terminated');
    await idle();
    assert.equal(hits.find((h) => h.path === '/composed')?.body['to'], '5550100');
  });
});
