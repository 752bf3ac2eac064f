/**
 * `whisper` during a dial (specs/jambonz.md §1.6 `whisper`, §2.6 REST update `whisper`) over real SIP: a
 * test phone calls the server, the app dials a second SIP stack that answers, and the REST update
 * plays a tone to the dialed party only: the callee hears it, the caller does not, and the bridge
 * still carries audio both ways afterwards. Malformed whisper data is answered 400.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { IncomingInvite } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { TestPhone, offerSdp, PhoneCall, type ReceivedRtp } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { readBody } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('jambonz whisper to the dialed party', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let calleePhone: TestPhone;
  let web: HttpServer;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void = () => {};
  const answered: PhoneCall[] = [];
  const callSids: string[] = [];

  before(async () => {
    srv = await startTestServer();
    caller = await TestPhone.start();
    calleePhone = await TestPhone.start();
    calleePhone.stack.handle({
      onInvite: (invite: IncomingInvite) => {
        const received: ReceivedRtp[] = [];
        void calleePhone.rtpSocket(received).then(async ({ socket, port }) => {
          const offer = invite.offer?.body.toString('utf8') ?? '';
          const remote = { address: /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1] ?? '127.0.0.1', port: Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0) };
          const dialog = await invite.accept({ body: offerSdp(port), contentType: 'application/sdp' });
          answered.push(new PhoneCall(dialog, remote, socket, received));
        }).catch(() => undefined);
      },
    });
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/call') callSids.push(String((JSON.parse(text) as Record<string, unknown>)['call_sid']));
        res.end(JSON.stringify(req.url === '/call' ? [
          { verb: 'dial', target: [{ type: 'sip', sipUri: `sip:answer@127.0.0.1:${calleePhone.port}` }] },
          { verb: 'hangup' },
        ] : []));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = srv.server.jambonz.account;
    const app: JambonzApplication = { application_sid: 'whisper-dial', account_sid: account.account_sid, name: 'whisper-dial', call_hook: `${base}/call` };
    unroute = srv.server.sw.router.register({ number: 'jz-whisper', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await caller.close();
    await calleePhone.close();
    await srv.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  test('REST whisper during a dial: the callee hears it, the caller does not', async () => {
    const r = await caller.call(srv.uri('jz-whisper'));
    assert.ok(r.ok);
    await until('the callee to answer', () => answered.length === 1);
    const callee = answered[0]!;
    const live = manager.get(callSids[0]!);
    assert.ok(live, 'the A leg is a live call');
    await delay(300);
    const callerMark = r.call.received.length;
    const calleeMark = callee.received.length;
    const bad = await live.update({ whisper: { verb: 'gather' } });
    assert.equal(bad.status, 400, 'only say and play verbs');
    const ok = await live.update({ whisper: { verb: 'play', url: 'tone_stream://%(1000,0,600)' } });
    assert.equal(ok.status, 202);
    await until('the callee hears the whisper', () => callee.receivedLevel(calleeMark) > 200);
    await delay(600);
    assert.ok(r.call.receivedLevel(callerMark) < 50, `the caller hears nothing of it (level ${r.call.receivedLevel(callerMark)})`);
    const afterWhisper = r.call.received.length;
    await callee.sendTone(440, 400);
    await until('the bridge still carries the callee to the caller', () => r.call.receivedLevel(afterWhisper) > 200);
    await r.call.hangup();
    await until('the callee gets BYE', () => callee.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
  });
});
