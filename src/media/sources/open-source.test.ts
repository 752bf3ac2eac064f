import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sineFit } from '../../../test/support/signals.ts';
import { ConcatSource, SourceError, openSource } from './index.ts';
import type { AudioSource } from './index.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/media');
const TONE8K = join(FIXTURES, 'tone1k-8k-s16.wav');

function drain(src: AudioSource, limit = 10_000): Int16Array {
  const f = new Int16Array(src.sampleRate / 50);
  const out: number[] = [];
  for (let i = 0; i < limit; i++) {
    const n = src.read(f);
    if (n === 0) break;
    out.push(...f.subarray(0, n));
  }
  return Int16Array.from(out);
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-open-source-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSource specs', () => {
  const lengths: [string, string | (() => string), number, number][] = [
    ['absolute path', () => TONE8K, 8000, 2000],
    ['file:// URL', () => pathToFileURL(TONE8K).href, 16000, 4000],
    ['path relative to soundDir', 'tone1k-8k-s16.wav', 8000, 2000],
    ['tone_stream', 'tone_stream://%(100,100,1000);loops=2', 8000, 3200],
    ['silence_stream', 'silence_stream://300', 16000, 4800],
    [
      'file_string of a file, silence and a tone',
      () => `file_string://${TONE8K}!silence_stream://100!tone_stream://%(50,0,500)`,
      8000,
      3200,
    ],
  ];
  for (const [name, spec, rate, samples] of lengths) {
    it(`${name} at ${rate} Hz plays ${samples} samples`, async () => {
      const s = typeof spec === 'string' ? spec : spec();
      const src = await openSource(s, { sampleRate: rate, soundDir: FIXTURES });
      assert.equal(src.sampleRate, rate);
      assert.equal(drain(src).length, samples);
      assert.equal(src.ended, true);
    });
  }

  it('loop and startMs apply to files', async () => {
    const src = await openSource(TONE8K, { sampleRate: 8000, loop: 2, startMs: 100 });
    assert.equal(drain(src).length, 2 * 2000 - 800);
  });

  it('startMs applies to tone streams', async () => {
    const src = await openSource('tone_stream://%(100,100,1000)', { sampleRate: 8000, startMs: 100 });
    const y = drain(src);
    assert.equal(y.length, 800);
    assert.ok(y.every((v) => v === 0));
  });

  it('file_string plays its parts back to back with no gap', async () => {
    const src = await openSource(`file_string://${TONE8K}!${TONE8K}`, { sampleRate: 8000 });
    assert.ok(src instanceof ConcatSource);
    const y = drain(src);
    assert.equal(y.length, 4000);
    assert.ok(sineFit(y, 1000, 8000, 0, 4000).snrDb > 40);
    assert.equal(src.positionMs, 500);
  });

  const failures: [string, string | (() => string), string][] = [
    ['an empty spec', '  ', 'MEDIA_SOURCE_SPEC'],
    ['an unknown scheme', 'say://hello', 'MEDIA_SOURCE_SPEC'],
    ['a bad tone script', 'tone_stream://%(100', 'MEDIA_SOURCE_SPEC'],
    ['a bad silence length', 'silence_stream://soon', 'MEDIA_SOURCE_SPEC'],
    ['an empty file_string', 'file_string://', 'MEDIA_SOURCE_SPEC'],
    ['a missing file', '/nonexistent/dir/x.wav', 'MEDIA_SOURCE_NOT_FOUND'],
    ['a missing part of a file_string', () => `file_string://${TONE8K}!/nonexistent.wav`, 'MEDIA_SOURCE_NOT_FOUND'],
    ['a directory', () => FIXTURES, 'MEDIA_SOURCE_IO'],
    ['a file that is not audio', () => join(dir, 'notes.txt'), 'MEDIA_SOURCE_FORMAT'],
    ['a truncated WAV', () => join(dir, 'cut.wav'), 'MEDIA_SOURCE_CORRUPT'],
  ];
  for (const [name, spec, code] of failures) {
    it(`${name} rejects with ${code}`, async () => {
      await writeFile(join(dir, 'notes.txt'), 'hello');
      await writeFile(join(dir, 'cut.wav'), Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00', 'latin1'));
      const s = typeof spec === 'string' ? spec : spec();
      await assert.rejects(openSource(s, { sampleRate: 8000 }), (err: unknown) => err instanceof SourceError && err.code === code);
    });
  }

  it('a file over maxBytes is MEDIA_SOURCE_TOO_LARGE', async () => {
    await assert.rejects(openSource(TONE8K, { sampleRate: 8000, maxBytes: 100 }), { code: 'MEDIA_SOURCE_TOO_LARGE' });
  });

  it('an unsupported output rate is MEDIA_SOURCE_OPTIONS', async () => {
    await assert.rejects(openSource(TONE8K, { sampleRate: 0 }), { code: 'MEDIA_SOURCE_OPTIONS' });
  });
});
