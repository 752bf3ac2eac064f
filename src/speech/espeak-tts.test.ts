import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ESPEAK_SAMPLE_RATE,
  EspeakTtsProvider,
  SpeechError,
  TtsCache,
  decodeWav,
  espeakVoices,
  resamplePcm,
  speechAtRate,
} from './index.ts';

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

const sentence = 'Hello, this is a test of the voice server.';
const provider = new EspeakTtsProvider();

describe('espeak-ng offline synthesizer', () => {
  it('synthesizes a sentence: 22.05 kHz, a plausible duration, not silence', async () => {
    const s = await provider.synthesize({ text: sentence, language: 'en-US' });
    assert.equal(s.sampleRate, ESPEAK_SAMPLE_RATE);
    assert.equal(s.vendor, 'espeak-ng');
    assert.equal(s.voice, 'en-us');
    assert.equal(s.characters, sentence.length);
    assert.equal(s.servedFromCache, false);
    assert.ok(s.durationMs > 1500 && s.durationMs < 5000, `duration ${s.durationMs} ms`);
    assert.equal(Math.round(s.durationMs), Math.round((s.pcm.length * 1000) / s.sampleRate));
    assert.ok(rms(s.pcm) > 1000, `rms ${rms(s.pcm)}`);
  });

  it('resamples to the call rate keeping the duration and the energy', async () => {
    const s = await provider.synthesize({ text: sentence });
    const at8k = speechAtRate(s, 8000);
    assert.equal(at8k.sampleRate, 8000);
    assert.equal(at8k.pcm.length, Math.round((s.pcm.length * 8000) / s.sampleRate));
    const ratio = rms(at8k.pcm) / rms(s.pcm);
    assert.ok(ratio > 0.6 && ratio < 1.2, `energy ratio ${ratio}`);
    assert.equal(speechAtRate(s, s.sampleRate), s);
  });

  it('speaks the words of SSML', async () => {
    const plain = await provider.synthesize({ text: 'one two' });
    const ssml = await provider.synthesize({ text: '<speak>one <emphasis>two</emphasis></speak>' });
    assert.equal(ssml.characters, 'one two'.length);
    assert.deepEqual(ssml.pcm, plain.pcm);
  });

  it('an unknown voice falls back to the language, then the default', async () => {
    assert.deepEqual(espeakVoices({ text: '', voice: 'en-gb', language: 'fr-FR' }), ['en-gb', 'fr-fr', 'fr', 'en-us']);
    assert.deepEqual(espeakVoices({ text: '', voice: '--help', language: 'x y' }), ['en-us']);
    const s = await provider.synthesize({ text: 'hello', voice: 'zz-qq', language: 'qq-XX' });
    assert.equal(s.voice, 'en-us');
    assert.ok(s.pcm.length > 0);
  });

  it('empty text gives no audio without running the engine; oversized text is refused', async () => {
    const e = await new EspeakTtsProvider({ load: () => Promise.reject(new Error('not used')) }).synthesize({ text: '<speak></speak>' });
    assert.equal(e.pcm.length, 0);
    await assert.rejects(
      new EspeakTtsProvider({ maxCharacters: 10 }).synthesize({ text: 'this text is too long' }),
      (err: unknown) => err instanceof SpeechError && err.code === 'SPEECH_REQUEST',
    );
  });

  it('a missing engine is SPEECH_UNAVAILABLE; a closed provider SPEECH_CLOSED', async () => {
    const broken = new EspeakTtsProvider({ load: () => Promise.reject(new Error('no such package')) });
    await assert.rejects(broken.synthesize({ text: 'hi' }), (err: unknown) => err instanceof SpeechError && err.code === 'SPEECH_UNAVAILABLE');
    const closed = new EspeakTtsProvider();
    await closed.close();
    await assert.rejects(closed.synthesize({ text: 'hi' }), (err: unknown) => err instanceof SpeechError && err.code === 'SPEECH_CLOSED');
  });
});

describe('TtsCache', () => {
  it('serves repeats from memory, shares requests in flight, and bypasses on disableCache', async () => {
    const cache = new TtsCache(provider);
    const [a, b] = await Promise.all([cache.synthesize({ text: 'cache me' }), cache.synthesize({ text: 'cache me' })]);
    assert.equal(a.servedFromCache, false);
    assert.equal(b.servedFromCache, true);
    const c = await cache.synthesize({ text: 'cache me' });
    assert.equal(c.servedFromCache, true);
    assert.equal(c.elapsedMs, 0);
    assert.deepEqual(c.pcm, a.pcm);
    assert.deepEqual(cache.stats, { entries: 1, bytes: a.pcm.byteLength, hits: 2, misses: 1 });
    const d = await cache.synthesize({ text: 'cache me', disableCache: true });
    assert.equal(d.servedFromCache, false);
    const other = await cache.synthesize({ text: 'cache me', voice: 'en-gb' });
    assert.equal(other.servedFromCache, false, 'the voice is part of the key');
  });

  it('evicts the least recently used entries over the byte limit', async () => {
    const fake = {
      vendor: 'fake',
      calls: 0,
      async synthesize(req: { text: string }) {
        this.calls++;
        const pcm = new Int16Array(req.text.length * 100).fill(1000);
        return { pcm, sampleRate: 8000, durationMs: pcm.length / 8, vendor: 'fake', language: '', voice: '', characters: req.text.length, servedFromCache: false, elapsedMs: 1 };
      },
      async close() {},
    };
    const cache = new TtsCache(fake, { maxBytes: 2 * 200 * 10 });
    await cache.synthesize({ text: 'aaaaaaaaaa' });
    await cache.synthesize({ text: 'bbbbbbbbbb' });
    await cache.synthesize({ text: 'aaaaaaaaaa' });
    await cache.synthesize({ text: 'cccccccccc' });
    assert.equal(cache.stats.entries, 2);
    assert.equal(fake.calls, 3);
    await cache.synthesize({ text: 'aaaaaaaaaa' });
    assert.equal(fake.calls, 3, 'a was used recently and kept');
    await cache.synthesize({ text: 'bbbbbbbbbb' });
    assert.equal(fake.calls, 4, 'b was evicted');
    await cache.close();
    await cache.close();
    await assert.rejects(cache.synthesize({ text: 'x' }), (err: unknown) => err instanceof SpeechError && err.code === 'SPEECH_CLOSED');
  });

  it('file() writes a WAV the media layer reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-tts-'));
    try {
      const cache = new TtsCache(provider, { dir });
      const f = await cache.file({ text: 'press one' });
      const again = await cache.file({ text: 'press one' });
      assert.equal(again.path, f.path);
      assert.equal(again.speech.servedFromCache, true);
      const back = decodeWav(await readFile(f.path));
      assert.equal(back.sampleRate, ESPEAK_SAMPLE_RATE);
      assert.deepEqual(back.pcm, f.speech.pcm);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resamplePcm keeps the length ratio for a tone', () => {
    const tone = new Int16Array(22050);
    for (let i = 0; i < tone.length; i++) tone[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 22050));
    const out = resamplePcm(tone, 22050, 16000);
    assert.equal(out.length, 16000);
    const r = rms(out.subarray(200, 15800)) / rms(tone);
    assert.ok(r > 0.9 && r < 1.1, `rms ratio ${r}`);
  });
});
