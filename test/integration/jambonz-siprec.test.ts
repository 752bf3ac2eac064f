/**
 * SIPREC (RFC 7866) from the jambonz `record` command family over real SIP: a jambonz app starts a
 * recording with `config.record {siprecServerURL}` (before the answer: it starts with it), sipp plays
 * the recording server (a scenario written here whose 200 OK points the two streams at UDP sockets the
 * test opened, stream 1 in PCMU and stream 2 in PCMA), REST pauses, resumes and stops it. Checked: the
 * INVITE (Require: siprec, +sip.src, the app's header, a multipart body with two labelled send-only
 * streams and RFC 7865 metadata naming the call and its parties), the RTP of both parties at both
 * sockets (what the caller says on 1, what it hears on 2, each in its codec), nothing sent while paused
 * (re-INVITE a=inactive), and the BYE on stop. Run with the call's media on the main thread and in a
 * media worker. Bad URLs are refused with 400; the call goes on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alawExpand, ulawExpand } from '../../src/media/index.ts';
import { parseMultipart } from '../../src/sip/index.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { freePort } from '../support/ports.ts';
import { requireSipp } from '../support/sipp-peer.ts';
import { runSipp, type SippResult } from '../support/sipp.ts';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The recording server's side: INVITE -> 200 (streams at p1 / p2), pause and resume re-INVITEs, BYE. */
function srsScenario(p1: number, p2: number): string {
  const sdp = (dir: string): string => [
    'v=0', 'o=srs 1 1 IN IP4 127.0.0.1', 's=srs', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${p1} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=label:1', `a=${dir}`,
    `m=audio ${p2} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=label:2', `a=${dir}`,
  ].join('\n');
  const ok = (to: string, dir: string): string => `<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
${to}
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:srs@[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

${sdp(dir)}
]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="siprec recording server">
<recv request="INVITE"/>
${ok('[last_To:];tag=[pid]SIPpTag01[call_number]', 'recvonly')}
<recv request="ACK"/>
<recv request="INVITE"/>
${ok('[last_To:]', 'inactive')}
<recv request="ACK"/>
<recv request="INVITE"/>
${ok('[last_To:]', 'recvonly')}
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

interface Received {
  pt: number;
  payload: Buffer;
}

async function rtpSink(): Promise<{ port: number; socket: Socket; packets: Received[] }> {
  const port = await freePort();
  const socket = createSocket('udp4');
  const packets: Received[] = [];
  socket.on('message', (m) => {
    if (m.length > 12 && m[0]! >> 6 === 2) packets.push({ pt: m[1]! & 0x7f, payload: Buffer.from(m.subarray(12)) });
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return { port, socket, packets };
}

function decode(packets: readonly Received[], expand: (code: number) => number): Int16Array {
  const out = new Int16Array(packets.reduce((n, p) => n + p.payload.length, 0));
  let at = 0;
  for (const p of packets) for (const b of p.payload) out[at++] = expand(b);
  return out;
}

/** The SIP requests sipp received, from its -message_file trace, by method. */
function requestsIn(trace: string, method: string): string[] {
  return trace.split(/^-{10,}.*$/m)
    .map((m) => m.replace(/^\s*\S+ message (received|sent)[^\n]*\n/, '').trim())
    .filter((m) => m.startsWith(`${method} sip:`));
}

for (const mediaWorkers of [0, 1]) {
  describe(`jambonz record to a SIPREC server (sipp), media ${mediaWorkers ? 'in a worker' : 'on the main thread'}`, () => {
    let srv: TestServer;
    let phone: TestPhone;
    let web: HttpServer;
    let base = '';
    const NUMBER = '5550711';
    let app: unknown[] = [];
    const calls: Record<string, unknown>[] = [];

    before(async () => {
      requireSipp();
      srv = await startTestServer({ mediaWorkers });
      phone = await TestPhone.start();
      web = createServer((req: IncomingMessage, res) => {
        let text = '';
        req.on('data', (c: Buffer) => { text += c.toString('utf8'); });
        req.on('end', () => {
          if (req.url === '/call') calls.push(JSON.parse(text || '{}') as Record<string, unknown>);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(req.url === '/call' ? app : []));
        });
      });
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      const addr = web.address();
      base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
      const created = await rest('POST', '/v1/Applications', { name: 'siprec', account_sid: account(), call_hook: { url: `${base}/call`, method: 'POST' } });
      assert.equal((await rest('POST', '/v1/PhoneNumbers', { number: NUMBER, application_sid: created.body['sid'], account_sid: account() })).status, 201);
    });

    after(async () => {
      await phone?.close();
      await srv?.close();
      web?.closeAllConnections();
      await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    });

    const account = (): string => srv.server.jambonz.account.account_sid;
    async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await fetch(`${srv.server.jambonz.baseUrl}${path}`, {
        method, headers: { authorization: `Bearer ${srv.server.jambonz.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    }
    const update = async (callSid: string, body: unknown): Promise<number> => (await rest('PUT', `/v1/Accounts/${account()}/Calls/${callSid}`, body)).status;

    test('INVITE with multipart SDP + metadata, both parties forked as RTP, pause / resume by re-INVITE, BYE on stop', async () => {
      const s1 = await rtpSink();
      const s2 = await rtpSink();
      const dir = mkdtempSync(join(tmpdir(), 'sb-siprec-'));
      try {
        writeFileSync(join(dir, 'srs.xml'), srsScenario(s1.port, s2.port));
        const sippPort = await freePort();
        const srs: Promise<SippResult> = runSipp({
          args: ['-sf', 'srs.xml', '-i', '127.0.0.1', '-p', String(sippPort), '-m', '1', '-trace_msg', '-message_file', 'messages.log'],
          timeoutMs: 30_000,
          cwd: dir,
        });
        await sleep(300);
        calls.length = 0;
        app = [
          { verb: 'config', record: { action: 'startCallRecording', siprecServerURL: `sip:srs@127.0.0.1:${sippPort}`, recordingID: 'rec-7', headers: { 'X-Tenant': 'acme' } } },
          { verb: 'play', url: 'tone_stream://%(20000,0,1000)' },
        ];
        const r = await phone.call(srv.uri(NUMBER), { from: '<sip:+15551230001@127.0.0.1>' });
        assert.ok(r.ok, 'answered');
        await until('the call hook', () => calls.length === 1);
        const callSid = calls[0]!['call_sid'] as string;
        const callId = calls[0]!['call_id'] as string;
        let talking = true;
        const talk = sendPacedTone(r.call, 600, { ms: 8000, until: () => !talking });
        await until('RTP on both streams', () => s1.packets.length >= 60 && s2.packets.length >= 60);
        assert.ok(s1.packets.every((p) => p.pt === 0), 'stream 1 in PCMU');
        assert.ok(s2.packets.every((p) => p.pt === 8), 'stream 2 in PCMA');
        assert.equal(dominantFrequency(decode(s1.packets.slice(-40), ulawExpand), 8000), 600, 'stream 1: what the caller says');
        assert.equal(dominantFrequency(decode(s2.packets.slice(-40), alawExpand), 8000), 1000, 'stream 2: what the caller hears');

        assert.equal(await update(callSid, { record: { action: 'startCallRecording', siprecServerURL: 'http://srs.example' } }), 400, 'not a sip: URI');
        assert.equal(await update(callSid, { record: { action: 'startCallRecording', siprecServerURL: `sip:srs@127.0.0.1:${sippPort}` } }), 422, 'already recording');

        assert.equal(await update(callSid, { record: { action: 'pauseCallRecording' } }), 202);
        await sleep(400);
        const paused = [s1.packets.length, s2.packets.length];
        await sleep(400);
        assert.ok(s1.packets.length - paused[0]! <= 2 && s2.packets.length - paused[1]! <= 2, 'nothing sent while paused');
        assert.equal(await update(callSid, { record: { action: 'resumeCallRecording' } }), 202);
        await until('RTP again after resume', () => s1.packets.length >= paused[0]! + 20 && s2.packets.length >= paused[1]! + 20);
        assert.equal(await update(callSid, { record: { action: 'stopCallRecording' } }), 202);
        const result = await srs;
        assert.equal(result.successful, 1, `sipp saw the whole recording session: ${result.stderr}`);
        const count = [s1.packets.length, s2.packets.length];
        await sleep(200);
        assert.ok(s1.packets.length - count[0]! <= 2, 'nothing sent after the BYE');

        const trace = existsSync(join(dir, 'messages.log')) ? readFileSync(join(dir, 'messages.log'), 'utf8') : '';
        const invites = requestsIn(trace, 'INVITE');
        assert.equal(invites.length, 3, 'the INVITE and two re-INVITEs');
        const invite = invites[0]!;
        assert.match(invite, /^Require: *siprec\s*$/im);
        assert.match(invite, /^Contact: *<sip:[^>]+>;\+sip\.src\s*$/im);
        assert.match(invite, /^X-Tenant: *acme\s*$/im);
        const type = /^Content-Type: *(multipart\/mixed;.*)$/im.exec(invite)?.[1]?.trim();
        assert.ok(type, 'multipart/mixed body');
        const rawBody = invite.slice(invite.search(/\r?\n\r?\n/)).replace(/^\s+/, '');
        const parts = parseMultipart(Buffer.from(rawBody.replace(/\r?\n/g, '\r\n')), type);
        assert.equal(parts.length, 2);
        const sdp = parts[0]!.body.toString('utf8');
        assert.equal(parts[0]!.headers.get('content-type'), 'application/sdp');
        assert.equal((sdp.match(/^m=audio /gm) ?? []).length, 2);
        assert.equal((sdp.match(/^a=sendonly/gm) ?? []).length, 2);
        assert.match(sdp, /a=label:1[\s\S]*a=label:2/);
        assert.equal(parts[1]!.headers.get('content-type'), 'application/rs-metadata+xml');
        assert.equal(parts[1]!.headers.get('content-disposition'), 'recording-session');
        const xml = parts[1]!.body.toString('utf8');
        assert.match(xml, /<recording xmlns="urn:ietf:params:xml:ns:recording:1">/);
        assert.ok(xml.includes(`<sipSessionID>${callId}</sipSessionID>`), 'the call\'s Call-ID');
        assert.match(xml, /<nameID aor="sip:\+15551230001@127\.0\.0\.1">/, 'the caller');
        assert.match(xml, new RegExp(`<nameID aor="sip:${NUMBER}@`), 'the callee');
        assert.equal((xml.match(/<participantstreamassoc /g) ?? []).length, 2);
        assert.match(xml, /<label>1<\/label>[\s\S]*<label>2<\/label>/);
        assert.ok(xml.includes(`<jb:callsid>${callSid}</jb:callsid>`) && xml.includes('<jb:recordingid>rec-7</jb:recordingid>'));
        assert.match(invites[1]!, /^a=inactive/m, 'pause: streams inactive');
        assert.match(invites[2]!, /^a=sendonly/m, 'resume: streams sendonly again');
        assert.equal(requestsIn(trace, 'BYE').length, 1, 'BYE on stop');

        assert.equal(r.call.dialog.state, 'confirmed', 'the call goes on');
        talking = false;
        await talk;
        await r.call.hangup();
        await waitIdle(srv.server, until);
      } finally {
        s1.socket.close();
        s2.socket.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
