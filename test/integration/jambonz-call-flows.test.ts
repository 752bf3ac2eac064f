/**
 * jambonz webhook applications over real SIP calls from the test phone (specs/jambonz.md §2, §3, §4):
 * gather ending on finishOnKey and on timeout, an actionHook reply replacing the rest of the stack,
 * redirect, sip:decline with its status and headers, a malformed app -> 480, early media then the
 * caller's CANCEL -> 487 and `no-answer`, sip:request INFO to the caller and INFO from the caller to
 * sipRequestWithinDialogHook, sip:refer with NOTIFY sipfrag tracking, and the bad webhooks (time out,
 * HTML, huge or deeply nested JSON) answered 480 while the server keeps serving the next call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerSdp, type PhoneCall, type TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { WebhookResponse } from '@jambonz/sdk/webhook';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { makeRequestorFactory } from '../../src/api/jambonz/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';
import { readBody } from '../support/http-body.ts';

interface Hit { path: string; body: Record<string, unknown>; signed: 'ok' | 'rejected' }
type Route = (body: Record<string, unknown>, res: ServerResponse) => void;

const json = (res: ServerResponse, value: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(typeof value === 'string' ? value : JSON.stringify(value));
};

/** One RFC 4733 digit (0-9, 10 = *, 11 = #): three event packets then three end packets, one timestamp. */
async function sendDigit(call: PhoneCall, event: number): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const payload = Buffer.from([event, (i >= 3 ? 0x80 : 0) | 10, 0, 0]);
    payload.writeUInt16BE(Math.min(3, i + 1) * 160, 2);
    call.send(101, payload, i === 0, i === 5 ? 960 : 0);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('jambonz webhook apps over SIP: call flows and bad webhooks', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let ttsDir = '';
  const hits: Hit[] = [];
  const routes = new Map<string, Route>();
  const held: ServerResponse[] = [];

  before(async () => {
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    // Every webhook is checked with @jambonz/sdk's own Jambonz-Signature verifier.
    fx = await startJambonz({
      webhook: (req, res) => {
        void readBody(req).then(async (text) => {
          const path = (req.url ?? '/').split('?')[0]!;
          let body: Record<string, unknown> = {};
          try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
          const signed = await new Promise<'ok' | 'rejected'>((resolve) => {
            const verify = WebhookResponse.verifySignature(fx.account.webhook_secret);
            verify({ headers: req.headers, body } as never, {} as never, (err?: unknown) => resolve(err ? 'rejected' : 'ok'));
          });
          hits.push({ path, body, signed });
          const route = routes.get(path);
          if (route) route(body, res);
          else json(res, []);
        });
      },
      manager: {
        requestorFactory: makeRequestorFactory({ httpTimeoutMs: 600, maxBodyBytes: 64 * 1024 }),
        tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })),
      },
    });
    phone = await fx.phone();
    routes.set('/status', (_b, res) => json(res, {}));
    fx.route('jz-flow', { application_sid: 'flows-app', name: 'flows', call_hook: fx.hook('/call'), call_status_hook: fx.hook('/status') });
  });

  after(async () => {
    for (const r of held) r.destroy();
    await fx.close();
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => fx.idle();
  const reset = (app: Record<string, Route>): void => {
    hits.length = 0;
    for (const k of [...routes.keys()]) if (k !== '/status') routes.delete(k);
    for (const [k, v] of Object.entries(app)) routes.set(k, v);
  };
  const hook = (path: string): Record<string, unknown> | undefined => hits.find((h) => h.path === path)?.body;
  const statuses = (): unknown[] => hits.filter((h) => h.path === '/status').map((h) => h.body['call_status']);
  const current = () => fx.manager.session([...fx.srv.server.sw.channels()][0]?.uuid ?? '');

  test('gather ends on finishOnKey; the actionHook reply replaces the rest of the stack', async () => {
    reset({
      '/call': (_b, res) => json(res, [
        { verb: 'answer' },
        { verb: 'gather', input: ['digits'], finishOnKey: '#', maxDigits: 8, actionHook: '/digits', timeout: 10 },
        { verb: 'redirect', actionHook: '/never' },
      ]),
      '/digits': (_b, res) => json(res, [{ verb: 'redirect', actionHook: '/replaced' }]),
      '/replaced': (_b, res) => json(res, [{ verb: 'hangup' }]),
    });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok, 'answered');
    await until('gather to start', () => current()?.currentVerb === 'gather');
    await sendDigit(r.call, 4);
    await sendDigit(r.call, 2);
    await sendDigit(r.call, 11);
    await until('BYE from the server', () => r.call.dialog.state === 'terminated');
    await idle();
    assert.equal(hook('/digits')?.['reason'], 'dtmfDetected');
    assert.equal(hook('/digits')?.['digits'], '42');
    assert.ok(hook('/replaced'), 'the redirect of the reply ran');
    assert.equal(hook('/never'), undefined, 'the rest of the original stack was replaced');
    await until('completed status', () => statuses().includes('completed'));
    assert.deepEqual(statuses(), ['trying', 'in-progress', 'completed']);
    assert.deepEqual(hits.filter((h) => h.signed !== 'ok'), [], 'every webhook carries a valid Jambonz-Signature');
  });

  test('gather times out with reason timeout and no digits', async () => {
    reset({
      '/call': (_b, res) => json(res, [{ verb: 'answer' }, { verb: 'gather', input: ['digits'], numDigits: 2, actionHook: '/digits', timeout: 1 }]),
      '/digits': (_b, res) => json(res, [{ verb: 'hangup' }]),
    });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok);
    const started = Date.now();
    await until('the gather actionHook', () => hook('/digits') !== undefined, 5000);
    assert.ok(Date.now() - started >= 800, 'waited for the timeout');
    assert.equal(hook('/digits')?.['reason'], 'timeout');
    assert.equal(hook('/digits')?.['digits'] ?? '', '');
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('sip:decline answers the INVITE with its status, reason and headers', async () => {
    reset({ '/call': (_b, res) => json(res, [{ verb: 'sip:decline', status: 486, reason: 'Gone Fishing', headers: { 'X-Why': 'busy-test' } }]) });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.status, 486);
    const res = r.result.ok ? undefined : r.result.response;
    assert.equal(res?.reason, 'Gone Fishing');
    assert.equal(res?.headers.get('X-Why'), 'busy-test');
    await idle();
    await until('final status', () => statuses().includes('busy') || statuses().includes('failed'));
  });

  test('a malformed app (unknown verb) gets 480 with X-Reason', async () => {
    reset({ '/call': (_b, res) => json(res, [{ verb: 'sya', text: 'typo' }]) });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.status, 480);
    assert.ok(r.result.ok ? false : r.result.response?.headers.get('X-Reason'), 'X-Reason is set');
    await idle();
  });

  test('early media then the caller CANCELs: 487, and call status no-answer', async () => {
    reset({ '/call': (_b, res) => json(res, [{ verb: 'say', text: 'Please hold while we connect you.', earlyMedia: true, loop: 0 }]) });
    const { socket, port } = await phone.rtpSocket([]);
    void socket;
    const invite = phone.stack.invite({
      uri: fx.srv.uri('jz-flow'), from: `<sip:phone@127.0.0.1:${phone.port}>`, body: offerSdp(port), contentType: 'application/sdp',
    });
    const provisional: number[] = [];
    invite.on('progress', (p) => provisional.push(p.status));
    await until('183 Session Progress', () => provisional.includes(183));
    invite.cancel();
    const result = await invite.result;
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.status, 487);
    await idle();
    await until('no-answer status', () => statuses().includes('no-answer'));
    assert.ok(statuses().includes('early-media'), `statuses: ${statuses().join(',')}`);
    assert.equal(statuses().includes('in-progress'), false);
  });

  test('sip:request sends INFO to the caller; the actionHook gets success and sip_status 200', async () => {
    reset({
      '/call': (_b, res) => json(res, [
        { verb: 'answer' },
        { verb: 'sip:request', method: 'INFO', body: 'hello=1', headers: { 'Content-Type': 'application/x-test', 'X-Info': 'yes' }, actionHook: '/info' },
        { verb: 'pause', length: 10 },
      ]),
      '/info': (_b, res) => json(res, [{ verb: 'hangup' }]),
    });
    const infos: { body: string; type: string | undefined; header: string | undefined }[] = [];
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok);
    r.call.dialog.on('request', (req) => {
      infos.push({
        body: req.request.body.toString('utf8'), type: req.request.headers.get('Content-Type'), header: req.request.headers.get('X-Info'),
      });
      req.reply(200);
    });
    await until('the INFO actionHook', () => hook('/info') !== undefined);
    assert.deepEqual(infos, [{ body: 'hello=1', type: 'application/x-test', header: 'yes' }]);
    assert.equal(hook('/info')?.['result'], 'success');
    assert.equal(hook('/info')?.['sip_status'], 200);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('an INFO from the caller reaches sipRequestWithinDialogHook with method, body and headers', async () => {
    reset({
      '/call': (_b, res) => json(res, [{ verb: 'config', sipRequestWithinDialogHook: '/indialog' }, { verb: 'answer' }, { verb: 'pause', length: 10 }]),
      '/indialog': (_b, res) => json(res, {}),
    });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok);
    await until('the pause', () => current()?.currentVerb === 'pause');
    const res = await r.call.dialog.request('INFO', { body: 'volume=3', contentType: 'application/x-custom', headers: { 'X-Test': 'in-dialog' } });
    assert.equal(res.status, 200);
    await until('the in-dialog hook', () => hook('/indialog') !== undefined);
    const body = hook('/indialog')!;
    assert.equal(body['sip_method'], 'INFO');
    assert.equal(body['sip_body'], 'volume=3');
    assert.equal((body['sip_headers'] as Record<string, string>)['X-Test'], 'in-dialog');
    assert.equal(body['call_status'], 'in-progress');
    await r.call.hangup();
    await idle();
  });

  test('sip:refer: REFER to the caller, NOTIFY progress to the eventHook, final status in the actionHook', async () => {
    reset({
      '/call': (_b, res) => json(res, [
        { verb: 'answer' },
        { verb: 'sip:refer', referTo: 'sip:desk@127.0.0.1:5999', eventHook: '/refer-event', actionHook: '/refer-done' },
      ]),
      '/refer-done': (_b, res) => json(res, [{ verb: 'hangup' }]),
    });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok);
    let referTo = '';
    r.call.dialog.on('refer', (refer) => {
      const u = refer.referTo.uri;
      referTo = `sip:${u.user ?? ''}@${u.host}:${u.port ?? ''}`;
      refer.accept();
      setTimeout(() => void refer.notify(180, 'Ringing').then(() => refer.notify(200, 'OK')), 50);
    });
    await until('the refer actionHook', () => hook('/refer-done') !== undefined);
    assert.equal(referTo, 'sip:desk@127.0.0.1:5999');
    assert.equal(hook('/refer-done')?.['refer_status'], 202);
    assert.equal(hook('/refer-done')?.['final_referred_call_status'], 200);
    const events = hits.filter((h) => h.path === '/refer-event').map((h) => [h.body['event'], h.body['call_status']]);
    assert.deepEqual(events, [['transfer-status', 100], ['transfer-status', 180], ['transfer-status', 200]]);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('sip:refer refused by the caller: refer_status carries the refusal', async () => {
    reset({
      '/call': (_b, res) => json(res, [{ verb: 'answer' }, { verb: 'sip:refer', referTo: 'sip:desk@127.0.0.1:5999', actionHook: '/refer-done' }]),
      '/refer-done': (_b, res) => json(res, [{ verb: 'hangup' }]),
    });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(r.ok);
    r.call.dialog.on('refer', (refer) => { refer.reject(603); });
    await until('the refer actionHook', () => hook('/refer-done') !== undefined);
    assert.notEqual(hook('/refer-done')?.['refer_status'], 202);
    assert.equal(hook('/refer-done')?.['final_referred_call_status'], undefined);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  /** A first reply the call cannot run: 480 with X-Reason, then the next call is served as usual. */
  const badFirstReply = async (what: string, route: Route): Promise<void> => {
    reset({ '/call': route });
    const r = await phone.call(fx.srv.uri('jz-flow'));
    assert.equal(r.ok, false, what);
    if (!r.ok) {
      assert.equal(r.status, 480, what);
      assert.ok(r.result.ok ? false : r.result.response?.headers.get('X-Reason'), `${what}: X-Reason is set`);
    }
    await idle();
    reset({ '/call': (_b, res) => json(res, [{ verb: 'answer' }, { verb: 'hangup' }]) });
    const next = await phone.call(fx.srv.uri('jz-flow'));
    assert.ok(next.ok, `${what}: the server keeps serving`);
    await until('BYE', () => next.call.dialog.state === 'terminated');
    await idle();
    assert.equal(fx.manager.size, 0);
  };

  test('a webhook that never answers (timeout): 480; the next call is served', async () => {
    await badFirstReply('timeout', (_b, res) => { held.push(res); });
  });

  test('a webhook answering HTML: 480; the next call is served', async () => {
    await badFirstReply('html', (_b, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>oops</body></html>');
    });
  });

  test('a webhook answering huge JSON (over the body limit): 480; the next call is served', async () => {
    await badFirstReply('huge', (_b, res) => json(res, [{ verb: 'say', text: 'x'.repeat(200 * 1024) }]));
  });

  test('a webhook answering deeply nested JSON: 480; the next call is served', async () => {
    await badFirstReply('nested', (_b, res) => json(res, `[{"verb":"say","text":"hi","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`));
  });
});
