/**
 * Audio files kept in memory after their first play, so that a prompt played on every call (a cached
 * TTS line, a beep, hold music) costs one stat() per play instead of open + read + close and a header
 * parse. An entry is used only while the file's size, modification time and inode are unchanged (a file
 * rewritten in place, such as a new recording at the same path, is read again). Entries are dropped least
 * recently used first when the total exceeds the byte budget; files larger than a quarter of the budget
 * are never kept. Stores are read-only, so players share them.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { PcmStore } from './pcm-store.ts';

export interface FileAudioCacheOptions {
  /** Bytes of file content kept at most (default 32 MiB). */
  maxBytes?: number;
}

interface Entry {
  /** Bytes charged to the budget: the file, or its decoded samples when larger. */
  weight: number;
  size: number;
  mtimeMs: number;
  ino: number;
  store: PcmStore;
}

/** Turns a file's bytes into a store (the format sniffing of audio-file.ts). */
export type AudioLoader = (bytes: Uint8Array, name: string) => Promise<PcmStore>;

export class FileAudioCache {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: FileAudioCacheOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The file's audio: from memory when the file is unchanged, else read and decoded with `load`.
   * `check(stats)` runs on every call before anything is read (it throws to refuse the file).
   */
  async get(path: string, load: AudioLoader, check: (st: Stats) => void): Promise<PcmStore> {
    const st = await stat(path);
    check(st);
    const hit = this.#entries.get(path);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) {
      // Most recently used goes last.
      this.#entries.delete(path);
      this.#entries.set(path, hit);
      return hit.store;
    }
    if (hit) this.#drop(path, hit);
    const bytes = await readFile(path);
    const store = await load(bytes, path);
    const weight = Math.max(bytes.length, store.length * 2);
    if (store.complete && weight <= this.#maxBytes / 4) {
      const stale = this.#entries.get(path);
      if (stale) this.#drop(path, stale);
      this.#entries.set(path, { weight, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, store });
      this.#bytes += weight;
      this.#trim();
    }
    return store;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #drop(path: string, entry: Entry): void {
    this.#entries.delete(path);
    this.#bytes -= entry.weight;
  }

  #trim(): void {
    for (const [path, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#drop(path, entry);
    }
  }
}

/** The cache of this thread (each media worker has its own). */
export const sharedFileAudioCache = new FileAudioCache();
