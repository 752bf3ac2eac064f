/**
 * Local call recording over real SIP calls (specs/jambonz.md §1.6 `record`, §2.6 REST `record`, §3.A
 * `config.record`): `config.record` starts it, REST pauses, resumes and stops it, and the recording is
 * listed and downloaded over REST (Bearer auth): a stereo WAV whose left channel is what the caller sent
 * and right channel what the caller heard, with the paused time as silence. A call that hangs up while
 * recording leaves a complete recording; a SIPREC start without a sip: URI and a second start are refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { parseWav } from '../../src/media/index.ts';
import { TestPhone } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Left and right channels of a 16-bit stereo WAV. */
function channelsOf(bytes: Buffer): { rate: number; left: Int16Array; right: Int16Array } {
  const info = parseWav(bytes);
  assert.equal(info.channels, 2);
  assert.equal(info.bitsPerSample, 16);
  const frames = info.frames;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = bytes.readInt16LE(info.dataOffset + i * 4);
    right[i] = bytes.readInt16LE(info.dataOffset + i * 4 + 2);
  }
  return { rate: info.sampleRate, left, right };
}

const level = (x: Int16Array): number => x.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, x.length);

describe('jambonz call recording to a local stereo WAV, listed and downloaded over REST', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let base = '';
  const NUMBER = '5550401';
  let app: unknown[] = [];
  const calls: Record<string, unknown>[] = [];

  before(async () => {
    srv = await startTestServer();
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
    const created = await rest('POST', '/v1/Applications', { name: 'rec', account_sid: account(), call_hook: { url: `${base}/call`, method: 'POST' } });
    assert.equal((await rest('POST', '/v1/PhoneNumbers', { number: NUMBER, application_sid: created.body['sid'], account_sid: account() })).status, 201);
  });

  after(async () => {
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  const account = (): string => srv.server.jambonz.account.account_sid;
  async function rest(method: string, path: string, body?: unknown, key = srv.server.jambonz.apiKey): Promise<{ status: number; body: Record<string, unknown>; raw: Buffer; type: string }> {
    const res = await fetch(`${srv.server.jambonz.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, raw, type, body: type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {} };
  }
  const update = async (callSid: string, body: unknown): Promise<number> => (await rest('PUT', `/v1/Accounts/${account()}/Calls/${callSid}`, body)).status;
  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('config.record, REST pause / resume / stop: both parties on their own channel, the pause as silence', async () => {
    calls.length = 0;
    app = [{ verb: 'config', record: { action: 'startCallRecording', recordingID: 'r-1' } }, { verb: 'play', url: 'tone_stream://%(6000,0,1000)' }];
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok, 'answered');
    await until('the call hook', () => calls.length === 1);
    const callSid = calls[0]!['call_sid'] as string;
    await sendPacedTone(r.call, 600, { ms: 1000 });
    assert.equal(await update(callSid, { record: { action: 'pauseCallRecording' } }), 202);
    await sleep(600);
    assert.equal(await update(callSid, { record: { action: 'resumeCallRecording' } }), 202);
    await sendPacedTone(r.call, 600, { ms: 800 });
    assert.equal(await update(callSid, { record: { action: 'startCallRecording' } }), 422, 'already recording');
    assert.equal(await update(callSid, { record: { action: 'startCallRecording', siprecServerURL: 'srs.example' } }), 400, 'SIPREC needs a sip: URI');
    assert.equal(await update(callSid, { record: { action: 'stopCallRecording' } }), 202);
    assert.equal(await update(callSid, { record: { action: 'stopCallRecording' } }), 422, 'nothing to stop');
    await r.call.hangup();
    await idle();
    let list: Record<string, unknown>[] = [];
    await until('the recording listed as completed', async () => {
      const res = await rest('GET', `/v1/Accounts/${account()}/Recordings`);
      list = res.body as unknown as Record<string, unknown>[];
      return Array.isArray(list) && list[0]?.['status'] === 'completed';
    });
    const meta = list[0]!;
    assert.equal(meta['call_sid'], callSid);
    assert.equal(meta['recording_id'], 'r-1');
    assert.equal(meta['channels'], 2);
    const wav = await rest('GET', meta['url'] as string);
    assert.equal(wav.status, 200);
    assert.equal(wav.type, 'audio/wav');
    const { rate, left, right } = channelsOf(wav.raw);
    assert.equal(rate, 8000);
    const seconds = left.length / rate;
    assert.ok(seconds > 2.0 && seconds < 3.5, `recording length ${seconds} s`);
    assert.equal(dominantFrequency(left.slice(1600, 6400), rate), 600, 'left: what the caller said');
    assert.equal(dominantFrequency(right.slice(1600, 6400), rate), 1000, 'right: what the caller heard');
    // The pause: ~600 ms of silence on both channels right after the first second of audio.
    const pauseAt = left.findIndex((_, i) => i > 4000 && level(left.subarray(i, i + 800)) < 50);
    assert.ok(pauseAt > 0, 'a silent stretch for the pause');
    assert.ok(level(right.subarray(pauseAt + 100, pauseAt + 3000)) < 50, 'the pause is silent on the right channel as well');
    assert.ok(level(left.subarray(left.length - 4000, left.length - 800)) > 1000, 'the caller again after resume');
    assert.equal((await rest('GET', meta['url'] as string, undefined, 'wrong-key')).status, 401, 'Bearer auth');
    assert.equal((await rest('GET', `/v1/Accounts/${account()}/Recordings/00000000-0000-0000-0000-000000000000`)).status, 404);
    assert.equal((await rest('GET', `/v1/Accounts/${account()}/Recordings/..%2F..%2Fjambonz-account`)).status, 404);
  });

  test('a call that hangs up while recording leaves a complete recording', async () => {
    calls.length = 0;
    app = [{ verb: 'answer' }, { verb: 'play', url: 'tone_stream://%(6000,0,500)' }];
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the call hook', () => calls.length === 1);
    const callSid = calls[0]!['call_sid'] as string;
    assert.equal(await update(callSid, { record: { action: 'startCallRecording' } }), 202, 'a start without siprecServerURL records locally');
    await sendPacedTone(r.call, 800, { ms: 700 });
    await r.call.hangup();
    await idle();
    await until('the recording completed', async () => {
      const res = await rest('GET', `/v1/Accounts/${account()}/Recordings`);
      const list = res.body as unknown as Record<string, unknown>[];
      return list.some((m) => m['call_sid'] === callSid && m['status'] === 'completed');
    });
    const list = (await rest('GET', `/v1/Accounts/${account()}/Recordings`)).body as unknown as Record<string, unknown>[];
    const meta = list.find((m) => m['call_sid'] === callSid)!;
    const { rate, left, right } = channelsOf((await rest('GET', meta['url'] as string)).raw);
    assert.equal(dominantFrequency(left.slice(1600, 4000), rate), 800);
    assert.equal(dominantFrequency(right.slice(1600, 4000), rate), 500);
  });
});
