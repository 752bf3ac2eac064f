/**
 * Overlay tracks of a media session: named tracks of extra audio (the jambonz `dub` verb: background
 * music, a second voice) mixed into what the party hears, over whatever else the session sends (the
 * bridged leg, a conference mix, a prompt, or silence). Each track has its own player (one source at a
 * time: a new play replaces the current one) and a gain in dB; each tick every sounding track is added
 * to the outgoing frame, scaled and saturated to 16 bits. Playbacks report through the session's
 * `playback.started` / `playback.stopped` callbacks with their own ids.
 *
 * No allocation per tick once a track exists (one scratch frame per mix).
 */
import type { AudioSource } from '../sources/index.ts';
import { Player, type PlayerCallbacks } from './player.ts';
import { MediaSessionError } from './session-error.ts';

export interface OverlayPlayOptions {
  /** Times to play: 1 by default; 0 plays until stopped. */
  loop?: number;
  /** Gain of the track in dB (default 0; -60..+30). */
  gainDb?: number;
  /** Caller-chosen playback id. */
  id?: string;
}

interface Track {
  readonly player: Player;
  gain: number;
}

/** dB of the quietest and loudest overlay gain accepted. */
export const OVERLAY_GAIN_RANGE_DB = { min: -60, max: 30 } as const;

/** Linear factor of a gain in dB. */
export function gainFactor(db: number): number {
  return Math.pow(10, db / 20);
}

export class OverlayMix {
  #rate: number;
  #frameSamples: number;
  #scratch: Int16Array;
  readonly #callbacks: PlayerCallbacks;
  readonly #tracks = new Map<string, Track>();
  #next = 1;

  constructor(rate: number, frameSamples: number, callbacks: PlayerCallbacks) {
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    this.#scratch = new Int16Array(frameSamples);
    this.#callbacks = callbacks;
  }

  /** True while a track plays something. */
  get active(): boolean {
    for (const t of this.#tracks.values()) if (t.player.active) return true;
    return false;
  }

  /** Names of the tracks. */
  get tracks(): string[] {
    return [...this.#tracks.keys()];
  }

  has(track: string): boolean {
    return this.#tracks.has(track);
  }

  /** Adds an empty track (nothing when it exists). */
  add(track: string): void {
    if (this.#tracks.has(track)) return;
    const player = new Player(this.#rate, this.#frameSamples, this.#callbacks, `ov${this.#next++}`);
    this.#tracks.set(track, { player, gain: 1 });
  }

  /**
   * Plays `source` on `track` (added when missing), replacing what it played; returns the playback id.
   * Throws MEDIA_SESSION_CONFIG for a gain out of range (the source is then the caller's to close).
   */
  play(track: string, source: AudioSource, options: OverlayPlayOptions = {}): string {
    const db = options.gainDb ?? 0;
    if (!(Number.isFinite(db) && db >= OVERLAY_GAIN_RANGE_DB.min && db <= OVERLAY_GAIN_RANGE_DB.max)) {
      throw new MediaSessionError('MEDIA_SESSION_CONFIG', `overlay gain ${db} dB is out of range`);
    }
    this.add(track);
    const t = this.#tracks.get(track)!;
    const id = t.player.play(source, { ...(options.loop === undefined ? {} : { loop: options.loop }), ...(options.id ? { id: options.id } : {}) });
    t.gain = gainFactor(db);
    return id;
  }

  /** Stops what `track` plays (the track stays); false when the track is unknown. */
  silence(track: string): boolean {
    const t = this.#tracks.get(track);
    if (!t) return false;
    t.player.stop();
    return true;
  }

  /** Stops one playback by id, on whichever track; false when unknown. */
  stopPlayback(id: string): boolean {
    for (const t of this.#tracks.values()) if (t.player.stopOne(id)) return true;
    return false;
  }

  /** Removes `track` (what it plays is stopped); false when unknown. */
  remove(track: string): boolean {
    const t = this.#tracks.get(track);
    if (!t) return false;
    this.#tracks.delete(track);
    t.player.close();
    return true;
  }

  /** A new session rate (re-INVITE to another codec). */
  setFormat(rate: number, frameSamples: number): void {
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    if (this.#scratch.length !== frameSamples) this.#scratch = new Int16Array(frameSamples);
    for (const t of this.#tracks.values()) t.player.setFormat(rate, frameSamples);
  }

  /** Adds one tick of every sounding track into `out`; true when a track sounded. */
  mix(out: Int16Array): boolean {
    let mixed = false;
    const scratch = this.#scratch;
    const n = Math.min(out.length, scratch.length);
    for (const t of this.#tracks.values()) {
      if (!t.player.active || !t.player.fill(scratch)) continue;
      mixed = true;
      const g = t.gain;
      for (let i = 0; i < n; i++) {
        const v = out[i]! + Math.round(scratch[i]! * g);
        out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    return mixed;
  }

  /** Removes every track; idempotent. */
  close(): void {
    for (const track of [...this.#tracks.keys()]) this.remove(track);
  }
}
