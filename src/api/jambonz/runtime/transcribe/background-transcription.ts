/**
 * `config.transcribe` (specs/jambonz.md §3.A config): `{enable: true, transcriptionHook, recognizer}`
 * starts a transcription of the caller that runs in the background until the call ends or
 * `{enable: false}` stops it; a new one replaces the running one. One per call, kept by channel.
 */
import type { Channel } from '../../../../core/index.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { transcribeRequestOf } from './transcribe-options.ts';
import { Transcription } from './transcription.ts';

const running = new WeakMap<Channel, Transcription>();

export function stopBackgroundTranscription(channel: Channel): void {
  running.get(channel)?.stop();
  running.delete(channel);
}

export function configTranscribe(s: VerbServices, data: Record<string, unknown>, verb: VerbData): void {
  stopBackgroundTranscription(s.channel);
  if (data['enable'] === false) return;
  const parsed = transcribeRequestOf(data, s.settings.recognizer);
  if (!parsed.ok) {
    s.notifyError({ msg: 'invalid config', details: `config.transcribe: ${parsed.error}` }, verb);
    return;
  }
  const t = new Transcription(s, { hook: parsed.request.hook, settings: parsed.request.settings, legs: [{ channel: s.channel, tag: 1 }], verb });
  running.set(s.channel, t);
  void t.ended.then(() => { if (running.get(s.channel) === t) running.delete(s.channel); });
  const begin = (): void => { if (!t.stopped) t.start(); };
  if (s.channel.answered) begin();
  else if (!s.channel.ended) {
    const off = s.channel.on('answered', () => { off(); begin(); });
    void t.ended.then(off);
  } else t.stop();
}
