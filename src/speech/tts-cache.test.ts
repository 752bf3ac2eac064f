import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TtsCache } from './tts-cache.ts';
import type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
import { decodeWav } from './wav.ts';

/** 0.5 s of a 440 Hz tone at 22.05 kHz per request; counts the syntheses. */
function toneProvider(): TtsProvider & { calls: number } {
  return {
    vendor: 'fake',
    calls: 0,
    async synthesize(req: SynthesisRequest): Promise<SynthesizedSpeech> {
      this.calls++;
      const pcm = new Int16Array(11025);
      for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 22050));
      return { pcm, sampleRate: 22050, durationMs: 500, vendor: 'fake', language: '', voice: '', characters: req.text.length, servedFromCache: false, elapsedMs: 1 };
    },
    async close() {},
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-tts-cache-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('TtsCache files per rate', () => {
  it('writes the asked rate and the 8/16 kHz files ahead, each already resampled', () => withDir(async (dir) => {
    const inner = toneProvider();
    const cache = new TtsCache(inner, { dir });
    const f8 = await cache.file({ text: 'hello' }, { sampleRate: 8000 });
    assert.equal(f8.sampleRate, 8000);
    assert.equal(f8.speech.sampleRate, 22050);
    const wav8 = decodeWav(await readFile(f8.path));
    assert.equal(wav8.sampleRate, 8000);
    assert.equal(wav8.pcm.length, 4000);
    assert.equal((await readdir(dir)).filter((n) => n.endsWith('.wav')).length, 2, 'the 8 and 16 kHz files');
    const f16 = await cache.file({ text: 'hello' }, { sampleRate: 16000 });
    assert.notEqual(f16.path, f8.path);
    const wav16 = decodeWav(await readFile(f16.path));
    assert.equal(wav16.sampleRate, 16000);
    assert.equal(wav16.pcm.length, 8000);
    const native = await cache.file({ text: 'hello' });
    assert.equal(native.sampleRate, 22050);
    assert.equal(decodeWav(await readFile(native.path)).sampleRate, 22050);
    const again = await cache.file({ text: 'hello' }, { sampleRate: 8000 });
    assert.equal(again.path, f8.path);
    assert.equal(again.speech.servedFromCache, true);
    assert.equal(inner.calls, 1);
    await cache.close();
  }));

  it('makes other rates on demand and ignores unusable ones', () => withDir(async (dir) => {
    const cache = new TtsCache(toneProvider(), { dir, fileRates: [] });
    const f48 = await cache.file({ text: 'wide' }, { sampleRate: 48000 });
    assert.equal(decodeWav(await readFile(f48.path)).pcm.length, 24000);
    assert.equal((await readdir(dir)).length, 1);
    const odd = await cache.file({ text: 'wide' }, { sampleRate: 1234 });
    assert.equal(odd.sampleRate, 22050);
    assert.equal(decodeWav(await readFile(odd.path)).sampleRate, 22050);
    await cache.close();
  }));

  it('concurrent first requests share one file per rate', () => withDir(async (dir) => {
    const inner = toneProvider();
    const cache = new TtsCache(inner, { dir });
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.file({ text: 'busy' }, { sampleRate: 8000 })));
    assert.equal(new Set(all.map((f) => f.path)).size, 1);
    assert.equal(inner.calls, 1);
    const names = await readdir(dir);
    assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), []);
    assert.equal(names.length, 2);
    assert.equal(decodeWav(await readFile(all[0]!.path)).pcm.length, 4000);
    await cache.close();
  }));

  it('disableCache synthesizes again and rewrites the file', () => withDir(async (dir) => {
    const inner = toneProvider();
    const cache = new TtsCache(inner, { dir });
    const a = await cache.file({ text: 'fresh' }, { sampleRate: 8000 });
    const b = await cache.file({ text: 'fresh', disableCache: true }, { sampleRate: 8000 });
    assert.equal(b.path, a.path);
    assert.equal(inner.calls, 2);
    assert.equal(decodeWav(await readFile(b.path)).pcm.length, 4000);
    await cache.close();
  }));
});
