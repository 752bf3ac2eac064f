/**
 * `dial` driven by a WebSocket application written with `@jambonz/node-client-ws`, over real SIP: the
 * app dials a test phone with a confirmHook; the screening request arrives as `dial:confirm` on the
 * app's socket with the B leg's call info and the app's reply (a short pause) runs on the B leg before
 * the bridge. Then the app sends `redirect {child_call: [...]}`: the B leg leaves the bridge and runs its
 * own verbs (pause, hangup: the callee gets BYE), the dial ends with `dial_call_status: completed` and
 * the A leg goes on with the actionHook reply. A bad child app and a conference command for a call not
 * in a conference are answered with jambonz:error; the dial stays up. The `dial` command places a new
 * call from a create-call body (a bad body: jambonz:error).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

interface SdkSession extends EventEmitter {
  call_sid: string;
  dial(opts: Record<string, unknown>): SdkSession;
  pause(opts: Record<string, unknown>): SdkSession;
  hangup(opts?: Record<string, unknown>): SdkSession;
  send(opts?: { execImmediate?: boolean }): void;
  reply(): void;
  sendCommand(command: string, data: unknown): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

describe('jambonz dial with a @jambonz/node-client-ws application', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let callee: TestPhone;
  const answered: PhoneCall[] = [];
  let web: HttpServer;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void;
  const sessions: SdkSession[] = [];
  const events: { name: string; data: Record<string, unknown> }[] = [];
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
      s.on('/confirm', (data: Record<string, unknown>) => {
        events.push({ name: 'confirm', data });
        s.pause({ length: 0.2 }).reply();
      });
      s.on('/dial-action', (data: Record<string, unknown>) => {
        events.push({ name: 'action', data });
        s.hangup().reply();
      });
      s.dial({ target: [{ type: 'sip', sipUri: `sip:agent@127.0.0.1:${callee.port}` }], confirmHook: '/confirm', actionHook: '/dial-action' }).send();
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz!.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = srv.server.jambonz!.account;
    const app: JambonzApplication = { application_sid: 'ws-dial', account_sid: account.account_sid, name: 'ws-dial', call_hook: `ws://127.0.0.1:${port}/ws` };
    unroute = srv.server.sw.router.register({ number: 'jz-ws-dial', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
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

  test('dial:confirm over the socket screens the B leg; redirect child_call gives it its own verbs', async () => {
    const r = await caller.call(srv.uri('jz-ws-dial'));
    assert.ok(r.ok, 'the caller is answered');
    await until('the screening request', () => events.some((e) => e.name === 'confirm'));
    const confirm = events.find((e) => e.name === 'confirm')!.data;
    assert.equal(confirm['direction'], 'outbound');
    assert.equal(confirm['parent_call_sid'], sessions[0]!.call_sid);
    assert.equal(confirm['call_status'], 'in-progress');
    await until('bridged after the screening', () => srv.server.sw.bridges().length === 1);
    const b = answered[0]!;
    void sendPacedTone(r.call, 600, { ms: 500 });
    await until('the callee hears the caller', () => b.receivedLevel() > 500);

    sessions[0]!.sendCommand('redirect', { child_call: [{ verb: 'pause', length: 0.3 }, { verb: 'hangup' }] });
    await until('the dial actionHook', () => events.some((e) => e.name === 'action'));
    const action = events.find((e) => e.name === 'action')!.data;
    assert.equal(action['dial_call_status'], 'completed');
    assert.equal(action['dial_call_sid'], confirm['call_sid']);
    await until('BYE to the callee from its own verbs', () => b.dialog.state === 'terminated');
    await until('BYE to the caller (actionHook reply)', () => r.call.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
    await until('sessions gone', () => manager.size === 0);

    const before = errors.length;
    const r2 = await caller.call(srv.uri('jz-ws-dial'));
    assert.ok(r2.ok);
    await until('second call bridged', () => srv.server.sw.bridges().length === 1);
    sessions[1]!.sendCommand('redirect', { child_call: 'not verbs' });
    sessions[1]!.sendCommand('conf:hold-status', { conf_hold_status: 'hold' });
    await until('errors for the bad child app and the conference command', () => errors.length >= before + 2);
    assert.deepEqual(errors.slice(before).map((e) => e['command']), ['redirect', 'conf:hold-status']);
    assert.equal(srv.server.sw.bridges().length, 1, 'the dial is still up');

    // The dial command places a new call (create-call body) with its own inline application.
    const placed = answered.length;
    sessions[1]!.sendCommand('dial', {
      from: '15550009', to: { type: 'sip', sipUri: `sip:other@127.0.0.1:${callee.port}` },
      app_json: JSON.stringify([{ verb: 'pause', length: 0.3 }, { verb: 'hangup' }]),
    });
    sessions[1]!.sendCommand('dial', { to: { type: 'sip', sipUri: 'sip:x@127.0.0.1' } });
    await until('the placed call is answered', () => answered.length === placed + 1);
    await until('and hung up by its own verbs', () => answered[placed]!.dialog.state === 'terminated');
    await until('an error for the dial without from', () => errors.slice(before).some((e) => e['command'] === 'dial'));
    await r2.call.hangup();
    await waitIdle(srv.server, until);
  });
});
