/**
 * The background features of `config` this folder and recording/ serve (specs/jambonz.md §3.A):
 * `listen` / `stream` {enable, url, ...} forks the call's audio for the rest of the call (one at a
 * time; `enable: false` stops it; the call is answered first, as the listen verb does), and `record`
 * {action, ...} applies a record action (a start waits for the answer). Problems answer the app with
 * `jambonz:error`; the rest of the config still applies.
 */
import { errorMessage } from '../../../../lib/index.ts';
import { applyRecord, recordRequestOf } from '../recording/index.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { listenOptionsFor, startFork } from './run-listen.ts';
import { stopBackgroundFork } from './session-listens.ts';

export function configListen(s: VerbServices, data: Record<string, unknown>, verb: VerbData): void {
  if (data['enable'] === false) {
    stopBackgroundFork(s);
    return;
  }
  const options = listenOptionsFor(s, data);
  if (!options) return;
  void (async () => {
    if (!(await s.ensureMedia(data['earlyMedia'] === true))) return;
    const fork = await startFork(s, options, true);
    const end = await fork.ended;
    if (end.reason === 'connect-failed') s.notifyError({ msg: 'listen failed', details: `audio socket ${options.url}: ${end.error ?? 'unusable'}` }, verb);
  })().catch((err: unknown) => s.log.warn({ err: errorMessage(err) }, 'background listen failed'));
}

export function configRecord(s: VerbServices, data: Record<string, unknown>, verb: VerbData): void {
  const apply = (): void => {
    try {
      applyRecord(s, recordRequestOf(data));
    } catch (err) {
      s.notifyError({ msg: 'record failed', details: errorMessage(err) }, verb);
    }
  };
  if (data['action'] === 'startCallRecording' && !s.channel.answered && !s.channel.ended) {
    const off = s.channel.on('answered', () => {
      off();
      apply();
    });
    return;
  }
  apply();
}
