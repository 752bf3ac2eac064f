/**
 * The jambonz-compatible REST API over real HTTP on 127.0.0.1 (specs/jambonz.md §2.6): health, bearer
 * API keys, malformed and oversized bodies, Applications and PhoneNumbers CRUD in the api-server shapes,
 * call control against a recording SessionManager, and the REST client of `@jambonz/sdk`.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JambonzClient } from '@jambonz/sdk/client';
import { mountJambonz, type JambonzMount } from '../../src/api/jambonz/index.ts';
import { createHarness, type Harness } from '../../src/core/testing/index.ts';
import { FakeSessions } from '../support/jambonz-fake-sessions.ts';

let h: Harness;
let dataDir: string;
let jz: JambonzMount;
let sessions: FakeSessions;

interface Reply {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

async function call(method: string, path: string, options: { body?: unknown; raw?: string; key?: string | null; type?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.key !== null) headers['authorization'] = `Bearer ${options.key ?? jz.apiKey}`;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${jz.baseUrl}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

const APP = { name: 'hello', call_hook: { url: 'https://example.test/hook', method: 'POST' }, call_status_hook: 'https://example.test/status' };

beforeEach(async () => {
  h = createHarness();
  dataDir = mkdtempSync(join(tmpdir(), 'sb-jambonz-'));
  sessions = new FakeSessions();
  jz = await mountJambonz(h.sw, { listen: '127.0.0.1:0', dataDir, sessions: () => sessions });
});

afterEach(async () => {
  await jz.close();
  await h.finish();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('jambonz REST: server basics', () => {
  it('answers GET /health without a key and 404 JSON for unknown routes', async () => {
    const health = await call('GET', '/health', { key: null });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const missing = await call('GET', '/nope');
    assert.equal(missing.status, 404);
    assert.match((missing.body as { msg: string }).msg, /no route for GET \/nope/);
  });

  it('refuses requests without a valid bearer key with 401 and a challenge', async () => {
    for (const key of [null, 'wrong-key', '']) {
      const r = await call('GET', '/v1/Applications', { key });
      assert.equal(r.status, 401, `key ${String(key)}`);
      assert.equal(r.text, 'Unauthorized');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="Users"/);
    }
    const basic = await fetch(`${jz.baseUrl}/v1/Applications`, { headers: { authorization: `Basic ${Buffer.from(`x:${jz.apiKey}`).toString('base64')}` } });
    assert.equal(basic.status, 401);
    assert.equal((await call('GET', '/v1/Applications')).status, 200);
  });

  it('answers malformed, non-JSON and oversized bodies with 400/415/413 JSON and keeps serving', async () => {
    const broken = await call('POST', '/v1/Applications', { raw: '{"name": "x", ' });
    assert.equal(broken.status, 400);
    assert.equal(typeof (broken.body as { msg: unknown }).msg, 'string');
    const nested = await call('POST', '/v1/Applications', { raw: '['.repeat(50_000) + ']'.repeat(50_000) });
    assert.equal(nested.status, 400, 'a deeply nested array is not an application');
    const text = await call('POST', '/v1/Applications', { raw: 'name=x', type: 'application/x-www-form-urlencoded' });
    assert.equal(text.status, 415);
    assert.equal(typeof (text.body as { msg: unknown }).msg, 'string');
    const huge = await call('POST', '/v1/Applications', { body: { name: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(huge.status, 413);
    const proto = await call('POST', '/v1/Applications', { raw: '{"name":"p","call_hook":"https://example.test/","__proto__":{"x":1}}' });
    assert.equal(proto.status, 400, 'prototype poisoning is refused');
    assert.equal((await call('GET', '/health')).status, 200);
  });
});

describe('jambonz REST: Applications', () => {
  it('creates (201 {sid}), lists, retrieves, updates (204) and deletes (204) an application', async () => {
    const made = await call('POST', '/v1/Applications', { body: APP });
    assert.equal(made.status, 201);
    const sid = (made.body as { sid: string }).sid;
    assert.match(sid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const one = await call('GET', `/v1/Applications/${sid}`);
    assert.equal(one.status, 200);
    const app = one.body as Record<string, unknown>;
    assert.equal(app['application_sid'], sid);
    assert.equal(app['account_sid'], jz.account.account_sid);
    assert.equal(app['name'], 'hello');
    assert.deepEqual(app['call_hook'], { url: 'https://example.test/hook', method: 'POST' });
    assert.deepEqual(app['call_status_hook'], { url: 'https://example.test/status', method: 'POST' });
    assert.equal(app['app_json'], null);
    assert.equal(app['messaging_hook'], null);
    const list = await call('GET', '/v1/Applications');
    assert.deepEqual((list.body as { application_sid: string }[]).map((a) => a.application_sid), [sid]);
    const byAccount = await call('GET', `/v1/Accounts/${jz.account.account_sid}/Applications`);
    assert.equal((byAccount.body as unknown[]).length, 1);

    const put = await call('PUT', `/v1/Applications/${sid}`, { body: { name: 'renamed', app_json: [{ verb: 'say', text: 'hi' }], speech_synthesis_voice: 'en-us' } });
    assert.equal(put.status, 204);
    assert.equal(put.text, '');
    const after = (await call('GET', `/v1/Applications/${sid}`)).body as Record<string, unknown>;
    assert.equal(after['name'], 'renamed');
    assert.equal(after['app_json'], '[{"verb":"say","text":"hi"}]');
    assert.equal(after['speech_synthesis_voice'], 'en-us');
    assert.deepEqual(after['call_hook'], { url: 'https://example.test/hook', method: 'POST' }, 'fields absent from PUT are kept');
    assert.equal(jz.catalog.application(sid)?.name, 'renamed', 'the catalog sees REST changes');

    assert.equal((await call('DELETE', `/v1/Applications/${sid}`)).status, 204);
    assert.equal((await call('GET', `/v1/Applications/${sid}`)).status, 404);
    assert.equal((await call('DELETE', `/v1/Applications/${sid}`)).status, 404);
    assert.equal((await call('PUT', `/v1/Applications/${sid}`, { body: { name: 'x' } })).status, 404);
  });

  it('refuses invalid bodies with 400 and a message', async () => {
    const cases: [unknown, RegExp][] = [
      [{ call_hook: 'https://example.test/' }, /name/],
      [{ name: 'x' }, /call_hook or app_json/],
      [{ name: 'x', call_hook: 'relative/path' }, /absolute/],
      [{ name: 'x', call_hook: { url: 'https://example.test/', method: 'PATCH' } }, /method/],
      [{ name: 'x', call_hook: 42 }, /call_hook/],
      [{ name: 'x', app_json: '{"verb":"say"}' }, /array/],
      [{ name: 'x', app_json: 'not json' }, /not valid JSON/],
      [{ name: 'x', app_json: '[]', env_vars: [1] }, /env_vars/],
      [[APP], /object/],
      ['just a string', /object/],
    ];
    for (const [body, message] of cases) {
      const r = await call('POST', '/v1/Applications', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match((r.body as { msg: string }).msg, message);
    }
    const empty = await call('POST', '/v1/Applications', { raw: '' });
    assert.equal(empty.status, 400);
    assert.equal((await call('GET', '/v1/Applications')).body instanceof Array, true);
    assert.deepEqual((await call('GET', '/v1/Applications')).body, []);
  });

  it('keeps REST-created resources in the data directory, written whole', async () => {
    const sid = ((await call('POST', '/v1/Applications', { body: APP })).body as { sid: string }).sid;
    await call('POST', '/v1/PhoneNumbers', { body: { number: '+15083728299', application_sid: sid } });
    const file = JSON.parse(readFileSync(join(dataDir, 'jambonz-provisioning.json'), 'utf8')) as { applications: { application_sid: string }[]; phone_numbers: { number: string }[] };
    assert.deepEqual(file.applications.map((a) => a.application_sid), [sid]);
    assert.deepEqual(file.phone_numbers.map((n) => n.number), ['15083728299']);
  });
});

describe('jambonz REST: PhoneNumbers', () => {
  it('creates, lists, retrieves, reassigns and deletes numbers; stored without +', async () => {
    const app = ((await call('POST', '/v1/Applications', { body: APP })).body as { sid: string }).sid;
    const made = await call('POST', '/v1/PhoneNumbers', { body: { number: '+15083728299', application_sid: app } });
    assert.equal(made.status, 201);
    const sid = (made.body as { sid: string }).sid;
    const one = (await call('GET', `/v1/PhoneNumbers/${sid}`)).body as Record<string, unknown>;
    assert.deepEqual(one, {
      phone_number_sid: sid, number: '15083728299', voip_carrier_sid: null, account_sid: jz.account.account_sid, application_sid: app,
    });
    const dup = await call('POST', '/v1/PhoneNumbers', { body: { number: '15083728299' } });
    assert.equal(dup.status, 422);
    const inUse = await call('DELETE', `/v1/Applications/${app}`);
    assert.equal(inUse.status, 422);
    assert.match((inUse.body as { msg: string }).msg, /cannot delete application with phone numbers/);

    assert.equal((await call('PUT', `/v1/PhoneNumbers/${sid}`, { body: { number: '123' } })).status, 400);
    assert.equal((await call('PUT', `/v1/PhoneNumbers/${sid}`, { body: { application_sid: 'no-such-app' } })).status, 400);
    assert.equal((await call('PUT', `/v1/PhoneNumbers/${sid}`, { body: { application_sid: null } })).status, 204);
    assert.equal(((await call('GET', `/v1/PhoneNumbers/${sid}`)).body as Record<string, unknown>)['application_sid'], null);
    assert.equal((await call('DELETE', `/v1/Applications/${app}`)).status, 204, 'no number uses it any more');

    const list = (await call('GET', '/v1/PhoneNumbers')).body as unknown[];
    assert.equal(list.length, 1);
    assert.equal((await call('DELETE', `/v1/PhoneNumbers/${sid}`)).status, 204);
    assert.equal((await call('GET', `/v1/PhoneNumbers/${sid}`)).status, 404);
    assert.equal((await call('DELETE', `/v1/PhoneNumbers/${sid}`)).status, 404);
  });

  it('refuses bad numbers and unknown applications with 400', async () => {
    for (const body of [{}, { number: 'abc' }, { number: 15083728299 }, { number: '1508-372' }, { number: '15083728299', application_sid: 'nope' }]) {
      const r = await call('POST', '/v1/PhoneNumbers', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof (r.body as { msg: unknown }).msg, 'string');
    }
  });
});

describe('jambonz REST: account and keys', () => {
  it('shows the default account, its webhook secret and API key; 404 for another account', async () => {
    const sid = jz.account.account_sid;
    const acc = (await call('GET', `/v1/Accounts/${sid}`)).body as Record<string, unknown>;
    assert.equal(acc['account_sid'], sid);
    assert.match(String(acc['webhook_secret']), /^wh_secret_/);
    assert.deepEqual((await call('GET', `/v1/Accounts/${sid}/WebhookSecret`)).body, { webhook_secret: acc['webhook_secret'] });
    assert.equal((await call('GET', '/v1/Accounts/00000000-0000-4000-8000-000000000000')).status, 404);
    const keys = (await call('GET', '/v1/ApiKeys')).body as Record<string, unknown>[];
    assert.equal(keys[0]?.['token'], jz.apiKey);
    assert.deepEqual((await call('GET', `/v1/Accounts/${sid}/ApiKeys`)).body, keys);
    assert.equal(((await call('GET', '/v1/Accounts')).body as unknown[]).length, 1);
  });
});

describe('jambonz REST: call control', () => {
  const calls = (): string => `/v1/Accounts/${jz.account.account_sid}/Calls`;

  it('creates a call through the runtime: 201 {sid, callId}, body passed as sent, application resolved', async () => {
    const body = { from: '15083084809', to: { type: 'phone', number: '15083728299' }, call_hook: 'https://example.test/call', tag: { a: 1 }, timeout: 20 };
    const r = await call('POST', calls(), { body });
    assert.equal(r.status, 201);
    const out = r.body as { sid: string; callId: string };
    assert.ok(sessions.calls.has(out.sid));
    assert.deepEqual(sessions.created[0]?.body, body);
    assert.equal(sessions.created[0]?.account.account_sid, jz.account.account_sid);
    assert.equal(sessions.created[0]?.application, undefined);

    const app = ((await call('POST', '/v1/Applications', { body: APP })).body as { sid: string }).sid;
    const withApp = await call('POST', calls(), { body: { from: 'me', to: { type: 'user', name: '1000' }, application_sid: app } });
    assert.equal(withApp.status, 201);
    assert.equal(sessions.created[1]?.application?.application_sid, app);
    const verbs = await call('POST', calls(), { body: { from: 'me', to: { type: 'sip', sipUri: 'sip:a@example.test' }, app_json: '[{"verb":"hangup"}]' } });
    assert.equal(verbs.status, 201);
  });

  it('refuses malformed create requests with 400 and the api-server message, and other accounts', async () => {
    const cases: [unknown, RegExp][] = [
      [{ to: { type: 'phone', number: '1' }, call_hook: 'https://x.test/' }, /missing from parameter/],
      [{ from: 'a', call_hook: 'https://x.test/' }, /missing or invalid to property/],
      [{ from: 'a', to: { type: 'phone' }, call_hook: 'https://x.test/' }, /missing or invalid to property/],
      [{ from: 'a', to: { type: 'fax', number: '1' }, call_hook: 'https://x.test/' }, /missing or invalid to property/],
      [{ from: 'a', to: { type: 'phone', number: '1' } }, /call_hook, app_json or application_sid/],
      [{ from: 'a', to: { type: 'phone', number: '1' }, call_hook: '/relative' }, /absolute/],
      [{ from: 'a', to: { type: 'phone', number: '1' }, application_sid: 'nope' }, /application_sid not found nope/],
      [{ from: 'a', to: { type: 'phone', number: '1' }, app_json: '{}' }, /array/],
      [{ from: 'a', to: { type: 'phone', number: '1' }, call_hook: 'https://x.test/', timeout: 'soon' }, /timeout/],
    ];
    for (const [body, message] of cases) {
      const r = await call('POST', calls(), { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match((r.body as { msg: string }).msg, message);
    }
    const other = await call('POST', '/v1/Accounts/00000000-0000-4000-8000-000000000000/Calls', {
      body: { from: 'a', to: { type: 'phone', number: '1' }, call_hook: 'https://x.test/' },
    });
    assert.equal(other.status, 400);
    assert.match((other.body as { msg: string }).msg, /unauthorized createCall request/);
    assert.equal(sessions.created.length, 0);
  });

  it('lists with filters, retrieves, updates (202 / 200 sip_request / 400 / 404 / 422) and deletes calls', async () => {
    const a = sessions.add(jz.account.account_sid, { direction: 'inbound', from: '+15083084809', to: '15083728299' });
    const b = sessions.add(jz.account.account_sid, { direction: 'outbound', from: 'me', to: '1000', call_status: 'ringing' });
    const stranger = sessions.add('00000000-0000-4000-8000-000000000000', { direction: 'inbound' });
    const list = async (qs: string): Promise<string[]> => ((await call('GET', `${calls()}${qs}`)).body as { call_sid: string }[]).map((c) => c.call_sid).sort();
    assert.deepEqual(await list(''), [a.callSid, b.callSid].sort());
    assert.deepEqual(await list('?direction=inbound'), [a.callSid]);
    assert.deepEqual(await list('?from=15083084809'), [a.callSid], 'from matches with and without +');
    assert.deepEqual(await list('?callStatus=ringing'), [b.callSid]);
    assert.deepEqual(await list('?to=nobody'), []);

    const one = await call('GET', `${calls()}/${a.callSid}`);
    assert.equal(one.status, 200);
    assert.equal((one.body as Record<string, unknown>)['call_sid'], a.callSid);
    assert.equal((one.body as Record<string, unknown>)['service_url'], jz.baseUrl);
    assert.equal((await call('GET', `${calls()}/${stranger.callSid}`)).status, 404, 'another account\'s call is not found');
    assert.equal((await call('GET', `${calls()}/nope`)).status, 404);

    const redirect = await call('PUT', `${calls()}/${a.callSid}`, { body: { call_hook: 'https://example.test/next' } });
    assert.equal(redirect.status, 202);
    assert.deepEqual(a.updates.at(-1), { call_hook: 'https://example.test/next' });
    const legacy = await call('POST', `${calls()}/${a.callSid}`, { body: { mute_status: 'mute' } });
    assert.equal(legacy.status, 202);
    const info = await call('PUT', `${calls()}/${a.callSid}`, { body: { sip_request: { method: 'INFO', content_type: 'text/plain', content: 'x' } } });
    assert.equal(info.status, 200);
    assert.deepEqual(info.body, { status: 200, reason: 'OK' });
    const bad = await call('PUT', `${calls()}/${a.callSid}`, { body: { mute_status: 'loud' } });
    assert.equal(bad.status, 400);
    assert.equal((await call('PUT', `${calls()}/nope`, { body: { mute_status: 'mute' } })).status, 404);

    assert.equal((await call('DELETE', `${calls()}/${a.callSid}`)).status, 204);
    assert.deepEqual(a.updates.at(-1), { call_status: 'completed' });
    assert.equal((await call('DELETE', `${calls()}/${a.callSid}`)).status, 404);
    const gone = await call('PUT', `${calls()}/${b.callSid}`, { body: { call_status: 'completed' } });
    assert.equal(gone.status, 202);
    b.attrs['call_status'] = 'completed';
    sessions.calls.set(b.callSid, b);
    const late = await call('PUT', `${calls()}/${b.callSid}`, { body: { mute_status: 'mute' } });
    assert.equal(late.status, 422, 'the runtime\'s answer is passed through');
  });

  it('works with the REST client of @jambonz/sdk', async () => {
    const client = new JambonzClient({ baseUrl: jz.baseUrl, accountSid: jz.account.account_sid, apiKey: jz.apiKey });
    const sid = await client.calls.create({ from: '15083084809', to: { type: 'phone', number: '15083728299' }, call_hook: 'https://example.test/c' } as never);
    assert.ok(sessions.calls.has(sid));
    const listed = (await client.calls.list({ direction: 'outbound' })) as unknown as { call_sid: string }[];
    assert.deepEqual(listed.map((c) => c.call_sid), [sid]);
    const got = (await client.calls.get(sid)) as unknown as { call_sid: string };
    assert.equal(got.call_sid, sid);
    await client.calls.mute(sid, 'mute');
    await client.calls.redirect(sid, 'https://example.test/r');
    await client.calls.whisper(sid, { verb: 'say', text: 'psst' } as never);
    assert.deepEqual(sessions.calls.get(sid)?.updates, [{ mute_status: 'mute' }, { call_hook: 'https://example.test/r' }, { whisper: { verb: 'say', text: 'psst' } }]);
    await client.calls.delete(sid);
    assert.equal(sessions.calls.has(sid), false);
    await assert.rejects(client.calls.get(sid), /404/);
    const bad = new JambonzClient({ baseUrl: jz.baseUrl, accountSid: jz.account.account_sid, apiKey: 'wrong' });
    await assert.rejects(bad.calls.list(), /401/);
  });
});
