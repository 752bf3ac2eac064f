/**
 * The transcriptions running for each session (the `transcribe` verb, `config.transcribe`, a dial's
 * nested `transcribe`), so that `transcribe:status` and REST `transcribe_status` (specs/jambonz.md §1.6,
 * §2.6) reach them: `pause` closes their recognition streams, `resume` opens new ones, `stop` ends them
 * (the `transcribe` verb then completes and the app goes on).
 */
import type { VerbServices } from '../verbs/verb.ts';

export type TranscribeStatus = 'pause' | 'resume' | 'stop';

/** What transcribe:status needs of a running transcription (transcription.ts). */
export interface ControlledTranscription {
  pause(): boolean;
  resume(): boolean;
  stop(): void;
}

const running = new WeakMap<VerbServices, Set<ControlledTranscription>>();

/** Lists `t` for session `s`; returns the function that unlists it. */
export function listTranscription(s: VerbServices, t: ControlledTranscription): () => void {
  let set = running.get(s);
  if (!set) {
    set = new Set();
    running.set(s, set);
  }
  set.add(t);
  return () => {
    set.delete(t);
  };
}

export function isTranscribeStatus(value: unknown): value is TranscribeStatus {
  return value === 'pause' || value === 'resume' || value === 'stop';
}

/** `transcribe_status` from bare or wrapped data. */
export function transcribeStatusOf(data: unknown): TranscribeStatus | undefined {
  const value = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['transcribe_status'] : data;
  return isTranscribeStatus(value) ? value : undefined;
}

/**
 * Applies `status` to the session's running transcriptions; returns how many were running (0: none).
 * Pausing a paused one or resuming a running one changes nothing and still counts.
 */
export function setTranscribeStatus(s: VerbServices, status: TranscribeStatus): number {
  const set = running.get(s);
  if (!set || set.size === 0) return 0;
  const list = [...set];
  for (const t of list) {
    if (status === 'pause') t.pause();
    else if (status === 'resume') t.resume();
    else t.stop();
  }
  s.log.info({ status, transcriptions: list.length }, 'transcribe:status applied');
  return list.length;
}
