/**
 * The jambonz-compatible platform in the whole server (startServer): the default account and API key
 * created at first start and kept across a restart on the same data directory, REST-created applications
 * and numbers surviving the restart, `--account-sid` / `--api-key` overrides, config-file applications
 * (read-only over REST), a busy HTTP address as a clear start-up error, and inbound SIP calls routed by
 * called number (with and without '+') while the demo numbers keep working.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server, type StartOptions } from '../../src/main.ts';
import { freePort } from '../support/ports.ts';
import { TestPhone } from '../support/test-phone.ts';
import { until } from '../support/wait.ts';

const logLevel = process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent';

async function start(dataDir: string, extra: Partial<NonNullable<StartOptions['flags']>> = {}, configFile?: string): Promise<Server> {
  const sip = await freePort();
  const rtp = await freePort('127.0.0.1', 16);
  const low = rtp + (rtp & 1);
  return startServer({
    ...(configFile === undefined ? {} : { configFile }),
    flags: { sip: `127.0.0.1:${sip}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + 13}`, logLevel, ...extra },
    env: {},
    banner: false,
  });
}

async function rest(server: Server, method: string, path: string, body?: unknown, key = server.jambonz.apiKey): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.jambonz.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, body: json ? JSON.parse(text) as unknown : text };
}

describe('jambonz platform: provisioning across restarts', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-jz-server-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the account, API key, applications and numbers in the data directory', async () => {
    const first = await start(dataDir);
    let sid: string;
    let numberSid: string;
    const account = first.jambonz.account.account_sid;
    const key = first.jambonz.apiKey;
    try {
      assert.match(account, /^[0-9a-f-]{36}$/);
      assert.match(key, /^[0-9a-f-]{36}$/);
      const stored = JSON.parse(readFileSync(join(dataDir, 'jambonz-account.json'), 'utf8')) as Record<string, string>;
      assert.equal(stored['account_sid'], account);
      assert.equal(stored['api_key'], key);
      const made = await rest(first, 'POST', '/v1/Applications', { name: 'kept', call_hook: 'https://example.test/kept' });
      assert.equal(made.status, 201);
      sid = (made.body as { sid: string }).sid;
      const number = await rest(first, 'POST', '/v1/PhoneNumbers', { number: '+4930123456', application_sid: sid });
      assert.equal(number.status, 201);
      numberSid = (number.body as { sid: string }).sid;
    } finally {
      await first.close();
    }

    const second = await start(dataDir);
    try {
      assert.equal(second.jambonz.account.account_sid, account);
      assert.equal(second.jambonz.apiKey, key);
      const app = await rest(second, 'GET', `/v1/Applications/${sid}`);
      assert.equal(app.status, 200);
      assert.deepEqual((app.body as Record<string, unknown>)['call_hook'], { url: 'https://example.test/kept', method: 'POST' });
      const number = await rest(second, 'GET', `/v1/PhoneNumbers/${numberSid}`);
      assert.equal((number.body as Record<string, unknown>)['number'], '4930123456');
      assert.equal(second.jambonz.catalog.application(sid)?.name, 'kept');
    } finally {
      await second.close();
    }
  });

  it('takes the account sid and API key from flags without rewriting the file', async () => {
    const before = readFileSync(join(dataDir, 'jambonz-account.json'), 'utf8');
    const accountSid = '11111111-2222-4333-8444-555555555555';
    const server = await start(dataDir, { accountSid, apiKey: 'automation-key-1' });
    try {
      assert.equal(server.jambonz.account.account_sid, accountSid);
      assert.equal((await rest(server, 'GET', `/v1/Accounts/${accountSid}`, undefined, 'automation-key-1')).status, 200);
      assert.equal((await rest(server, 'GET', '/v1/Applications', undefined, JSON.parse(before).api_key as string)).status, 401);
      const apps = (await rest(server, 'GET', '/v1/Applications', undefined, 'automation-key-1')).body as { account_sid: string }[];
      assert.equal(apps[0]?.account_sid, accountSid, 'stored applications belong to the account in use');
    } finally {
      await server.close();
    }
    assert.equal(readFileSync(join(dataDir, 'jambonz-account.json'), 'utf8'), before);
  });

  it('refuses a busy HTTP address with a clear error and leaves nothing listening', async () => {
    const port = await freePort();
    const sipPort = await freePort();
    const blocker: NetServer = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await assert.rejects(start(dataDir, { http: `127.0.0.1:${port}`, sip: `127.0.0.1:${sipPort}` }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'JAMBONZ_HTTP_LISTEN');
        assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}.*in use.*--http`));
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    // The failed start released what it had opened: the same SIP and HTTP addresses are free again.
    const again = await start(dataDir, { http: `127.0.0.1:${port}`, sip: `127.0.0.1:${sipPort}` });
    assert.equal(again.jambonz.address.port, port);
    await again.close();
  });

  it('refuses a config file naming an unknown application', async () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ jambonz: { phoneNumbers: [{ number: '123', application: 'ghost' }] } }));
    await assert.rejects(start(dataDir, {}, file), /jambonz\.phoneNumbers "123": no application "ghost"/);
  });
});

describe('jambonz platform: config-file applications and inbound routing', () => {
  let dataDir: string;
  let server: Server;
  let phone: TestPhone;
  let closedPort: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-jz-route-'));
    closedPort = await freePort();
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify({
      jambonz: {
        // A hook nobody answers: whatever runs the call, the caller gets 480 (specs/jambonz.md §2.1).
        applications: [{ name: 'ivr', call_hook: `http://127.0.0.1:${closedPort}/hook` }],
        phoneNumbers: [{ number: '+15083728299', application: 'ivr' }],
        patterns: [{ pattern: '_77XX', application: 'ivr' }],
      },
    }));
    server = await start(dataDir, {}, file);
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const uri = (user: string): string => `sip:${user}@${server.sipAddress}`;

  it('shows config applications and numbers over REST, read-only', async () => {
    const apps = (await rest(server, 'GET', '/v1/Applications')).body as { application_sid: string; name: string }[];
    assert.deepEqual(apps.map((a) => a.name), ['ivr']);
    const sid = apps[0]!.application_sid;
    const again = (await rest(server, 'GET', `/v1/Applications/${sid}`)).body as Record<string, unknown>;
    assert.equal(again['name'], 'ivr');
    assert.equal((await rest(server, 'PUT', `/v1/Applications/${sid}`, { name: 'x' })).status, 422);
    assert.equal((await rest(server, 'DELETE', `/v1/Applications/${sid}`)).status, 422);
    const numbers = (await rest(server, 'GET', '/v1/PhoneNumbers')).body as { number: string; application_sid: string }[];
    assert.deepEqual(numbers.map((n) => [n.number, n.application_sid]), [['15083728299', sid]]);
  });

  it('routes an application number (with and without +) and a pattern to the application; demo numbers still answer', async () => {
    for (const user of ['15083728299', '+15083728299', '7701']) {
      const r = await phone.call(uri(user));
      assert.equal(r.ok, false, `${user} is not answered by the demo`);
      if (!r.ok) assert.equal(r.status, 480, `${user}: the application's outcome`);
    }
    const unknown = await phone.call(uri('15550000000'));
    assert.ok(unknown.ok, 'a number nobody claims reaches the built-in demo application');
    if (unknown.ok) await unknown.call.hangup();
    const echo = await phone.call(uri('echo'));
    assert.ok(echo.ok, 'the demo echo test still answers');
    if (echo.ok) await echo.call.hangup();
    await until('channels to end', () => server.sw.counts().channels === 0);
  });

  it('follows numbers added and removed over REST', async () => {
    const sid = (((await rest(server, 'GET', '/v1/Applications')).body as { application_sid: string }[])[0]!).application_sid;
    const made = await rest(server, 'POST', '/v1/PhoneNumbers', { number: '15550000001', application_sid: sid });
    assert.equal(made.status, 201);
    const routed = await phone.call(uri('+15550000001'));
    assert.equal(routed.ok ? 200 : routed.status, 480);
    assert.equal((await rest(server, 'DELETE', `/v1/PhoneNumbers/${(made.body as { sid: string }).sid}`)).status, 204);
    const gone = await phone.call(uri('15550000001'));
    assert.ok(gone.ok, 'back to the built-in demo application');
    if (gone.ok) await gone.call.hangup();
    await until('channels to end', () => server.sw.counts().channels === 0);
  });
});
