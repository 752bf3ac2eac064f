/**
 * jambonz REST call control on real SIP calls (specs/jambonz.md §2.6), against the whole server's own
 * runtime: create call to a test phone that only rings (`timeout` -> CANCEL, status no-answer), create
 * call answered and ended by `timeLimit` (BYE to the callee, status completed), and live call control of
 * an inbound call: `whisper` (heard on the call), `call_hook` redirect (the new hook runs) and
 * `call_status: completed` (BYE).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { readBody, type Hit } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('jambonz REST call control on real calls', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let ringer: TestPhone;
  let answerer: TestPhone;
  let web: HttpServer;
  let base = '';
  const hits: Hit[] = [];
  const answered: PhoneCall[] = [];
  const cancelled: string[] = [];
  let unroute: () => void;

  before(async () => {
    srv = await startTestServer();
    caller = await TestPhone.start();
    ringer = await TestPhone.start();
    ringer.stack.handle({
      onInvite: (invite) => {
        invite.progress(180);
        invite.on('cancel', () => cancelled.push(invite.callId));
      },
    });
    answerer = await TestPhone.start();
    answerer.answerCalls(answered);
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = (req.url ?? '/').split('?')[0]!;
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        if (path === '/redirected') res.end(JSON.stringify([{ verb: 'say', text: 'You were redirected.' }, { verb: 'pause', length: 30 }]));
        else res.end(JSON.stringify(path === '/status' ? {} : [{ verb: 'pause', length: 30 }]));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    const j = srv.server.jambonz;
    const app = {
      application_sid: 'rest-live', account_sid: j.account.account_sid, name: 'live',
      app_json: JSON.stringify([{ verb: 'answer' }, { verb: 'pause', length: 30 }]), call_status_hook: `${base}/status`,
    };
    unroute = srv.server.sw.router.register({ number: 'jz-live', priority: 1000 }, (channel) => j.sessions.startInbound(channel, app, j.account));
  });

  after(async () => {
    unroute();
    await srv.close();
    await Promise.all([caller.close(), ringer.close(), answerer.close()]);
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);
  const rest = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const j = srv.server.jambonz;
    const res = await fetch(`${j.baseUrl}/v1/Accounts/${j.account.account_sid}/${path}`, {
      method, headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
  };
  const statuses = (): unknown[] => hits.filter((h) => h.path === '/status').map((h) => h.body['call_status']);

  test('create call with a ring timeout: CANCEL to the callee, status no-answer', async () => {
    hits.length = 0;
    const made = await rest('POST', 'Calls', {
      from: '5551000', to: { type: 'sip', sipUri: `sip:ringing@127.0.0.1:${ringer.port}` }, timeout: 1,
      call_hook: `${base}/call`, call_status_hook: `${base}/status`,
    });
    assert.equal(made.status, 201);
    assert.equal(typeof made.body['sid'], 'string');
    await until('CANCEL at the callee', () => cancelled.length === 1, 5000);
    assert.equal(made.body['callId'], cancelled[0], 'callId is the SIP Call-ID');
    await until('no-answer status', () => statuses().includes('no-answer'));
    assert.equal(statuses()[0], 'trying');
    assert.ok(statuses().includes('ringing'), `statuses: ${statuses().join(',')}`);
    assert.equal(hits.some((h) => h.path === '/call'), false, 'no call hook for an unanswered call');
    await idle();
  });

  test('create call with timeLimit: answered, the app runs, BYE to the callee after the limit', async () => {
    hits.length = 0;
    answered.length = 0;
    const made = await rest('POST', 'Calls', {
      from: '5551000', to: { type: 'sip', sipUri: `sip:answering@127.0.0.1:${answerer.port}` }, timeLimit: 1,
      call_hook: `${base}/call`, call_status_hook: `${base}/status`, tag: { ticket: 7 },
    });
    assert.equal(made.status, 201);
    await until('the callee answered', () => answered.length === 1);
    const started = Date.now();
    await until('the call hook', () => hits.some((h) => h.path === '/call'));
    const first = hits.find((h) => h.path === '/call')!.body;
    assert.equal(first['direction'], 'outbound');
    assert.deepEqual(first['customerData'], { ticket: 7 });
    assert.equal(first['call_sid'], made.body['sid']);
    assert.equal(first['call_id'], answered[0]!.dialog.callId, 'call_id is the SIP Call-ID');
    assert.equal(made.body['callId'], answered[0]!.dialog.callId);
    await until('BYE at the time limit', () => answered[0]!.dialog.state === 'terminated', 5000);
    assert.ok(Date.now() - started < 3000, 'ended by the limit, not the 30 s pause');
    await until('completed status', () => statuses().includes('completed'));
    await idle();
  });

  test('live call control: whisper is heard, call_hook redirects, call_status completed hangs up', async () => {
    hits.length = 0;
    const r = await caller.call(srv.uri('jz-live'));
    assert.ok(r.ok, 'answered');
    await until('the live call', () => srv.server.jambonz.sessions.list(srv.server.jambonz.account.account_sid).length === 1);
    const sid = srv.server.jambonz.sessions.list(srv.server.jambonz.account.account_sid)[0]!.callSid;
    const listed = await rest('GET', `Calls/${sid}`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body['call_status'], 'in-progress');

    const quiet = r.call.received.length;
    const whisper = await rest('PUT', `Calls/${sid}`, { whisper: { verb: 'say', text: 'A whisper for you.' } });
    assert.equal(whisper.status, 202);
    await until('the whisper is heard', () => r.call.receivedLevel(quiet) > 200);

    const redirect = await rest('PUT', `Calls/${sid}`, { call_hook: `${base}/redirected` });
    assert.equal(redirect.status, 202);
    await until('the new hook', () => hits.some((h) => h.path === '/redirected'));
    const mark = r.call.received.length;
    await until('the redirected app speaks', () => r.call.receivedLevel(mark) > 200);

    const hangup = await rest('PUT', `Calls/${sid}`, { call_status: 'completed' });
    assert.equal(hangup.status, 202);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
    assert.equal((await rest('GET', `Calls/${sid}`)).status, 404);
    await until('completed status', () => statuses().includes('completed'));
    assert.deepEqual(statuses(), ['trying', 'in-progress', 'completed']);
  });
});
