/**
 * sipp as the caller of jambonz applications on the whole server: each call is INVITE -> 200 -> ACK,
 * then the application says a line and hangs up, and sipp answers the server's BYE
 * (test/interop/scenarios/jambonz-say-bye.xml). Apps: a plain HTTP webhook, a
 * `@jambonz/node-client-ws` WebSocket app, and a webhook whose first reply is malformed (every call
 * refused with 480, then the good app still answers).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

if (!sippAvailable()) {
  throw new Error('sipp is not installed (Debian package sip-tester); run .ci/run or apt-get install sip-tester');
}

const scenario = fileURLToPath(new URL('./scenarios/jambonz-say-bye.xml', import.meta.url));
interface SdkSession extends EventEmitter {
  say(opts: Record<string, unknown>): SdkSession;
  hangup(): SdkSession;
  send(): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

describe('sipp calls jambonz applications', () => {
  let srv: TestServer;
  let web: HttpServer;
  let ws: HttpServer;
  const statuses: string[] = [];

  before(async () => {
    srv = await startTestServer();
    web = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/status') {
          statuses.push(String((JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>)['call_status']));
          res.end('{}');
        } else if (req.url === '/bad') res.end('{"verb": "say"');
        else res.end(JSON.stringify([{ verb: 'say', text: 'Goodbye.' }, { verb: 'hangup' }]));
      });
    });
    ws = createServer();
    createEndpoint({ server: ws })({ path: '/ws' }).on('session:new', (s: SdkSession) => s.say({ text: 'Goodbye.' }).hangup().send());
    for (const s of [web, ws]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s: HttpServer): number => (s.address() as { port: number }).port;
    const j = srv.server.jambonz;
    const post = async (path: string, body: unknown): Promise<string> => {
      const res = await fetch(`${j.baseUrl}/v1/${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      assert.equal(res.status, 201);
      return ((await res.json()) as { sid: string }).sid;
    };
    const apps: [string, Record<string, unknown>][] = [
      ['5550201', { call_hook: `http://127.0.0.1:${port(web)}/call`, call_status_hook: `http://127.0.0.1:${port(web)}/status` }],
      ['5550202', { call_hook: `ws://127.0.0.1:${port(ws)}/ws` }],
      ['5550203', { call_hook: `http://127.0.0.1:${port(web)}/bad` }],
    ];
    for (const [number, hooks] of apps) {
      const sid = await post('Applications', { name: `sipp-${number}`, ...hooks });
      await post('PhoneNumbers', { number, application_sid: sid });
    }
  });

  after(async () => {
    await srv.close();
    for (const s of [web, ws]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });

  const sipp = async (number: string, calls: number, extra: string[] = []) => runSipp({
    args: ['-sf', scenario, '-s', number, `127.0.0.1:${srv.port}`, '-i', '127.0.0.1', '-p', String(await freePort()),
      '-cp', String(await freePort()), '-mp', String(await freePort()), '-r', '10', '-m', String(calls), ...extra],
    timeoutMs: 20_000,
  });

  test('an HTTP webhook app: every call answered, spoken to and hung up by the server', async () => {
    statuses.length = 0;
    const r = await sipp('5550201', 5);
    assert.equal(r.successful, 5, r.stderr);
    assert.equal(r.failed, 0);
    await waitIdle(srv.server, (what, check) => until(what, check, 5000));
    await until('the status hooks', () => statuses.filter((s) => s === 'completed').length === 5, 5000);
    assert.equal(statuses.filter((s) => s === 'in-progress').length, 5);
  });

  test('a node-client-ws app: every call answered and hung up by the server', async () => {
    const r = await sipp('5550202', 5);
    assert.equal(r.successful, 5, r.stderr);
    assert.equal(r.failed, 0);
    await waitIdle(srv.server, (what, check) => until(what, check, 5000));
  });

  test('a malformed first reply: every call refused with 480; the server keeps serving', async () => {
    const r = await sipp('5550203', 3);
    assert.equal(r.successful, 0);
    assert.equal(r.failed, 3);
    assert.equal(r.stats['FailedUnexpectedMessage(C)'], '3', 'each INVITE got a final failure (480) instead of 200');
    const again = await sipp('5550201', 2);
    assert.equal(again.successful, 2);
    await waitIdle(srv.server, (what, check) => until(what, check, 5000));
  });
});
