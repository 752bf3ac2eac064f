/**
 * SIPREC from the `record` WebSocket command (specs/jambonz.md §1.6) of a `@jambonz/node-client-ws`
 * application, over real SIP with sipp as the recording server: a server that refuses (488) is reported
 * to the app as `jambonz:error` `record failed` while the call goes on; a bad URI is refused at once; a
 * server that answers gets both parties' RTP, and `stopCallRecording` ends the session with BYE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { freePort } from '../support/ports.ts';
import { requireSipp } from '../support/sipp-peer.ts';
import { runSipp, type SippResult } from '../support/sipp.ts';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface SdkSession extends EventEmitter {
  answer(opts?: Record<string, unknown>): SdkSession;
  pause(opts: Record<string, unknown>): SdkSession;
  send(opts?: { execImmediate?: boolean }): void;
  sendCommand(command: string, data: unknown): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

const HEADERS = '[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]';

/** A recording server that refuses: INVITE -> 488, ACK. */
const REFUSE = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="refusing recording server">
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 488 Not Acceptable Here
${HEADERS}
Content-Length: 0

]]></send>
<recv request="ACK"/>
</scenario>
`;

/** A recording server that answers with both streams at p1 / p2 (PCMU), then takes the BYE. */
function answering(p1: number, p2: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="recording server">
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 200 OK
${HEADERS}
Contact: <sip:srs@[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=srs 1 1 IN IP4 127.0.0.1
s=srs
c=IN IP4 127.0.0.1
t=0 0
m=audio ${p1} RTP/AVP 0
a=recvonly
m=audio ${p2} RTP/AVP 0
a=recvonly
]]></send>
<recv request="ACK"/>
<recv request="BYE"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
`;
}

async function rtpCounter(): Promise<{ port: number; socket: Socket; count: () => number }> {
  const port = await freePort();
  const socket = createSocket('udp4');
  let n = 0;
  socket.on('message', (m) => {
    if (m.length > 12 && (m[1]! & 0x7f) === 0) n++;
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return { port, socket, count: () => n };
}

async function sippSrs(dir: string, name: string, scenario: string): Promise<{ port: number; done: Promise<SippResult> }> {
  writeFileSync(join(dir, `${name}.xml`), scenario);
  const port = await freePort();
  const done = runSipp({ args: ['-sf', `${name}.xml`, '-i', '127.0.0.1', '-p', String(port), '-m', '1'], timeoutMs: 20_000, cwd: dir });
  await sleep(300);
  return { port, done };
}

describe('jambonz record command (WebSocket app) to SIPREC servers played by sipp', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void;
  const sessions: SdkSession[] = [];
  const errors: Record<string, unknown>[] = [];

  before(async () => {
    requireSipp();
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer();
    const svc = createEndpoint({ server: web })({ path: '/ws' });
    svc.on('session:new', (s: SdkSession) => {
      sessions.push(s);
      s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
      s.answer().pause({ length: 20 }).send();
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = srv.server.jambonz.account;
    const app: JambonzApplication = { application_sid: 'ws-siprec', account_sid: account.account_sid, name: 'ws-siprec', call_hook: `ws://127.0.0.1:${port}/ws` };
    unroute = srv.server.sw.router.register({ number: 'jz-ws-siprec', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute?.();
    await manager?.close();
    await phone?.close();
    await srv?.close();
    web?.closeAllConnections();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
  });

  test('refused: record failed; bad URI: invalid command; answered: RTP on both streams, stop sends BYE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-siprec-ws-'));
    const s1 = await rtpCounter();
    const s2 = await rtpCounter();
    try {
      const r = await phone.call(srv.uri('jz-ws-siprec'));
      assert.ok(r.ok);
      await until('the app session', () => sessions.length === 1);
      const app = sessions[0]!;

      const refusing = await sippSrs(dir, 'refuse', REFUSE);
      app.sendCommand('record', { action: 'startCallRecording', siprecServerURL: `sip:srs@127.0.0.1:${refusing.port}`, recordingID: 'r1' });
      await until('record failed', () => errors.length === 1);
      assert.equal(errors[0]!['msg'], 'record failed');
      assert.match(String(errors[0]!['details']), /^SIPREC_REFUSED: recording server: 488/);
      assert.equal((await refusing.done).successful, 1);

      app.sendCommand('record', { action: 'startCallRecording', siprecServerURL: 'srs.example.com' });
      await until('invalid command', () => errors.length === 2);
      assert.equal(errors[1]!['msg'], 'invalid command');

      const answeringSrs = await sippSrs(dir, 'answer', answering(s1.port, s2.port));
      app.sendCommand('record', { action: 'startCallRecording', siprecServerURL: `sip:srs@127.0.0.1:${answeringSrs.port}` });
      await until('RTP on both streams', () => s1.count() >= 25 && s2.count() >= 25);
      app.sendCommand('record', { action: 'stopCallRecording' });
      const done = await answeringSrs.done;
      assert.equal(done.successful, 1, `the recording server got its BYE: ${done.stderr}`);
      assert.equal(errors.length, 2);
      assert.equal(r.call.dialog.state, 'confirmed', 'the call goes on');
      await r.call.hangup();
      await waitIdle(srv.server, until);
    } finally {
      s1.socket.close();
      s2.socket.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
