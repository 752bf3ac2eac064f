/**
 * Opens a player from the spec strings FreeSWITCH and jambonz applications use:
 *
 *   /path/file.wav, file.mp3, relative/name.wav   a file (relative to `soundDir` when given)
 *   file:///path/file.wav                          the same as a URL
 *   http://host/a.wav, https://...                 downloaded through the UrlCache, then played
 *   tone_stream://%(2000,4000,440,480);loops=-1    a TGML script (tgml.ts)
 *   silence_stream://1000[,1400]                   silence or comfort noise; -1 = endless
 *   file_string://a.wav!b.wav!tone_stream://...    the parts one after the other
 *
 * Every source plays at `opts.sampleRate` (files are resampled). Spec and file errors reject the returned
 * promise. A URL resolves at once with a source that plays silence while downloading and then the audio;
 * a failed download ends it with a typed `error` (or, with `awaitReady`, rejects instead).
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioSource, LoopCount } from './audio-source.ts';
import { checkSampleRate } from './audio-source.ts';
import { loadAudio } from './audio-file.ts';
import { ConcatSource } from './concat-source.ts';
import { DeferredSource } from './deferred-source.ts';
import { sharedFileAudioCache } from './file-audio-cache.ts';
import { PcmPlayer } from './pcm-player.ts';
import type { PcmStore } from './pcm-store.ts';
import { SilenceSource, parseSilenceSpec } from './silence-source.ts';
import { SourceError } from './source-error.ts';
import { ToneStreamSource } from './tone-stream-source.ts';
import { UrlCache } from './url-cache.ts';

export interface OpenSourceOptions {
  /** Rate of the frames the source produces. */
  sampleRate: number;
  /** Plays in total (default 1); 'forever', 0 or -1 = until closed. */
  loop?: LoopCount;
  /** Start position in ms (play's seekOffset). */
  startMs?: number;
  /** Base directory of relative file paths. */
  soundDir?: string;
  /** The URL cache to use; one per `cacheDir` is shared when absent. */
  cache?: UrlCache;
  /** Directory of the shared URL cache; `<tmpdir>/switchboard-audio` unless given. */
  cacheDir?: string;
  /** Largest download or file accepted, in bytes; 50 MiB for downloads, 256 MiB for files unless given. */
  maxBytes?: number;
  /** Download timeout in ms (shared cache only). */
  fetchTimeoutMs?: number;
  /** For URLs: resolve only when the audio is ready; a failure rejects instead of landing in `error`. */
  awaitReady?: boolean;
}

const caches = new Map<string, UrlCache>();

/** The cache shared by every openSource() call with the same directory (the first call's limits apply). */
export function sharedUrlCache(dir: string, opts: { maxFileBytes?: number; timeoutMs?: number } = {}): UrlCache {
  let c = caches.get(dir);
  if (!c) {
    c = new UrlCache({ dir, maxFileBytes: opts.maxFileBytes, timeoutMs: opts.timeoutMs });
    caches.set(dir, c);
  }
  return c;
}

const SCHEME = /^([a-z][a-z0-9_+.-]*):\/\//i;

/** Opens a source from a spec string (see the file comment). */
export async function openSource(spec: string, opts: OpenSourceOptions): Promise<AudioSource> {
  checkSampleRate(opts.sampleRate);
  const s = spec.trim();
  if (s === '') throw new SourceError('MEDIA_SOURCE_SPEC', 'empty source spec');
  const scheme = SCHEME.exec(s)?.[1]?.toLowerCase();
  const rest = scheme ? s.slice(scheme.length + 3) : s;
  let src: AudioSource;
  switch (scheme) {
    case 'tone_stream':
      src = new ToneStreamSource(rest, { sampleRate: opts.sampleRate, loop: opts.loop });
      break;
    case 'silence_stream':
      src = new SilenceSource({ sampleRate: opts.sampleRate, loop: opts.loop, ...parseSilenceSpec(rest) });
      break;
    case 'file_string':
      return openConcat(rest, opts);
    case 'http':
    case 'https':
      return openUrl(s, opts);
    case 'file': {
      let path: string;
      try {
        path = fileURLToPath(s);
      } catch (err) {
        throw new SourceError('MEDIA_SOURCE_SPEC', `bad file URL "${s}"`, { cause: err });
      }
      return openFile(path, opts);
    }
    case undefined:
      return openFile(s, opts);
    default:
      throw new SourceError('MEDIA_SOURCE_SPEC', `unsupported source scheme "${scheme}://"`);
  }
  if (opts.startMs) src.seek?.(opts.startMs);
  return src;
}

/** Plays a whole file from disk. */
export async function openFile(path: string, opts: OpenSourceOptions): Promise<AudioSource> {
  const full = isAbsolute(path) || !opts.soundDir ? resolve(path) : resolve(opts.soundDir, path);
  const limit = opts.maxBytes ?? 256 * 1024 * 1024;
  let store: PcmStore;
  try {
    store = await sharedFileAudioCache.get(full, (bytes) => loadAudio(bytes, { name: full }), (st) => {
      if (!st.isFile()) throw new SourceError('MEDIA_SOURCE_IO', `${full} is not a file`);
      if (st.size > limit) {
        throw new SourceError('MEDIA_SOURCE_TOO_LARGE', `${full}: ${st.size} bytes is over the ${limit}-byte limit`);
      }
    });
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SourceError('MEDIA_SOURCE_NOT_FOUND', `${full} does not exist`, { cause: err });
    }
    throw new SourceError('MEDIA_SOURCE_IO', `${full} cannot be read`, { cause: err });
  }
  return new PcmPlayer(store, { sampleRate: opts.sampleRate, loop: opts.loop, startMs: opts.startMs });
}

/** Plays an http(s) URL through the cache. */
export async function openUrl(url: string, opts: OpenSourceOptions): Promise<AudioSource> {
  const dir = opts.cacheDir ?? join(tmpdir(), 'switchboard-audio');
  const cache = opts.cache ?? sharedUrlCache(dir, { maxFileBytes: opts.maxBytes, timeoutMs: opts.fetchTimeoutMs });
  const pending = (async (): Promise<AudioSource> => {
    const got = await cache.get(url);
    const bytes = await readFile(got.path);
    const store = await loadAudio(bytes, { name: new URL(url).pathname, contentType: got.contentType });
    return new PcmPlayer(store, { sampleRate: opts.sampleRate, loop: opts.loop, startMs: opts.startMs });
  })();
  if (opts.awaitReady) return pending;
  return new DeferredSource(opts.sampleRate, pending);
}

async function openConcat(list: string, opts: OpenSourceOptions): Promise<AudioSource> {
  const specs = list.split('!').map((p) => p.trim()).filter((p) => p !== '');
  if (specs.length === 0) throw new SourceError('MEDIA_SOURCE_SPEC', 'file_string:// with no files');
  const partOpts: OpenSourceOptions = { ...opts, loop: 1, startMs: 0 };
  const parts: AudioSource[] = [];
  try {
    for (const p of specs) parts.push(await openSource(p, partOpts));
  } catch (err) {
    for (const p of parts) p.close();
    throw err;
  }
  const all = new ConcatSource(parts, opts.sampleRate);
  return all;
}
