/**
 * `speak <engine>|<voice>|<text>` or `speak <text>` with the `tts_engine` / `tts_voice` variables
 * (specs/esl.md §6 speak): the text goes to the server's TTS (injected as a function that returns a file
 * to play), then plays like playback (PLAYBACK_START/STOP). Without a TTS: `-ERR no TTS`.
 */
import type { Channel } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';

export interface SpeechRequest {
  text: string;
  engine?: string;
  voice?: string;
  language?: string;
}

/** Turns text into something Channel.play takes (a WAV path). */
export type Synthesize = (request: SpeechRequest) => Promise<string>;

function requestOf(channel: Channel, arg: string): SpeechRequest {
  const parts = arg.split('|');
  const r: SpeechRequest = { text: parts.length >= 3 ? parts.slice(2).join('|') : arg };
  const engine = parts.length >= 3 ? parts[0] : channel.getVariable('tts_engine');
  const voice = parts.length >= 3 ? parts[1] : channel.getVariable('tts_voice');
  const language = channel.getVariable('tts_language') ?? channel.getVariable('default_language');
  if (engine) r.engine = engine;
  if (voice) r.voice = voice;
  if (language) r.language = language;
  return r;
}

/** Synthesizes and plays the request (also used by `say`); resolves with the Application-Response. */
export async function speakRequest(ch: Channel, request: SpeechRequest, synthesize: Synthesize | undefined): Promise<string> {
  if (!synthesize) {
    ch.log.warn('speak: no TTS configured');
    return '-ERR no TTS';
  }
  if (request.text.trim() === '') return '-ERR';
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
  let file: string;
  try {
    file = await synthesize(request);
  } catch (err) {
    ch.log.warn({ err }, 'speak: synthesis failed');
    return '-ERR';
  }
  if (ch.ended) return '_none_';
  const outcome = await ch.play(file).done;
  return outcome.status === 'failed' ? 'PLAYBACK ERROR' : '_none_';
}

export function speakApp(synthesize: Synthesize | undefined): AppFn {
  return (ch, arg) => speakRequest(ch, requestOf(ch, arg.trim()), synthesize);
}
