/**
 * A disk cache of audio downloaded over http(s) (fetch), keyed by URL and revalidated with the HTTP
 * validators of RFC 9110 section 8.8 (ETag / If-None-Match, Last-Modified / If-Modified-Since) and the
 * freshness of RFC 9111 section 4.2 (Cache-Control max-age, no-cache, no-store).
 *
 * A stored copy is used without asking while fresh (max-age, else `defaultTtlMs`); after that it is
 * revalidated with a conditional GET when it has a validator (304 = still good) and downloaded again when
 * it has none. Downloads stream to a temporary file that is renamed into place when complete, so a
 * reader never sees half a file; concurrent requests for one URL share one download. Sizes are bounded
 * per file (`maxFileBytes`) and in total (`maxTotalBytes`, least recently used files evicted).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from './source-error.ts';

export interface UrlCacheOptions {
  /** Directory of the cache (created when missing). */
  dir: string;
  /** Largest download accepted; 50 MiB unless given. */
  maxFileBytes?: number;
  /** Bound of the whole cache; 1 GiB unless given. */
  maxTotalBytes?: number;
  /** Time allowed for one download (headers and body); 30 s unless given. */
  timeoutMs?: number;
  /** Freshness of a response without max-age; 0 (always revalidate) unless given. */
  defaultTtlMs?: number;
  /** Extra request headers (authorization for a private prompt server). */
  headers?: Record<string, string>;
  /** The fetch to use (tests); the global one unless given. */
  fetch?: typeof fetch;
  /** Wall clock in ms (freshness survives restarts); Date.now unless given. */
  now?: () => number;
}

export interface CachedAudio {
  url: string;
  /** Path of the complete file. */
  path: string;
  size: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** How the copy was obtained. */
  via: 'fresh' | 'revalidated' | 'downloaded';
}

interface Meta {
  url: string;
  size: number;
  storedAt: number;
  maxAgeMs: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

function parseMeta(text: string): Meta | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const m = v as Record<string, unknown>;
    const { url, size, storedAt } = m;
    if (typeof url !== 'string' || typeof size !== 'number' || typeof storedAt !== 'number') return undefined;
    const str = (k: string): string | undefined => (typeof m[k] === 'string' ? (m[k] as string) : undefined);
    return {
      url,
      size,
      storedAt,
      maxAgeMs: typeof m['maxAgeMs'] === 'number' ? m['maxAgeMs'] : 0,
      contentType: str('contentType'),
      etag: str('etag'),
      lastModified: str('lastModified'),
    };
  } catch {
    return undefined;
  }
}

/** Freshness lifetime from Cache-Control (max-age; no-cache / no-store = 0); undefined when absent. */
export function maxAgeOf(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  const cc = cacheControl.toLowerCase();
  if (/(^|[\s,])(no-cache|no-store)([\s,=]|$)/.test(cc)) return 0;
  const m = /(^|[\s,])max-age\s*=\s*"?(\d+)/.exec(cc);
  return m ? Number(m[2]) * 1000 : undefined;
}

export class UrlCache {
  readonly dir: string;
  readonly #maxFile: number;
  readonly #maxTotal: number;
  readonly #timeout: number;
  readonly #ttl: number;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #inflight = new Map<string, Promise<CachedAudio>>();

  constructor(opts: UrlCacheOptions) {
    this.dir = opts.dir;
    this.#maxFile = opts.maxFileBytes ?? 50 * 1024 * 1024;
    this.#maxTotal = opts.maxTotalBytes ?? 1024 * 1024 * 1024;
    this.#timeout = opts.timeoutMs ?? 30_000;
    this.#ttl = opts.defaultTtlMs ?? 0;
    this.#headers = opts.headers ?? {};
    this.#fetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.#now = opts.now ?? Date.now;
    if (!(this.#maxFile > 0) || !(this.#maxTotal > 0) || !(this.#timeout > 0)) {
      throw new SourceError('MEDIA_SOURCE_OPTIONS', 'URL cache sizes and timeout must be positive');
    }
  }

  /** The cache file name stem of a URL. */
  keyOf(url: string): string {
    return createHash('sha256').update(url).digest('hex').slice(0, 40);
  }

  /** A complete local copy of `url`, downloading or revalidating as needed. */
  get(url: string): Promise<CachedAudio> {
    const key = this.keyOf(url);
    let p = this.#inflight.get(key);
    if (!p) {
      p = this.#get(url, key).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return p;
  }

  async #get(url: string, key: string): Promise<CachedAudio> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${key}.audio`);
    const metaPath = join(this.dir, `${key}.json`);
    const meta = await this.#readMeta(metaPath, path, url);
    const now = this.#now();
    if (meta && now - meta.storedAt < meta.maxAgeMs) {
      await this.#touch(path);
      return { ...this.#describe(meta, path), via: 'fresh' };
    }
    const headers: Record<string, string> = { ...this.#headers };
    if (meta?.etag) headers['if-none-match'] = meta.etag;
    if (meta?.lastModified) headers['if-modified-since'] = meta.lastModified;
    let res: Response;
    try {
      res = await this.#fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.#timeout) });
    } catch (err) {
      throw this.#networkError(url, err);
    }
    if (res.status === 304 && meta) {
      await res.body?.cancel().catch(() => undefined);
      const maxAgeMs = maxAgeOf(res.headers.get('cache-control')) ?? this.#ttl;
      const renewed: Meta = { ...meta, storedAt: now, maxAgeMs };
      await writeFile(metaPath, JSON.stringify(renewed));
      await this.#touch(path);
      return { ...this.#describe(renewed, path), via: 'revalidated' };
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel().catch(() => undefined);
      throw new SourceError('MEDIA_SOURCE_NOT_FOUND', `${url}: HTTP ${res.status}`);
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => undefined);
      throw new SourceError('MEDIA_SOURCE_FETCH', `${url}: HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > this.#maxFile) {
      await res.body?.cancel().catch(() => undefined);
      const why = `${declared} bytes is over the ${this.#maxFile}-byte limit`;
      throw new SourceError('MEDIA_SOURCE_TOO_LARGE', `${url}: ${why}`);
    }
    const size = await this.#download(url, res, path);
    const fresh: Meta = {
      url,
      size,
      storedAt: now,
      maxAgeMs: maxAgeOf(res.headers.get('cache-control')) ?? this.#ttl,
      contentType: res.headers.get('content-type') ?? undefined,
      etag: res.headers.get('etag') ?? undefined,
      lastModified: res.headers.get('last-modified') ?? undefined,
    };
    await writeFile(metaPath, JSON.stringify(fresh));
    await this.prune().catch(() => undefined);
    return { ...this.#describe(fresh, path), via: 'downloaded' };
  }

  /** Streams the body into a temporary file and renames it to `path`; returns the size. */
  async #download(url: string, res: Response, path: string): Promise<number> {
    const tmp = `${path}.${randomBytes(6).toString('hex')}.part`;
    const fh = await open(tmp, 'w');
    let size = 0;
    let ok = false;
    try {
      if (res.body) {
        for await (const chunk of res.body) {
          size += chunk.byteLength;
          if (size > this.#maxFile) {
            throw new SourceError('MEDIA_SOURCE_TOO_LARGE', `${url}: over the ${this.#maxFile}-byte limit`);
          }
          await fh.write(chunk);
        }
      }
      ok = true;
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw this.#networkError(url, err);
    } finally {
      await fh.close();
      if (!ok) await rm(tmp, { force: true });
    }
    await rename(tmp, path);
    return size;
  }

  async #readMeta(metaPath: string, path: string, url: string): Promise<Meta | undefined> {
    try {
      const meta = parseMeta(await readFile(metaPath, 'utf8'));
      if (!meta || meta.url !== url) return undefined;
      const st = await stat(path);
      return st.size === meta.size ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  #describe(meta: Meta, path: string): Omit<CachedAudio, 'via'> {
    const { url, size, contentType, etag, lastModified } = meta;
    return { url, path, size, contentType, etag, lastModified };
  }

  async #touch(path: string): Promise<void> {
    const t = new Date();
    await utimes(path, t, t).catch(() => undefined);
  }

  #networkError(url: string, err: unknown): SourceError {
    const name = (err as { name?: unknown } | null)?.name;
    const detail = err instanceof Error ? err.message : String(err);
    const why = name === 'TimeoutError' ? `timed out after ${this.#timeout} ms` : detail;
    return new SourceError('MEDIA_SOURCE_FETCH', `${url}: ${why}`, { cause: err });
  }

  /** Removes least recently used files until the cache is within maxTotalBytes. */
  async prune(): Promise<void> {
    const names = await readdir(this.dir);
    const files: { stem: string; size: number; used: number }[] = [];
    let total = 0;
    for (const name of names) {
      if (!name.endsWith('.audio')) continue;
      const st = await stat(join(this.dir, name)).catch(() => undefined);
      if (!st) continue;
      files.push({ stem: name.slice(0, -'.audio'.length), size: st.size, used: st.mtimeMs });
      total += st.size;
    }
    files.sort((a, b) => a.used - b.used);
    for (const f of files) {
      if (total <= this.#maxTotal) break;
      if (this.#inflight.has(f.stem)) continue;
      await rm(join(this.dir, `${f.stem}.audio`), { force: true });
      await rm(join(this.dir, `${f.stem}.json`), { force: true });
      total -= f.size;
    }
  }
}
