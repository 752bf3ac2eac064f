/**
 * The `whisper` command (specs/jambonz.md §1.6) from a WebSocket application written with
 * `@jambonz/node-client-ws`, over real SIP: before the dial is connected the command is answered with
 * `jambonz:error`; once the callee answered, `{whisper: play}` is heard by the callee only, and a
 * whisper with another verb than say / play is answered with `jambonz:error` while the dial stays up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface SdkSession extends EventEmitter {
  call_sid: string;
  answer(opts?: Record<string, unknown>): SdkSession;
  pause(opts: Record<string, unknown>): SdkSession;
  dial(opts: Record<string, unknown>): SdkSession;
  send(opts?: { execImmediate?: boolean }): void;
  sendCommand(command: string, data: unknown): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

describe('jambonz whisper command from a @jambonz/node-client-ws application', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: PhoneCall[] = [];
  let web: HttpServer;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void;
  const sessions: SdkSession[] = [];
  const errors: Record<string, unknown>[] = [];

  before(async () => {
    srv = await startTestServer();
    caller = await TestPhone.start();
    callee = await TestPhone.start();
    callee.answerCalls(answered);
    web = createServer();
    const svc = createEndpoint({ server: web })({ path: '/ws' });
    svc.on('session:new', (s: SdkSession) => {
      sessions.push(s);
      s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
      s.answer().pause({ length: 0.4 }).dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }] }).send();
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = srv.server.jambonz.account;
    const app: JambonzApplication = { application_sid: 'ws-whisper', account_sid: account.account_sid, name: 'ws-whisper', call_hook: `ws://127.0.0.1:${port}/ws` };
    unroute = srv.server.sw.router.register({ number: 'jz-ws-whisper', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await caller.close();
    await callee.close();
    await srv.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  test('no dial yet: jambonz:error; during the dial the callee alone hears the whisper', async () => {
    const r = await caller.call(srv.uri('jz-ws-whisper'));
    assert.ok(r.ok);
    await until('the app session', () => sessions.length === 1);
    sessions[0]!.sendCommand('whisper', { whisper: { verb: 'play', url: 'tone_stream://%(500,0,600)' } });
    await until('an error: no dial is connected', () => errors.length === 1);
    assert.equal(errors[0]!['command'], 'whisper');
    assert.match(String(errors[0]!['details']), /no dial is connected/);

    await until('bridged', () => srv.server.sw.bridges().length === 1 && answered.length === 1);
    const b = answered[0]!;
    await delay(200);
    const callerMark = r.call.received.length;
    const calleeMark = b.received.length;
    sessions[0]!.sendCommand('whisper', { whisper: [{ verb: 'play', url: 'tone_stream://%(800,0,600)' }] });
    await until('the callee hears the whisper', () => b.receivedLevel(calleeMark) > 200);
    await delay(400);
    assert.ok(r.call.receivedLevel(callerMark) < 50, 'the caller hears nothing of it');

    sessions[0]!.sendCommand('whisper', { whisper: { verb: 'hangup' } });
    await until('an error for a whisper that is not say / play', () => errors.length === 2);
    assert.match(String(errors[1]!['details']), /only say and play/);
    assert.equal(srv.server.sw.bridges().length, 1, 'the dial is still up');
    await r.call.hangup();
    await until('the callee gets BYE', () => b.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
  });
});
