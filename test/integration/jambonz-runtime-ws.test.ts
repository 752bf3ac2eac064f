/**
 * The jambonz call runtime with a WebSocket application written with `@jambonz/node-client-ws`, over a
 * real SIP call from the test phone: the app answers and leaves the stack empty, the call stays up
 * idle (§1.7), then a `command: redirect` (the SDK's send()) wakes it to say and hang up. A second call
 * checks queueCommand: a queued say waits behind the running one, an immediate redirect kills it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

interface SdkSession extends EventEmitter {
  call_sid: string;
  answer(opts?: Record<string, unknown>): SdkSession;
  say(opts: Record<string, unknown>): SdkSession;
  pause(opts: Record<string, unknown>): SdkSession;
  hangup(opts?: Record<string, unknown>): SdkSession;
  send(opts?: { execImmediate?: boolean }): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

describe('jambonz runtime over SIP with a @jambonz/node-client-ws application', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let ttsDir = '';
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void;
  const sessions: SdkSession[] = [];
  const statuses: string[] = [];
  let onNew: (s: SdkSession) => void = () => {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer();
    const svc = createEndpoint({ server: web })({ path: '/ws' });
    svc.on('session:new', (s: SdkSession) => {
      sessions.push(s);
      s.on('call:status', (evt: { call_status: string }) => statuses.push(evt.call_status));
      onNew(s);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz!.catalog, log: silentLogger(),
      requestorFactory: makeRequestorFactory(), validate: validateVerbs,
      tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })),
    });
    const account = srv.server.jambonz!.account;
    const app: JambonzApplication = { application_sid: 'ws-app', account_sid: account.account_sid, name: 'ws', call_hook: `ws://127.0.0.1:${port}/ws` };
    unroute = srv.server.sw.router.register({ number: 'jz-ws', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);
  const live = () => manager.session(sessions.at(-1)?.call_sid ?? '');

  test('an empty stack keeps the call up; a redirect command wakes it to speak and hang up', async () => {
    statuses.length = 0;
    onNew = (s) => s.answer().send();
    const r = await phone.call(srv.uri('jz-ws'));
    assert.ok(r.ok, 'answered');
    await until('the session to idle', () => live() !== undefined && live()!.currentVerb === undefined && live()!.pending.length === 0);
    await sleep(300);
    assert.notEqual(r.call.dialog.state, 'terminated', 'still up while idle');
    const before = r.call.received.length;
    sessions.at(-1)!.say({ text: 'Still there?' }).hangup().send();
    await until('speech after the command', () => r.call.receivedLevel(before) > 200);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
    await until('completed over the socket', () => statuses.includes('completed'));
    assert.deepEqual(statuses.filter((s) => s !== 'completed'), ['trying', 'in-progress']);
  });

  test('queueCommand true appends behind the running verb; false replaces it', async () => {
    onNew = (s) => s.pause({ length: 30 }).send();
    // pause does not answer: the INVITE stays pending until the app answers
    const calling = phone.call(srv.uri('jz-ws'));
    await until('the session to start its pause', () => live()?.currentVerb === 'pause');
    const s = sessions.at(-1)!;
    s.say({ text: 'queued' }).send({ execImmediate: false });
    await until('the queued verb', () => live()!.pending.some((v) => v.verb === 'say'));
    assert.equal(live()!.currentVerb, 'pause', 'the pause goes on');
    s.answer().pause({ length: 30 }).send({ execImmediate: true });
    const r = await calling;
    assert.ok(r.ok, 'answered by the replacing app');
    await until('the new pause', () => live()?.currentVerb === 'pause' && live()!.pending.length === 0);
    assert.equal(live()!.pending.some((v) => v.verb === 'say'), false, 'the queued say was replaced');
    s.hangup().send();
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });
});
