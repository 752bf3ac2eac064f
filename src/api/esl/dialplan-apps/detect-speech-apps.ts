/**
 * Speech recognition applications (specs/esl.md §6 detect_speech, §4.4 DETECTED_SPEECH), over the
 * server's recognizer (speech-detection.ts):
 * - `detect_speech <mod> <grammar_name> <grammar_path> [<addr>]` starts detection on the caller's audio
 *   and returns at once; results arrive as DETECTED_SPEECH events. The module name is not used to pick
 *   a vendor (the configured recognizer serves all) and the grammar only names the result.
 *   `detect_speech pause|resume|stop`; `grammar`, `nogrammar`, `grammaron`, `grammaroff`,
 *   `grammarsalloff`, `start_input_timers`, `param` and `init` are accepted and change nothing.
 * - `play_and_detect_speech <file> detect:<engine> <grammar>` plays the file while listening (speech
 *   stops the prompt), waits for the first result (at most `detect_speech_timeout` ms after the prompt,
 *   default 10 000) and sets `detect_speech_result` to its NLSML; detection then stops.
 * With no recognizer configured both log `no speech recognizer configured` and answer `-ERR`.
 */
import type { Channel } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';
import type { DetectedSpeech, SpeechDetection } from '../speech-detection.ts';

export const DEFAULT_DETECT_TIMEOUT_MS = 10_000;

const NO_OP_ACTIONS = new Set(['grammar', 'nogrammar', 'grammaron', 'grammaroff', 'grammarsalloff', 'start_input_timers', 'param', 'init']);

export type DetectSpeechCommand =
  | { kind: 'start'; engine: string; grammar: string; path: string }
  | { kind: 'pause' | 'resume' | 'stop' }
  | { kind: 'noop'; action: string };

/** Parses the detect_speech argument; undefined when it is neither an action nor `<mod> <name> <path>`. */
export function parseDetectSpeech(arg: string): DetectSpeechCommand | undefined {
  const words = arg.trim().split(/\s+/).filter((w) => w !== '');
  const first = words[0]?.toLowerCase();
  if (first === undefined) return undefined;
  if (first === 'pause' || first === 'resume' || first === 'stop') return { kind: first };
  if (NO_OP_ACTIONS.has(first)) return { kind: 'noop', action: first };
  const [engine, grammar, path] = words;
  if (engine === undefined || grammar === undefined || path === undefined) return undefined;
  return { kind: 'start', engine, grammar, path };
}

/** `<file> detect:<engine> <grammar>` -> its parts; undefined without `detect:`. */
export function parsePlayAndDetect(arg: string): { file: string; engine: string; grammar: string } | undefined {
  const m = /^(.*?)\s+detect:(\S+)\s*(.*)$/s.exec(arg.trim());
  if (!m || (m[1] ?? '').trim() === '') return undefined;
  return { file: (m[1] ?? '').trim(), engine: m[2] ?? '', grammar: (m[3] ?? '').trim() };
}

async function needMedia(ch: Channel): Promise<void> {
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
}

function noRecognizer(ch: Channel, app: string): string {
  ch.log.warn(`${app}: no speech recognizer configured`);
  return '-ERR no speech recognizer';
}

export function detectSpeechApp(detection: SpeechDetection): AppFn {
  return async (ch, arg) => {
    const cmd = parseDetectSpeech(arg);
    if (!cmd) {
      ch.log.warn({ arg }, 'detect_speech: usage: <mod> <grammar_name> <grammar_path> | pause | resume | stop');
      return '-ERR';
    }
    if (!detection.available) return noRecognizer(ch, 'detect_speech');
    switch (cmd.kind) {
      case 'start': {
        await needMedia(ch);
        const r = detection.start(ch, { engine: cmd.engine, grammar: cmd.grammar });
        if (!r.ok) {
          ch.log.warn({ reason: r.reason }, 'detect_speech: could not start');
          return '-ERR';
        }
        return '_none_';
      }
      case 'pause': return detection.pause(ch.uuid) ? '_none_' : '-ERR';
      case 'resume': return detection.resume(ch.uuid) ? '_none_' : '-ERR';
      case 'stop': return detection.stop(ch.uuid) ? '_none_' : '-ERR';
      default: return '_none_';
    }
  };
}

export function playAndDetectSpeechApp(detection: SpeechDetection): AppFn {
  return async (ch, arg, runner) => {
    const parsed = parsePlayAndDetect(arg);
    if (!parsed) {
      ch.log.warn({ arg }, 'play_and_detect_speech: usage: <file> detect:<engine> <grammar>');
      return '-ERR';
    }
    if (!detection.available) return noRecognizer(ch, 'play_and_detect_speech');
    await needMedia(ch);
    ch.setVariable('detect_speech_result', undefined);
    const started = detection.start(ch, { engine: parsed.engine, grammar: parsed.grammar, single: true });
    if (!started.ok) {
      ch.log.warn({ reason: started.reason }, 'play_and_detect_speech: could not start');
      return '-ERR';
    }
    const timeoutMs = Number(ch.getVariable('detect_speech_timeout') ?? DEFAULT_DETECT_TIMEOUT_MS);
    let result: DetectedSpeech | undefined;
    const playback = ch.play(parsed.file);
    await new Promise<void>((resolve) => {
      let timer: { cancel(): void } | undefined;
      let finished = false;
      const offs = [
        detection.listen(ch.uuid, (type, r) => {
          if (type === 'begin-speaking') playback.stop();
          else if (r) {
            result = r;
            done();
          }
        }),
        ch.on('hangup', () => done()),
      ];
      void playback.done.then(() => {
        if (finished || ch.ended) return;
        timer = runner.sw.clock.setTimeout(() => done(), Number.isFinite(timeoutMs) && timeoutMs >= 0 ? timeoutMs : DEFAULT_DETECT_TIMEOUT_MS);
      });
      function done(): void {
        finished = true;
        for (const off of offs) off();
        timer?.cancel();
        resolve();
      }
    });
    playback.stop();
    detection.stop(ch.uuid);
    if (result !== undefined) ch.setVariable('detect_speech_result', result.body);
    return '_none_';
  };
}
