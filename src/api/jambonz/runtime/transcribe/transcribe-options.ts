/**
 * Reads `transcribe` data (the verb, `config.transcribe`, or `dial.transcribe`; specs/jambonz.md §3.A):
 * `transcriptionHook` (required), `recognizer` merged over the session's recognizer settings
 * (`interim`, `separateRecognitionPerChannel`, language, hints ...; continuous recognition unless
 * `singleUtterance` is set), and `channel` (1 caller, 2 callee)
 * inside a dial. Which legs: the caller only by default (as the original does), both with
 * `separateRecognitionPerChannel`, the callee alone with `channel: 2`. Pure: no I/O.
 */
import type { Hook } from '../../contract.ts';
import type { RecognizerSettings } from '../speech.ts';
import { asNumber, asRecord } from '../verb-data.ts';
import { hookOf } from '../verbs/verb.ts';

export interface TranscribeRequest {
  hook: Hook;
  settings: RecognizerSettings;
  /** Tags of the legs to transcribe: 1 caller, 2 callee. */
  tags: number[];
}

export type TranscribeParse = { ok: true; request: TranscribeRequest } | { ok: false; error: string };

export function transcribeRequestOf(data: Record<string, unknown>, session: RecognizerSettings): TranscribeParse {
  const hook = hookOf(data['transcriptionHook']);
  if (!hook) return { ok: false, error: 'transcribe needs a transcriptionHook' };
  const settings: RecognizerSettings = { ...session, singleUtterance: false, ...(asRecord(data['recognizer']) ?? {}) };
  const channel = asNumber(data['channel']);
  const tags = settings['separateRecognitionPerChannel'] === true && channel === undefined ? [1, 2] : channel === 2 ? [2] : [1];
  return { ok: true, request: { hook, settings, tags } };
}
