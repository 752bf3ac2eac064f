import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { freePort } from '../../test/support/ports.ts';
import { CustomSttProvider, CustomTtsProvider, SpeechError, encodeWav, type RecognitionResult } from './index.ts';

let server: Server;
let wss: WebSocketServer;
let base = '';
const ttsSeen: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
const sttSeen: { start?: Record<string, unknown>; bytes: number; stopped: boolean; auth?: string }[] = [];
let keepAlive: NodeJS.Timeout | undefined;

const tone = new Int16Array(800).map((_v, i) => Math.round(5000 * Math.sin(i / 3)));

before(async () => {
  keepAlive = setInterval(() => {}, 1000);
  const port = await freePort();
  base = `127.0.0.1:${port}`;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      ttsSeen.push({ headers: req.headers, body });
      if (req.url === '/wav') {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        res.end(encodeWav(tone, 16000));
      } else if (req.url === '/l16') {
        res.writeHead(200, { 'content-type': 'audio/l16;rate=24000' });
        res.end(Buffer.from(tone.buffer, tone.byteOffset, tone.byteLength));
      } else if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html/>');
      } else {
        res.writeHead(500);
        res.end();
      }
    });
  });
  wss = new WebSocketServer({ server });
  wss.on('connection', (ws: WebSocket, req) => {
    const rec: (typeof sttSeen)[number] = { bytes: 0, stopped: false, auth: req.headers.authorization };
    sttSeen.push(rec);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        rec.bytes += (data as Buffer).length;
        if (rec.bytes >= 3200 && !rec.stopped && rec.start?.['interimResults']) {
          ws.send(JSON.stringify({ type: 'transcription', is_final: false, alternatives: [{ transcript: 'hel', confidence: 0.5 }] }));
        }
        return;
      }
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (m['type'] === 'start') {
        rec.start = m;
        if (m['language'] === 'xx-ERR') ws.send(JSON.stringify({ type: 'error', error: 'unsupported language' }));
      }
      if (m['type'] === 'stop') {
        rec.stopped = true;
        ws.send('not json');
        ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: 'hello world', confidence: 0.87 }], language: 'en-US' }));
        ws.close();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

after(async () => {
  clearInterval(keepAlive);
  for (const c of wss.clients) c.terminate();
  wss.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('custom TTS (HTTP)', () => {
  it('posts language, voice, type and text with the bearer key; decodes WAV and raw L16', async () => {
    const wav = await new CustomTtsProvider({ url: `http://${base}/wav`, apiKey: 'k1' }).synthesize({
      text: '<speak>hi</speak>',
      language: 'de-DE',
      voice: 'anna',
    });
    assert.deepEqual(ttsSeen.at(-1)!.body, { language: 'de-DE', voice: 'anna', type: 'ssml', text: '<speak>hi</speak>' });
    assert.equal(ttsSeen.at(-1)!.headers.authorization, 'Bearer k1');
    assert.equal(wav.sampleRate, 16000);
    assert.deepEqual(wav.pcm, tone);
    assert.equal(wav.vendor, 'custom');
    assert.equal(wav.durationMs, 50);
    const raw = await new CustomTtsProvider({ url: `http://${base}/l16` }).synthesize({ text: 'plain' });
    assert.equal(ttsSeen.at(-1)!.body['type'], 'text');
    assert.equal(raw.sampleRate, 24000);
    assert.deepEqual(raw.pcm, tone);
  });

  it('errors and unknown audio types are SPEECH_TTS_FAILED', async () => {
    for (const path of ['/fail', '/html']) {
      await assert.rejects(
        new CustomTtsProvider({ url: `http://${base}${path}` }).synthesize({ text: 'x' }),
        (e: unknown) => e instanceof SpeechError && e.code === 'SPEECH_TTS_FAILED',
      );
    }
    const dead = await freePort();
    await assert.rejects(
      new CustomTtsProvider({ url: `http://127.0.0.1:${dead}/x` }).synthesize({ text: 'x' }),
      (e: unknown) => e instanceof SpeechError && e.code === 'SPEECH_TTS_FAILED',
    );
  });
});

describe('custom STT (WebSocket)', () => {
  it('sends start, the audio as LINEAR16 and stop; reports partial and final transcripts', async () => {
    const stt = new CustomSttProvider({ url: `ws://${base}/stt`, apiKey: 'k2', options: { model: 'x' } });
    const s = stt.start({ sampleRate: 8000, language: 'en-US', interim: true, singleUtterance: false });
    const partials: RecognitionResult[] = [];
    const finals: RecognitionResult[] = [];
    const ended = new Promise<string>((resolve) => s.on('end', (e) => resolve(e.reason)));
    s.on('partial', (r) => partials.push(r));
    s.on('final', (r) => finals.push(r));
    for (let i = 0; i < 10; i++) s.write(new Int16Array(160).fill(1000));
    for (let i = 0; i < 100 && (sttSeen.at(-1)?.bytes ?? 0) < 3200; i++) await new Promise((r) => setTimeout(r, 5));
    s.end();
    assert.equal(await ended, 'ended');
    const rec = sttSeen.at(-1)!;
    assert.deepEqual(rec.start, {
      type: 'start',
      language: 'en-US',
      format: 'raw',
      encoding: 'LINEAR16',
      sampleRateHz: 8000,
      interimResults: true,
      options: { model: 'x' },
    });
    assert.equal(rec.auth, 'Bearer k2');
    assert.equal(rec.bytes, 3200);
    assert.equal(rec.stopped, true);
    assert.equal(partials[0]?.alternatives[0]?.transcript, 'hel');
    assert.equal(finals.length, 1);
    assert.deepEqual(finals[0]!.alternatives, [{ transcript: 'hello world', confidence: 0.87 }]);
    assert.equal(finals[0]!.isFinal, true);
    await stt.close();
  });

  it('server errors arrive as SPEECH_STT_FAILED events; an unreachable server ends the session', async () => {
    const stt = new CustomSttProvider({ url: `ws://${base}/stt` });
    const s = stt.start({ sampleRate: 8000, language: 'xx-ERR' });
    const err = await new Promise<Error>((resolve) => s.on('error', resolve));
    assert.ok(err instanceof SpeechError && err.code === 'SPEECH_STT_FAILED');
    s.close();
    const dead = await freePort();
    const s2 = new CustomSttProvider({ url: `ws://127.0.0.1:${dead}/x` }).start({ sampleRate: 8000 });
    const reasons: string[] = [];
    const errors: Error[] = [];
    s2.on('error', (e) => errors.push(e));
    await new Promise<void>((resolve) =>
      s2.on('end', (e) => {
        reasons.push(e.reason);
        resolve();
      }),
    );
    assert.deepEqual(reasons, ['error']);
    assert.equal(errors.length, 1);
  });
});
