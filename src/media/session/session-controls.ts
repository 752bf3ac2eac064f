/**
 * The plain-data commands of a session's mute, output gain and overlay tracks (media-session.ts setMuted,
 * setOutputGain, overlay-mix.ts),
 * for a MediaCommandHost that owns sessions on behalf of another thread. An overlay play opens its
 * source first (asynchronously): a silence, a removal or a newer play of the same track that arrives
 * meanwhile wins, and the late source is closed and reported `stopped`, as session.play does.
 */
import { errorMessage } from '../../lib/index.ts';
import type { AudioSource } from '../sources/index.ts';
import type { MediaSession } from './media-session.ts';
import type { MediaSessionEvents } from './session-events.ts';

export type SessionControlCommand =
  | { op: 'session.mute'; sessionId: string; on: boolean }
  /** The gain of what the party hears, in dB (MediaSession.setOutputGain; 0 removes it). */
  | { op: 'session.gain'; sessionId: string; db: number }
  | { op: 'session.overlayPlay'; sessionId: string; track: string; playbackId: string; source: string; loop?: number; gainDb?: number }
  /** Stops what the track plays (or only `playbackId`); the track stays. */
  | { op: 'session.overlaySilence'; sessionId: string; track: string; playbackId?: string }
  | { op: 'session.overlayRemove'; sessionId: string; track: string };

export const SESSION_CONTROL_OPS: ReadonlySet<string> = new Set(['session.mute', 'session.gain', 'session.overlayPlay', 'session.overlaySilence', 'session.overlayRemove']);

export function isSessionControl(c: { op: string }): c is SessionControlCommand {
  return SESSION_CONTROL_OPS.has(c.op);
}

export interface SessionControlDeps {
  openSource(spec: string, sampleRate: number): AudioSource | Promise<AudioSource>;
  /** Posts a playback event of a session (for a play whose source never reached the track). */
  postStopped(sessionId: string, payload: MediaSessionEvents['playback.stopped']): void;
}

export class SessionControls {
  readonly #deps: SessionControlDeps;
  /** The playback each track is opening a source for, by `sessionId/track`. */
  readonly #opening = new Map<string, string>();

  constructor(deps: SessionControlDeps) {
    this.#deps = deps;
  }

  /** Runs one command on `session`; resolves with its result (false: unknown track or playback). */
  async handle(c: SessionControlCommand, session: MediaSession): Promise<boolean | undefined> {
    const key = `${c.sessionId}/${'track' in c ? c.track : ''}`;
    switch (c.op) {
      case 'session.mute':
        session.setMuted(c.on);
        return undefined;
      case 'session.gain':
        session.setOutputGain(c.db);
        return undefined;
      case 'session.overlayPlay':
        await this.#play(c, session, key);
        return undefined;
      case 'session.overlaySilence': {
        const opening = this.#opening.get(key);
        if (opening !== undefined && (c.playbackId === undefined || c.playbackId === opening)) this.#opening.delete(key);
        return session.overlay.silence(c.track) || opening !== undefined;
      }
      case 'session.overlayRemove':
        this.#opening.delete(key);
        return session.overlay.remove(c.track);
    }
  }

  async #play(c: Extract<SessionControlCommand, { op: 'session.overlayPlay' }>, session: MediaSession, key: string): Promise<void> {
    this.#opening.set(key, c.playbackId);
    let source: AudioSource;
    try {
      source = await this.#deps.openSource(c.source, session.sampleRate);
    } catch (err) {
      if (this.#opening.get(key) === c.playbackId) this.#opening.delete(key);
      this.#deps.postStopped(c.sessionId, { id: c.playbackId, reason: 'error', error: errorMessage(err) });
      throw err;
    }
    const wanted = this.#opening.get(key) === c.playbackId;
    if (wanted) this.#opening.delete(key);
    if (!wanted || session.closed) {
      source.close();
      this.#deps.postStopped(c.sessionId, { id: c.playbackId, reason: 'stopped' });
      return;
    }
    try {
      session.overlay.play(c.track, source, { id: c.playbackId, ...(c.loop === undefined ? {} : { loop: c.loop }), ...(c.gainDb === undefined ? {} : { gainDb: c.gainDb }) });
    } catch (err) {
      source.close();
      this.#deps.postStopped(c.sessionId, { id: c.playbackId, reason: 'error', error: errorMessage(err) });
      throw err;
    }
  }
}
