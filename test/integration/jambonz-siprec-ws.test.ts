/**
 * SIPREC from the `record` WebSocket command (specs/jambonz.md §1.6) of a `@jambonz/node-client-ws`
 * application, over real SIP with sipp as the recording server: a server that refuses (488) is reported
 * to the app as `jambonz:error` `record failed` while the call goes on; a bad URI is refused at once; a
 * server that answers gets both parties' RTP, and `stopCallRecording` ends the session with BYE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { requireSipp } from '../support/sipp-peer.ts';
import { runSipp, type SippResult } from '../support/sipp.ts';
import type { TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
  let fx: JambonzFixture;
  let phone: TestPhone;
  const sessions: WsSession[] = [];
  const errors: Record<string, unknown>[] = [];

  before(async () => {
    requireSipp();
    fx = await startJambonz();
    phone = await fx.phone();
    const url = fx.ws('/ws', (s) => {
      sessions.push(s);
      s.on('jambonz:error', (e: Record<string, unknown>) => errors.push(e));
      s.answer().pause({ length: 20 }).send();
    });
    fx.route('jz-ws-siprec', { application_sid: 'ws-siprec', name: 'ws-siprec', call_hook: url });
  });

  after(() => fx?.close());

  test('refused: record failed; bad URI: invalid command; answered: RTP on both streams, stop sends BYE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-siprec-ws-'));
    const s1 = await rtpCounter();
    const s2 = await rtpCounter();
    try {
      const r = await phone.call(fx.srv.uri('jz-ws-siprec'));
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
      await fx.idle();
    } finally {
      s1.socket.close();
      s2.socket.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
