/**
 * Smaller jambonz features over real SIP with webhook applications (specs/jambonz.md):
 * - `config.fillerNoise` (§3.A): while the gather's actionHook is unanswered past `startDelaySecs`, the
 *   caller hears the noise (looped); it stops the moment the reply arrives;
 * - `session:adulting` (§1.3): REST `child_call_hook` asks the A leg's app for the B leg's verbs with
 *   `session:redirect` (the B leg's call info), the B leg runs them, and its own session announces itself
 *   with `session:adulting` to `/adulting` (the B leg's call info + `parent_call_info`);
 * - conference rooms per account: two accounts' rooms of one name are two rooms (the callers do not
 *   hear each other);
 * - REST `GET /Accounts/:sid/WebhookSecret?regenerate=true` (§2.6): a new secret, which the webhooks
 *   of the next call are signed with;
 * - REST `POST /ApiKeys` / `DELETE /ApiKeys/:sid`: a key made over REST authenticates until deleted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { sendPacedTone, sendRfc4733 } from '../support/phone-audio.ts';
import { jsonWebhook, startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import type { Hit } from '../support/http-body.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const NOISE = 'tone_stream://%(1000,0,440)';

describe('jambonz filler noise, session:adulting, per-account rooms, webhook secret, API keys', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: PhoneCall[] = [];
  const hits: Hit[] = [];
  const signatures: { path: string; signature: string; raw: string }[] = [];
  let slowReply: (() => void) | undefined;

  const hit = (path: string): Record<string, unknown> | undefined => hits.find((h) => h.path === path)?.body;

  before(async () => {
    fx = await startJambonz({
      webhook: jsonWebhook(({ path, body }, res, req, raw) => {
        hits.push({ path, body });
        signatures.push({ path, signature: String(req.headers['jambonz-signature'] ?? ''), raw });
        const send = (verbs: unknown[]): void => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(verbs));
        };
        switch (path) {
          case '/filler':
            return send([
              { verb: 'config', fillerNoise: { enable: true, url: NOISE, startDelaySecs: 0.3 } },
              { verb: 'gather', input: ['digits'], numDigits: 1, actionHook: '/slow', timeout: 10 },
            ]);
          case '/slow':
            slowReply = () => send([{ verb: 'pause', length: 5 }]);
            return undefined;
          case '/dial':
            return send([{ verb: 'dial', target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }], actionHook: '/dial-done' }]);
          case '/child':
            return send([{ verb: 'pause', length: 0.3 }, { verb: 'hangup' }]);
          case '/dial-done':
            return send([{ verb: 'hangup' }]);
          case '/room':
            return send([{ verb: 'conference', name: 'shared', beep: false }]);
          default:
            return send([]);
        }
      }),
    });
    caller = await fx.phone();
    callee = await fx.phone();
    callee.answerCalls(answered);
    fx.route('jz-filler', { call_hook: fx.hook('/filler') });
    fx.route('jz-adult', { call_hook: fx.hook('/dial') });
    fx.route('jz-room', { call_hook: fx.hook('/room') });
    // The same application under a second account.
    const other = { account_sid: 'acc-other', name: 'other', webhook_secret: 'other-secret' };
    fx.route('jz-room-other', { application_sid: 'room-other', name: 'room-other', call_hook: fx.hook('/room') }, other);
  });

  after(() => fx.close());

  test('fillerNoise plays while the actionHook is unanswered and stops when it replies', async () => {
    const r = await caller.call(fx.srv.uri('jz-filler'));
    assert.ok(r.ok);
    const a = r.call;
    await until('the gather is running', () => hit('/filler') !== undefined);
    await delay(300);
    await sendRfc4733(a, 5);
    await until('the actionHook request', () => slowReply !== undefined);
    const early = a.received.length;
    await delay(200);
    assert.ok(a.receivedLevel(early) < 100, `nothing before startDelaySecs (level ${a.receivedLevel(early)})`);
    await delay(400);
    const mark = a.received.length;
    await delay(500);
    const noise = a.receivedLevel(mark);
    assert.ok(noise > 1000, `the caller hears the filler noise while waiting (level ${noise})`);
    slowReply!();
    await delay(250);
    const after = a.received.length;
    await delay(400);
    assert.ok(a.receivedLevel(after) < 100, `the noise stopped with the reply (level ${a.receivedLevel(after)})`);
    await a.hangup();
    await fx.idle();
  });

  test('REST child_call_hook: session:redirect for the B leg\'s verbs, then session:adulting with parent_call_info', async () => {
    const r = await caller.call(fx.srv.uri('jz-adult'));
    assert.ok(r.ok);
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1 && answered.length >= 1);
    const b = answered.at(-1)!;
    const aSid = String(hit('/dial')!['call_sid']);
    const live = fx.manager.get(aSid);
    assert.ok(live);
    assert.equal((await live.update({ child_call_hook: '/child' })).status, 202);
    await until('the child hook', () => hit('/child') !== undefined);
    const child = hit('/child')!;
    assert.equal(child['parent_call_sid'], aSid, 'the B leg\'s call info');
    assert.equal(child['direction'], 'outbound');
    await until('session:adulting', () => hit('/adulting') !== undefined);
    const adult = hit('/adulting')!;
    assert.equal(adult['call_sid'], child['call_sid']);
    const parent = adult['parent_call_info'] as Record<string, unknown>;
    assert.equal(parent['call_sid'], aSid);
    assert.equal(parent['direction'], 'inbound');
    await until('BYE to the callee from its own verbs', () => b.dialog.state === 'terminated');
    await until('the dial actionHook', () => hit('/dial-done') !== undefined);
    assert.equal(hit('/dial-done')!['dial_call_status'], 'completed');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');
    await fx.idle();
  });

  test('conference rooms of one name in two accounts are two rooms', async () => {
    const one = await caller.call(fx.srv.uri('jz-room'));
    const two = await callee.call(fx.srv.uri('jz-room-other'));
    assert.ok(one.ok && two.ok);
    const sw = fx.srv.server.sw;
    await until('two rooms of one member each', () =>
      sw.conference(`${fx.account.account_sid}:shared`)?.size === 1 && sw.conference('acc-other:shared')?.size === 1);
    assert.equal(sw.conference('shared'), undefined);
    let done = false;
    const talking = sendPacedTone(one.call, 600, { ms: 2000, until: () => done });
    await delay(200);
    const mark = two.call.received.length;
    await delay(400);
    const level = two.call.receivedLevel(mark);
    done = true;
    await talking;
    assert.ok(level < 100, `the other account's caller hears nothing of the first (level ${level})`);
    await one.call.hangup();
    await two.call.hangup();
    await fx.idle();
  });

  test('WebhookSecret?regenerate=true makes a new secret that signs the next call\'s webhooks', async () => {
    const j = fx.srv.server.jambonz;
    const get = async (query: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${j.baseUrl}/v1/Accounts/${fx.account.account_sid}/WebhookSecret${query}`, { headers: { authorization: `Bearer ${j.apiKey}` } });
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    };
    const old = (await get('')).body['webhook_secret'];
    const fresh = await get('?regenerate=true');
    assert.equal(fresh.status, 200);
    const secret = String(fresh.body['webhook_secret']);
    assert.match(secret, /^wh_secret_/);
    assert.notEqual(secret, old);
    assert.equal((await get('')).body['webhook_secret'], secret, 'kept');
    const other = await fetch(`${j.baseUrl}/v1/Accounts/not-mine/WebhookSecret?regenerate=true`, { headers: { authorization: `Bearer ${j.apiKey}` } });
    assert.equal(other.status, 404);

    signatures.length = 0;
    const r = await caller.call(fx.srv.uri('jz-room'));
    assert.ok(r.ok);
    await until('the call hook', () => signatures.some((s) => s.path === '/room'));
    const first = signatures.find((s) => s.path === '/room')!;
    const m = /^t=(\d+),v1=([0-9a-f]+)$/.exec(first.signature);
    assert.ok(m, first.signature);
    const expected = createHmac('sha256', secret).update(`${m[1]}.${first.raw}`).digest('hex');
    assert.equal(m[2], expected, 'signed with the new secret');
    await r.call.hangup();
    await fx.idle();
  });

  test('ApiKeys: POST makes a key that authenticates, DELETE removes it (the main key stays)', async () => {
    const j = fx.srv.server.jambonz;
    const rest = async (method: string, path: string, key = j.apiKey): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${j.baseUrl}/v1/${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      const text = await res.text();
      const json = (res.headers.get('content-type') ?? '').includes('application/json');
      return { status: res.status, body: json && text ? JSON.parse(text) as unknown : text };
    };
    const made = await rest('POST', 'ApiKeys');
    assert.equal(made.status, 201);
    const { sid, token } = made.body as { sid: string; token: string };
    assert.match(token, /^[0-9a-f-]{36}$/);
    const listed = (await rest('GET', `Accounts/${fx.account.account_sid}/ApiKeys`)).body as Record<string, unknown>[];
    assert.deepEqual(listed.map((k) => k['token']), [j.apiKey, token]);
    assert.equal((await rest('GET', 'Applications', token)).status, 200, 'the new key authenticates');
    const mainSid = String(listed[0]!['api_key_sid']);
    assert.equal((await rest('DELETE', `ApiKeys/${mainSid}`)).status, 422);
    assert.equal((await rest('DELETE', `ApiKeys/${sid}`)).status, 204);
    assert.equal((await rest('GET', 'Applications', token)).status, 401, 'the deleted key no longer does');
    assert.equal((await rest('DELETE', `ApiKeys/${sid}`)).status, 404);
    assert.equal((await rest('GET', 'Applications')).status, 200, 'the main key still does');
  });
});
