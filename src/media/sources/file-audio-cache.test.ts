import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAudioCache } from './file-audio-cache.ts';
import type { AudioLoader } from './file-audio-cache.ts';
import { Int16Store } from './pcm-store.ts';

function counting(): { load: AudioLoader; loads: string[] } {
  const loads: string[] = [];
  const load: AudioLoader = (bytes, name) => {
    loads.push(name);
    return Promise.resolve(new Int16Store(new Int16Array(bytes.length / 2), 8000));
  };
  return { load, loads };
}

const accept = (): void => {};

describe('FileAudioCache', () => {
  it('reads a file once while it is unchanged, and again when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-fac-'));
    try {
      const path = join(dir, 'a.raw');
      writeFileSync(path, Buffer.alloc(1000));
      const cache = new FileAudioCache();
      const { load, loads } = counting();
      const first = await cache.get(path, load, accept);
      const second = await cache.get(path, load, accept);
      assert.equal(first, second);
      assert.equal(loads.length, 1);
      writeFileSync(path, Buffer.alloc(2000));
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
      const third = await cache.get(path, load, accept);
      assert.notEqual(third, first);
      assert.equal(third.length, 1000);
      assert.equal(loads.length, 2);
      assert.equal(cache.size, 1);
      assert.equal(cache.bytes, 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the check on every get, hit or not, and a refusal reads nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-fac-'));
    try {
      const path = join(dir, 'a.raw');
      writeFileSync(path, Buffer.alloc(100));
      const cache = new FileAudioCache();
      const { load, loads } = counting();
      await cache.get(path, load, accept);
      await assert.rejects(cache.get(path, load, () => { throw new Error('too large'); }), /too large/);
      assert.equal(loads.length, 1);
      await assert.rejects(cache.get(join(dir, 'missing.raw'), load, accept), { code: 'ENOENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the budget: least recently used first, files over a quarter of it never kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-fac-'));
    try {
      const cache = new FileAudioCache({ maxBytes: 4000 });
      const { load, loads } = counting();
      const paths = ['a', 'b', 'c', 'd', 'e'].map((n) => join(dir, n));
      for (const p of paths) writeFileSync(p, Buffer.alloc(1000));
      for (const p of paths.slice(0, 4)) await cache.get(p, load, accept);
      assert.equal(cache.bytes, 4000);
      await cache.get(paths[0]!, load, accept); // a becomes the most recent
      await cache.get(paths[4]!, load, accept); // e pushes out b, the least recent
      assert.equal(cache.bytes, 4000);
      loads.length = 0;
      await cache.get(paths[0]!, load, accept);
      await cache.get(paths[1]!, load, accept);
      assert.deepEqual(loads, [paths[1]]);
      const big = join(dir, 'big');
      writeFileSync(big, Buffer.alloc(1002));
      await cache.get(big, load, accept);
      await cache.get(big, load, accept);
      assert.equal(loads.filter((p) => p === big).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
