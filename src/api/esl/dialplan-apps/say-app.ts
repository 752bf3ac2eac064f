/**
 * `say <module>[:<lang>] <type> <method> [<gender>] <text>` (specs/esl.md §6 say). When the channel's
 * `sound_prefix` (channel variable, else global, else the configured sounds directory) holds the
 * recorded prompts the English say module uses (say-files.ts; `<name>.wav`, looked up first in the
 * leg's rate folder as the sounds packages ship them, `digits/8000/1.wav`, then any rate, then
 * `digits/1.wav`), they play in sequence as one `file_string://` playback, as the original does.
 * Otherwise (another module, a missing file, a type without recorded form) the words of say-text.ts
 * are spoken by the server's TTS and played like `speak` (PLAYBACK_START/STOP). The language is the
 * module's (`en`, or `<module>-<lang>`), unless `tts_language` is set; the channel's `timezone`
 * variable picks the zone of current_* types. Bad arguments: `-ERR usage`; a type the module does not
 * know: `-ERR invalid say type` (both logged).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';
import { sayFiles } from './say-files.ts';
import { parseSay, sayText } from './say-text.ts';
import { speakRequest, type SpeechRequest, type Synthesize } from './speak-app.ts';

const RATES = [48000, 32000, 16000, 8000];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The file of one sound name under the prefix (rate folder first), or undefined. */
async function soundFile(prefix: string, name: string, rate: number): Promise<string | undefined> {
  const slash = name.lastIndexOf('/');
  const dir = join(prefix, name.slice(0, slash + 1));
  const file = `${name.slice(slash + 1)}.wav`;
  for (const r of [rate, ...RATES.filter((x) => x !== rate)]) {
    const path = join(dir, String(r), file);
    if (await exists(path)) return path;
  }
  const plain = join(dir, file);
  return (await exists(plain)) ? plain : undefined;
}

/** The playable `file_string://` of the names, or the first name without a file. */
export async function resolveSounds(prefix: string, names: readonly string[], rate: number): Promise<{ spec: string } | { missing: string }> {
  const parts: string[] = [];
  for (const name of names) {
    if (name.includes('://')) {
      parts.push(name);
      continue;
    }
    const file = await soundFile(prefix, name, rate);
    if (file === undefined || file.includes('!')) return { missing: name };
    parts.push(file);
  }
  return { spec: `file_string://${parts.join('!')}` };
}

async function playSounds(ch: Channel, spec: string): Promise<string> {
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
  if (ch.ended) return '_none_';
  const outcome = await ch.play(spec).done;
  return outcome.status === 'failed' ? 'PLAYBACK ERROR' : '_none_';
}

export interface SayOptions {
  /** The sounds directory used when the channel has no `sound_prefix`. */
  soundsDir?: string;
}

export function sayApp(synthesize: Synthesize | undefined, now: () => number = Date.now, options: SayOptions = {}): AppFn {
  return async (ch, arg, runner) => {
    const req = parseSay(arg);
    if (!req) {
      ch.log.warn({ arg }, 'say: usage <module>[:<lang>] <type> <method> [<gender>] <text>');
      return '-ERR usage';
    }
    const timeZone = ch.getVariable('timezone');
    const prefix = ch.getVariable('sound_prefix') || runner.globals.get('sound_prefix') || options.soundsDir;
    const names = prefix ? sayFiles(req, now(), timeZone) : undefined;
    if (prefix && names && names.length > 0) {
      const sounds = await resolveSounds(prefix, names, ch.media?.sampleRate ?? 8000);
      if ('spec' in sounds) return playSounds(ch, sounds.spec);
      ch.log.info({ prefix, missing: sounds.missing }, 'say: sound file missing; speaking with TTS');
    }
    const text = sayText(req, now(), timeZone);
    if (text === undefined) {
      ch.log.warn({ type: req.type, text: req.text }, 'say: unknown type or text');
      return '-ERR invalid say type';
    }
    const request: SpeechRequest = {
      text, language: ch.getVariable('tts_language') ?? (req.language ? `${req.module}-${req.language}` : req.module),
    };
    const engine = ch.getVariable('tts_engine');
    const voice = ch.getVariable('tts_voice');
    if (engine) request.engine = engine;
    if (voice) request.voice = voice;
    return speakRequest(ch, request, synthesize);
  };
}
