/**
 * listen / stream audio sockets over real SIP calls (specs/jambonz.md §3.C): a webhook app runs the verb,
 * and the socket peer is an audio service built with @jambonz/sdk's `makeService.audio` (subprotocol
 * audio.drachtio.org). Checked: the metadata frame (camelCase call info, metadata merged), byte counts
 * at 8 and 16 kHz, stereo channel order, passDtmf, playAudio with playDone, the app's disconnect and the
 * actionHook payload, finishOnKey, 64 kHz mixed audio with wsAuth, playBeep and maxLength,
 * bidirectional streaming echoed back to the caller with a mark, config.listen in the background, a
 * WebSocket app's `stream` with a relative URL paused and resumed by `listen:status` commands, and REST
 * listen_status pause / resume.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createEndpoint, type AudioStream, type Session } from '@jambonz/sdk/websocket';
import { TestPhone } from '../support/test-phone.ts';
import { decodeReceived, sendPacedTone, sendRfc4733 } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

type Route = (body: Record<string, unknown>) => unknown;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { data += c; });
    req.on('end', () => resolve(data));
  });
}

/** A sine of `hz` as 16-bit samples. */
function tone(hz: number, rate: number, ms: number, amplitude = 8000): Int16Array {
  const out = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

function samplesOf(chunks: Buffer[]): Int16Array {
  const all = Buffer.concat(chunks);
  return new Int16Array(all.buffer.slice(all.byteOffset, all.byteOffset + (all.length & ~1)));
}

interface Conn { stream: AudioStream; audio: Buffer[]; events: { type: string; data: unknown }[]; closed: boolean; auth: string | undefined }

describe('jambonz listen/stream over SIP with an @jambonz/sdk audio service', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let audioHttp: HttpServer;
  let base = '';
  let audioBase = '';
  const NUMBER = '5550301';
  const WS_NUMBER = '5550302';
  let wsSession: Session | undefined;
  const routes = new Map<string, Route>();
  const hits: { path: string; body: Record<string, unknown> }[] = [];
  const conns: Conn[] = [];
  let onConn: (c: Conn) => void = () => {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((text) => {
        const path = (req.url ?? '/').split('?')[0]!;
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path, body });
        const reply = routes.get(path)?.(body) ?? [];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    audioHttp = createServer();
    const svc = createEndpoint({ server: audioHttp, logger: { info: () => {}, error: () => {}, debug: () => {} } });
    for (const path of ['/audio', '/echo']) {
      svc.audio({ path }).on('connection', (stream: AudioStream, req: IncomingMessage) => {
        const c: Conn = { stream, audio: [], events: [], closed: false, auth: req.headers.authorization };
        conns.push(c);
        stream.on('audio', (b: Buffer) => c.audio.push(b));
        stream.on('dtmf', (d: unknown) => c.events.push({ type: 'dtmf', data: d }));
        stream.on('playDone', (d: unknown) => c.events.push({ type: 'playDone', data: d }));
        stream.on('mark', (d: unknown) => c.events.push({ type: 'mark', data: d }));
        stream.on('close', () => { c.closed = true; });
        if (path === '/echo') stream.on('audio', (b: Buffer) => stream.sendAudio(b));
        onConn(c);
      });
    }
    svc({ path: '/ws' }).on('session:new', (session: Session) => {
      wsSession = session;
      session.stream({ url: '/audio', metadata: { app: 'ws' } }).send();
    });
    await new Promise<void>((resolve) => audioHttp.listen(0, '127.0.0.1', resolve));
    const aaddr = audioHttp.address();
    audioBase = typeof aaddr === 'object' && aaddr ? `ws://127.0.0.1:${aaddr.port}` : '';
    const app = await rest('POST', '/v1/Applications', { name: 'listen', account_sid: account(), call_hook: { url: `${base}/call`, method: 'POST' } });
    assert.equal(app.status, 201);
    assert.equal((await rest('POST', '/v1/PhoneNumbers', { number: NUMBER, application_sid: app.body['sid'], account_sid: account() })).status, 201);
    const wsApp = await rest('POST', '/v1/Applications', { name: 'listen-ws', account_sid: account(), call_hook: { url: `${audioBase}/ws`, method: 'WS' } });
    assert.equal((await rest('POST', '/v1/PhoneNumbers', { number: WS_NUMBER, application_sid: wsApp.body['sid'], account_sid: account() })).status, 201);
  });

  const account = (): string => srv.server.jambonz.account.account_sid;
  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const j = srv.server.jambonz;
    const res = await fetch(`${j.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${j.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  after(async () => {
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    audioHttp.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await new Promise<void>((resolve) => audioHttp.close(() => resolve()));
  });

  const reset = (app: Record<string, Route>): void => {
    hits.length = 0;
    conns.length = 0;
    onConn = () => {};
    routes.clear();
    for (const [k, v] of Object.entries(app)) routes.set(k, v);
  };
  const hook = (path: string): Record<string, unknown> | undefined => hits.find((h) => h.path === path)?.body;
  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('8 kHz mono: metadata frame, ~16000 bytes/s of the caller, passDtmf, disconnect -> actionHook and the next verb', async () => {
    reset({
      '/call': () => [
        { verb: 'listen', url: `${audioBase}/audio`, passDtmf: true, metadata: { topic: 'voicemail' }, actionHook: '/listened' },
        { verb: 'hangup' },
      ],
    });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok, 'answered');
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    const m = c.stream.metadata as Record<string, unknown>;
    assert.equal(m['sampleRate'], 8000);
    assert.equal(m['mixType'], 'mono');
    assert.equal(m['from'], 'phone');
    assert.equal(m['topic'], 'voicemail', 'metadata merged at top level');
    assert.equal(typeof m['callSid'], 'string');
    assert.equal(m['direction'], 'inbound');
    assert.equal(m['callStatus'], 'in-progress');
    assert.equal(m['call_sid'], undefined, 'camelCase only');
    const bytesBefore = Buffer.concat(c.audio).length;
    const t0 = Date.now();
    await sendPacedTone(r.call, 600, { ms: 1000 });
    const bytes = Buffer.concat(c.audio).length - bytesBefore;
    const expected = ((Date.now() - t0) / 1000) * 16000;
    assert.ok(Math.abs(bytes - expected) < 0.2 * expected, `bytes ${bytes}, expected about ${expected}`);
    assert.equal(dominantFrequency(samplesOf(c.audio).slice(-4000), 8000), 600, 'the caller\'s tone');
    await sendRfc4733(r.call, 2, { ms: 100 });
    await until('the dtmf frame', () => c.events.some((e) => e.type === 'dtmf'));
    assert.equal((c.events.find((e) => e.type === 'dtmf')!.data as { digit: string }).digit, '2');
    c.stream.disconnect();
    await until('the actionHook', () => hook('/listened') !== undefined);
    assert.equal(typeof hook('/listened')!['dial_call_duration'], 'number');
    await until('BYE from the hangup verb', () => r.call.dialog.state === 'terminated');
    await until('the socket closed', () => c.closed);
    await idle();
  });

  test('16 kHz stereo: caller left, what the caller hears right; playAudio plays to the caller with playDone', async () => {
    reset({ '/call': () => [{ verb: 'stream', url: `${audioBase}/audio`, sampleRate: 16000, mixType: 'stereo', finishOnKey: '#', actionHook: '/done' }] });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    assert.equal((c.stream.metadata as Record<string, unknown>)['sampleRate'], 16000);
    const pcm = tone(1000, 8000, 1200);
    c.stream.playAudio(Buffer.from(pcm.buffer).toString('base64'), { audioContentType: 'raw', sampleRate: 8000, id: 'p1' });
    const from = r.call.received.length;
    const t0 = Date.now();
    const before = Buffer.concat(c.audio).length;
    await sendPacedTone(r.call, 600, { ms: 1000 });
    const bytes = Buffer.concat(c.audio).length - before;
    const expected = ((Date.now() - t0) / 1000) * 64000;
    assert.ok(Math.abs(bytes - expected) < 0.2 * expected, `bytes ${bytes}, expected about ${expected}`);
    await until('playDone', () => c.events.some((e) => e.type === 'playDone'));
    assert.equal((c.events.find((e) => e.type === 'playDone')!.data as { id: string }).id, 'p1');
    assert.equal(dominantFrequency(decodeReceived(r.call.received, from + 10, from + 50), 8000), 1000, 'the caller heard the played audio');
    const all = samplesOf(c.audio);
    const frames = all.length / 2;
    const left = new Int16Array(Math.min(frames, 8000));
    const right = new Int16Array(left.length);
    const start = Math.max(0, frames - 16000 - left.length);
    for (let i = 0; i < left.length; i++) { left[i] = all[2 * (start + i)]!; right[i] = all[2 * (start + i) + 1]!; }
    assert.equal(dominantFrequency(left, 16000), 600, 'left: the caller');
    assert.equal(dominantFrequency(right, 16000), 1000, 'right: what the caller hears');
    await sendRfc4733(r.call, 1, { ms: 60 });
    await sendRfc4733(r.call, 11, { ms: 60 });
    await until('the actionHook', () => hook('/done') !== undefined);
    assert.equal(hook('/done')!['digits'], '1', 'digits before finishOnKey');
    await until('the call ends (webhook app, stack empty)', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('bidirectional streaming: binary audio echoed by the app is heard by the caller; a mark plays out', async () => {
    reset({ '/call': () => [{ verb: 'listen', url: `${audioBase}/echo`, bidirectionalAudio: { enabled: true, streaming: true, sampleRate: 8000 } }] });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    const from = r.call.received.length;
    await sendPacedTone(r.call, 700, { ms: 1200 });
    c.stream.sendMark('m1');
    await until('the mark played out', () => c.events.some((e) => e.type === 'mark'), 3000);
    assert.deepEqual(c.events.find((e) => e.type === 'mark')!.data, { name: 'm1', event: 'playout' });
    const heard = decodeReceived(r.call.received, from + 20, r.call.received.length);
    assert.equal(dominantFrequency(heard.slice(-3200), 8000), 700, 'the caller hears its own tone back');
    c.stream.close();
    await until('the call ends when the app closes the socket', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('64 kHz mixed with wsAuth and playBeep; maxLength ends the verb and the app goes on', async () => {
    reset({
      '/call': () => [
        { verb: 'listen', url: `${audioBase}/audio`, sampleRate: 64000, mixType: 'mixed', wsAuth: { username: 'bob', password: 's3cret' }, playBeep: true, maxLength: 1, actionHook: '/ended' },
        { verb: 'hangup' },
      ],
    });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    assert.equal(c.auth, `Basic ${Buffer.from('bob:s3cret').toString('base64')}`);
    const m = c.stream.metadata as Record<string, unknown>;
    assert.deepEqual([m['sampleRate'], m['mixType']], [64000, 'mixed']);
    assert.equal(dominantFrequency(decodeReceived(r.call.received, 2, 9), 8000), 880, 'the beep before the socket');
    const tonePlaying = sendPacedTone(r.call, 600, { ms: 1500, until: () => r.call.dialog.state === 'terminated' });
    await until('the actionHook after maxLength', () => hook('/ended') !== undefined, 4000);
    assert.equal(hook('/ended')!['dial_call_duration'], 1);
    const samples = samplesOf(c.audio);
    assert.ok(samples.length > 0.7 * 64000 && samples.length < 1.2 * 64000, `about one second at 64 kHz: ${samples.length} samples`);
    assert.equal(dominantFrequency(samples.slice(-32000), 64000, 20), 600, 'the caller at 64 kHz');
    await tonePlaying;
    await until('BYE from the next verb', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('config.listen forks the audio in the background while the next verbs run, until the call ends', async () => {
    reset({
      '/call': () => [
        { verb: 'config', listen: { enable: true, url: `${audioBase}/audio`, mixType: 'stereo' } },
        { verb: 'play', url: 'tone_stream://%(800,0,1000)' },
        { verb: 'hangup' },
      ],
    });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    assert.equal((c.stream.metadata as Record<string, unknown>)['mixType'], 'stereo');
    await until('BYE after the play', () => r.call.dialog.state === 'terminated');
    await until('the socket closed with the call', () => c.closed);
    const all = samplesOf(c.audio);
    const right = all.filter((_, i) => i % 2 === 1);
    assert.ok(right.length > 2400, `audio during the play: ${right.length} frames`);
    assert.equal(dominantFrequency(right.slice(800, 4000), 8000), 1000, 'the play verb is heard on the right channel');
    await idle();
  });

  test('a WebSocket app (@jambonz/sdk): stream with a relative URL, listen:status pause / resume by command', async () => {
    reset({});
    wsSession = undefined;
    const r = await phone.call(srv.uri(WS_NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    assert.equal((c.stream.metadata as Record<string, unknown>)['app'], 'ws', 'relative url resolved against the ws:// call hook');
    const tonePlaying = sendPacedTone(r.call, 600, { ms: 2000 });
    await new Promise((res) => setTimeout(res, 300));
    wsSession!.injectListenStatus('pause');
    await new Promise((res) => setTimeout(res, 200));
    const paused = Buffer.concat(c.audio).length;
    await new Promise((res) => setTimeout(res, 500));
    assert.ok(Buffer.concat(c.audio).length - paused <= 640, 'paused by the command');
    wsSession!.injectListenStatus('resume');
    await tonePlaying;
    assert.ok(Buffer.concat(c.audio).length - paused > 8000, 'resumed by the command');
    await r.call.hangup();
    await until('the socket closed with the call', () => c.closed);
    await idle();
  });

  test('REST listen_status pause stops the audio with the socket open; resume brings it back', async () => {
    reset({ '/call': () => [{ verb: 'listen', url: `${audioBase}/audio` }] });
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the audio socket', () => conns.length === 1);
    const c = conns[0]!;
    const callSid = (c.stream.metadata as Record<string, unknown>)['callSid'] as string;
    const put = async (body: unknown): Promise<number> => (await rest('PUT', `/v1/Accounts/${account()}/Calls/${callSid}`, body)).status;
    const tonePlaying = sendPacedTone(r.call, 600, { ms: 2400 });
    await new Promise((res) => setTimeout(res, 400));
    assert.equal(await put({ listen_status: 'pause' }), 202);
    await new Promise((res) => setTimeout(res, 200));
    const paused = Buffer.concat(c.audio).length;
    await new Promise((res) => setTimeout(res, 600));
    assert.ok(Buffer.concat(c.audio).length - paused <= 640, 'nothing (or one chunk in flight) while paused');
    assert.equal(c.closed, false, 'the socket stays open');
    assert.equal(await put({ listen_status: 'resume' }), 202);
    await new Promise((res) => setTimeout(res, 400));
    assert.ok(Buffer.concat(c.audio).length - paused > 4000, 'audio again after resume');
    assert.ok(samplesOf(c.audio).slice(-800).some((v) => Math.abs(v) > 1000), 'the caller\'s tone');
    assert.equal(await put({ listen_status: 'silence' }), 202);
    await new Promise((res) => setTimeout(res, 300));
    const silenced = Buffer.concat(c.audio).length;
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(Buffer.concat(c.audio).length - silenced > 3000, 'frames keep coming while silenced');
    assert.ok(samplesOf(c.audio).slice(-1600).every((v) => v === 0), 'and they are silence');
    await tonePlaying;
    assert.equal(await put({ listen_status: 'louder' }), 400);
    await r.call.hangup();
    await until('the socket closed with the call', () => c.closed);
    await idle();
  });
});
