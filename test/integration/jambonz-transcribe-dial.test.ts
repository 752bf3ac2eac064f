/**
 * `dial` with a nested `transcribe` (specs/jambonz.md §3.A dial/transcribe, §2.4 transcriptionHook)
 * over real SIP: a test phone calls the server, the app dials a second SIP stack that answers, and both
 * legs are transcribed while bridged (`recognizer.separateRecognitionPerChannel`) by a local
 * custom-vendor STT server that answers a final transcript after 0.5 s of loud audio. What the caller
 * says comes back with `channel_tag` 1, what the callee says with 2; both recognizers stop when the
 * callee hangs up and the dial ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import type { IncomingInvite } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { CustomSttProvider } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, recognizerFrom, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { TestPhone, offerSdp, PhoneCall, type ReceivedRtp } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { readBody } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

/** Mean absolute level of little-endian 16-bit samples. */
function level(buf: Buffer): number {
  let sum = 0;
  const n = Math.floor(buf.length / 2);
  for (let i = 0; i < n; i++) sum += Math.abs(buf.readInt16LE(i * 2));
  return n === 0 ? 0 : sum / n;
}

interface Speech { is_final: boolean; channel_tag: number; alternatives: { transcript: string }[] }

describe('jambonz dial with nested transcribe of both legs', () => {
  let srv: TestServer;
  let caller: TestPhone;
  let calleePhone: TestPhone;
  let web: HttpServer;
  let stt: WebSocketServer;
  let provider: CustomSttProvider;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void = () => {};
  const hooks: Record<string, unknown>[] = [];
  const events = { starts: 0, closes: 0 };
  const answered: PhoneCall[] = [];

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
        if (req.url === '/t') hooks.push(JSON.parse(text) as Record<string, unknown>);
        res.end(JSON.stringify(req.url === '/call' ? [{
          verb: 'dial', target: [{ type: 'sip', sipUri: `sip:answer@127.0.0.1:${calleePhone.port}` }],
          transcribe: { transcriptionHook: '/t', recognizer: { vendor: 'custom', separateRecognitionPerChannel: true } },
        }, { verb: 'hangup' }] : []));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
    stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    stt.on('connection', (ws) => {
      let loud = 0;
      ws.on('close', () => { events.closes += 1; });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          if ((JSON.parse(data.toString()) as Record<string, unknown>)['type'] === 'start') events.starts += 1;
          return;
        }
        const buf = data as Buffer;
        if (level(buf) < 500) return;
        loud += buf.length;
        if (loud >= 16_000) {
          loud = 0;
          ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: 'heard you', confidence: 0.9 }] }));
        }
      });
    });
    await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
    provider = new CustomSttProvider({ url: `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt` });
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
      stt: recognizerFrom(provider),
    });
    const account = srv.server.jambonz.account;
    const app: JambonzApplication = { application_sid: 'tr-dial', account_sid: account.account_sid, name: 'tr-dial', call_hook: `${base}/call` };
    unroute = srv.server.sw.router.register({ number: 'jz-tr-dial', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await provider.close();
    await caller.close();
    await calleePhone.close();
    await srv.close();
    for (const c of stt.clients) c.terminate();
    await new Promise<void>((resolve) => stt.close(() => resolve()));
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  test('caller and callee are transcribed separately (channel_tag 1 and 2); the dial end stops both', async () => {
    const r = await caller.call(srv.uri('jz-tr-dial'));
    assert.ok(r.ok);
    await until('the callee to answer', () => answered.length === 1);
    await until('one recognizer per leg', () => events.starts === 2);
    const tags = (): number[] => hooks.map((h) => (h['speech'] as Speech).channel_tag);
    await r.call.sendTone(300, 800);
    await until('the caller transcript', () => tags().includes(1));
    assert.deepEqual(tags(), [1], 'the callee leg heard nothing loud yet');
    await answered[0]!.sendTone(500, 800);
    await until('the callee transcript', () => tags().includes(2));
    const speech = hooks.map((h) => h['speech'] as Speech);
    assert.ok(speech.every((s) => s.is_final && s.alternatives[0]!.transcript === 'heard you'));
    assert.equal(typeof hooks[0]!['call_sid'], 'string');
    await answered[0]!.hangup();
    await until('both recognizers stopped', () => events.closes === 2);
    await until('the caller gets BYE', () => r.call.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
  });
});
