import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sineFit } from '../../../test/support/signals.ts';
import { DeferredSource, SourceError, UrlCache, maxAgeOf, openSource } from './index.ts';
import type { AudioSource } from './index.ts';

const WAV = readFileSync(join(import.meta.dirname, '../../../test/fixtures/media/tone1k-16k-s16.wav'));

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const hits = new Map<string, { full: number; notModified: number }>();
function count(path: string, kind: 'full' | 'notModified'): void {
  const h = hits.get(path) ?? { full: 0, notModified: 0 };
  h[kind]++;
  hits.set(path, h);
}

const routes: Record<string, Handler> = {
  '/tone.wav': (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') {
      count('/tone.wav', 'notModified');
      res.writeHead(304, { etag: '"v1"' }).end();
      return;
    }
    count('/tone.wav', 'full');
    res.writeHead(200, { 'content-type': 'audio/wav', etag: '"v1"', 'content-length': WAV.length }).end(WAV);
  },
  '/dated.wav': (req, res) => {
    const lm = 'Wed, 21 Oct 2015 07:28:00 GMT';
    if (req.headers['if-modified-since'] === lm) {
      count('/dated.wav', 'notModified');
      res.writeHead(304).end();
      return;
    }
    count('/dated.wav', 'full');
    res.writeHead(200, { 'last-modified': lm }).end(WAV);
  },
  '/fresh.wav': (_req, res) => {
    count('/fresh.wav', 'full');
    res.writeHead(200, { 'cache-control': 'public, max-age=3600' }).end(WAV);
  },
  '/plain.wav': (_req, res) => {
    count('/plain.wav', 'full');
    res.writeHead(200).end(WAV);
  },
  '/missing.wav': (_req, res) => res.writeHead(404).end('not here'),
  '/gone.wav': (_req, res) => res.writeHead(410).end(),
  '/error.wav': (_req, res) => res.writeHead(500).end('boom'),
  '/garbage.wav': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'),
  '/garbage': (_req, res) => res.writeHead(200).end(Buffer.alloc(3000, 0x5a)),
  '/big.wav': (_req, res) => res.writeHead(200, { 'content-length': 10_000 }).end(Buffer.alloc(10_000)),
  '/chunked-big.wav': (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
    res.end();
  },
  '/slow.wav': () => {
    // Never answers; the client times out.
  },
  '/redirect.wav': (_req, res) => res.writeHead(302, { location: '/plain.wav' }).end(),
};

let server: Server;
let base: string;
let dir: string;

before(async () => {
  server = createServer((req, res) => {
    const h = routes[(req.url ?? '').split('?')[0]!];
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'sb-url-cache-'));
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function samples(src: AudioSource, limit = 1000): Int16Array {
  const f = new Int16Array(src.sampleRate / 50);
  const out: number[] = [];
  for (let i = 0; i < limit; i++) {
    const n = src.read(f);
    if (n === 0) break;
    out.push(...f.subarray(0, n));
  }
  return Int16Array.from(out);
}

describe('UrlCache', () => {
  it('downloads once, then revalidates with If-None-Match (304)', async () => {
    const cache = new UrlCache({ dir: join(dir, 'etag') });
    const a = await cache.get(`${base}/tone.wav`);
    const b = await cache.get(`${base}/tone.wav`);
    assert.equal(a.via, 'downloaded');
    assert.equal(b.via, 'revalidated');
    assert.equal(b.path, a.path);
    assert.equal(b.size, WAV.length);
    assert.equal(a.etag, '"v1"');
    assert.deepEqual(hits.get('/tone.wav'), { full: 1, notModified: 1 });
  });

  it('revalidates with If-Modified-Since when there is only Last-Modified', async () => {
    const cache = new UrlCache({ dir: join(dir, 'dated') });
    await cache.get(`${base}/dated.wav`);
    assert.equal((await cache.get(`${base}/dated.wav`)).via, 'revalidated');
    assert.deepEqual(hits.get('/dated.wav'), { full: 1, notModified: 1 });
  });

  it('uses a fresh copy (max-age) without asking the server', async () => {
    const cache = new UrlCache({ dir: join(dir, 'fresh') });
    await cache.get(`${base}/fresh.wav`);
    assert.equal((await cache.get(`${base}/fresh.wav`)).via, 'fresh');
    assert.deepEqual(hits.get('/fresh.wav'), { full: 1, notModified: 0 });
  });

  it('downloads again when there is no validator, unless a default TTL makes it fresh', async () => {
    const plain = new UrlCache({ dir: join(dir, 'plain') });
    await plain.get(`${base}/plain.wav`);
    assert.equal((await plain.get(`${base}/plain.wav`)).via, 'downloaded');
    const ttl = new UrlCache({ dir: join(dir, 'plain-ttl'), defaultTtlMs: 60_000 });
    await ttl.get(`${base}/plain.wav`);
    assert.equal((await ttl.get(`${base}/plain.wav`)).via, 'fresh');
  });

  it('concurrent requests for one URL share one download', async () => {
    const cache = new UrlCache({ dir: join(dir, 'shared') });
    const before = hits.get('/plain.wav')?.full ?? 0;
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => cache.get(`${base}/plain.wav`)));
    assert.equal(a!.path, b!.path);
    assert.equal(b!.path, c!.path);
    assert.equal(hits.get('/plain.wav')!.full - before, 1);
  });

  it('follows redirects', async () => {
    const cache = new UrlCache({ dir: join(dir, 'redirect') });
    assert.equal((await cache.get(`${base}/redirect.wav`)).size, WAV.length);
  });

  const failures: [string, string, Partial<ConstructorParameters<typeof UrlCache>[0]>][] = [
    ['/missing.wav', 'MEDIA_SOURCE_NOT_FOUND', {}],
    ['/gone.wav', 'MEDIA_SOURCE_NOT_FOUND', {}],
    ['/error.wav', 'MEDIA_SOURCE_FETCH', {}],
    ['/big.wav', 'MEDIA_SOURCE_TOO_LARGE', { maxFileBytes: 5000 }],
    ['/chunked-big.wav', 'MEDIA_SOURCE_TOO_LARGE', { maxFileBytes: 5000 }],
    ['/slow.wav', 'MEDIA_SOURCE_FETCH', { timeoutMs: 200 }],
  ];
  for (const [path, code, opts] of failures) {
    it(`${path} -> ${code}, leaving no partial file`, async () => {
      const d = join(dir, `fail${path.replace(/\W/g, '-')}`);
      const cache = new UrlCache({ dir: d, ...opts });
      await assert.rejects(cache.get(`${base}${path}`), (err: unknown) => err instanceof SourceError && err.code === code);
      assert.deepEqual((await readdir(d)).filter((f) => f.endsWith('.part') || f.endsWith('.audio')), []);
    });
  }

  it('a refused connection is MEDIA_SOURCE_FETCH', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const cache = new UrlCache({ dir: join(dir, 'refused') });
    await assert.rejects(cache.get(`http://127.0.0.1:${port}/x.wav`), { code: 'MEDIA_SOURCE_FETCH' });
  });

  it('prune evicts the least recently used files beyond maxTotalBytes', async () => {
    const d = join(dir, 'prune');
    const cache = new UrlCache({ dir: d, maxTotalBytes: WAV.length * 2 + 10 });
    for (const q of ['a', 'b', 'c']) {
      await cache.get(`${base}/plain.wav?${q}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const left = (await readdir(d)).filter((f) => f.endsWith('.audio'));
    assert.equal(left.length, 2);
    assert.ok(!left.includes(`${cache.keyOf(`${base}/plain.wav?a`)}.audio`));
  });

  const cc: [string | null, number | undefined][] = [
    [null, undefined],
    ['max-age=60', 60_000],
    ['public, max-age="10"', 10_000],
    ['no-cache', 0],
    ['no-store, max-age=60', 0],
    ['private', undefined],
  ];
  for (const [header, want] of cc) {
    it(`Cache-Control ${JSON.stringify(header)} -> ${String(want)}`, () => assert.equal(maxAgeOf(header), want));
  }
});

describe('openSource with http URLs', () => {
  it('plays silence while downloading, then the file resampled; a second open hits the cache', async () => {
    const cacheDir = join(dir, 'open');
    const src = await openSource(`${base}/tone.wav`, { sampleRate: 8000, cacheDir });
    assert.ok(src instanceof DeferredSource);
    const f = new Int16Array(160).fill(1);
    assert.equal(src.read(f), 160);
    assert.ok(f.every((v) => v === 0));
    await src.ready;
    const y = samples(src);
    assert.equal(y.length, 2000);
    assert.ok(sineFit(y, 1000, 8000, 40, 1960).snrDb > 40);
    const fulls = hits.get('/tone.wav')!.full;
    const again = await openSource(`${base}/tone.wav`, { sampleRate: 8000, cacheDir, awaitReady: true });
    assert.equal(samples(again).length, 2000);
    assert.equal(hits.get('/tone.wav')!.full, fulls);
  });

  const errors: [string, string][] = [
    ['/missing.wav', 'MEDIA_SOURCE_NOT_FOUND'],
    ['/error.wav', 'MEDIA_SOURCE_FETCH'],
    ['/garbage.wav', 'MEDIA_SOURCE_FORMAT'],
    ['/garbage', 'MEDIA_SOURCE_FORMAT'],
  ];
  for (const [path, code] of errors) {
    it(`${path}: the source ends with ${code}, never a crash`, async () => {
      const src = (await openSource(`${base}${path}`, { sampleRate: 8000, cacheDir: join(dir, 'open-err') })) as DeferredSource;
      await src.ready;
      assert.equal(src.read(new Int16Array(160)), 0);
      assert.equal(src.ended, true);
      assert.ok(src.error instanceof SourceError);
      assert.equal((src.error as SourceError).code, code);
    });
    it(`${path} with awaitReady rejects with ${code}`, async () => {
      await assert.rejects(openSource(`${base}${path}`, { sampleRate: 8000, cacheDir: join(dir, 'open-err'), awaitReady: true }), {
        code,
      });
    });
  }

  it('a seek before the download completes is applied when it is ready', async () => {
    const src = (await openSource(`${base}/tone.wav`, { sampleRate: 16000, cacheDir: join(dir, 'open') })) as DeferredSource;
    src.seek?.(200);
    await src.ready;
    assert.equal(src.positionMs, 200);
    assert.equal(samples(src).length, 800);
  });

  it('closing before the download completes closes the late source', async () => {
    const src = (await openSource(`${base}/plain.wav`, { sampleRate: 8000, cacheDir: join(dir, 'open') })) as DeferredSource;
    src.close();
    await src.ready;
    assert.equal(src.read(new Int16Array(160)), 0);
  });
});
