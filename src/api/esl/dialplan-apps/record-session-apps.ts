/**
 * `record_session <path> [+<limit_secs>] [{var=val,...}]` and `stop_record_session <path>|all`
 * (specs/esl.md §6, §4.4 RECORD_START / RECORD_STOP): a background recording of the leg that runs while
 * other apps go on, the same as the API `uuid_record` (background-recordings.ts). The app returns at
 * once; an unanswered inbound leg is pre-answered first. The `{...}` variables are set on the channel.
 * A stop without a matching recording answers `-ERR`.
 */
import type { AppFn } from '../apps.ts';
import { startBackgroundRecording, stopBackgroundRecording } from '../background-recordings.ts';

export interface RecordSessionArgs {
  path: string;
  limitSecs?: number;
  variables: Record<string, string>;
}

/** Parses the record_session argument; undefined without a path. */
export function parseRecordSessionArg(arg: string): RecordSessionArgs | undefined {
  let text = arg.trim();
  const variables: Record<string, string> = {};
  const vars = /\{([^}]*)\}\s*$/.exec(text);
  if (vars) {
    text = text.slice(0, vars.index).trim();
    for (const pair of (vars[1] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) variables[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  const words = text.split(/\s+/).filter((w) => w !== '');
  const limit = words.length > 1 && /^\+?\d+$/.test(words[words.length - 1]!) ? words.pop() : undefined;
  const path = words.join(' ');
  if (path === '') return undefined;
  const secs = limit === undefined ? 0 : Number(limit.replace('+', ''));
  return { path, variables, ...(secs > 0 ? { limitSecs: secs } : {}) };
}

export const recordSession: AppFn = async (ch, arg, runner) => {
  const parsed = parseRecordSessionArg(arg);
  if (!parsed) return '-ERR';
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
  if (Object.keys(parsed.variables).length > 0) ch.setVariables(parsed.variables);
  return startBackgroundRecording(runner.recordings, ch, parsed.path, parsed.limitSecs) ? '_none_' : '-ERR';
};

export const stopRecordSession: AppFn = async (ch, arg, runner) => {
  const path = arg.trim();
  if (path === '') return '-ERR';
  return stopBackgroundRecording(runner.recordings, ch.uuid, path) > 0 ? '_none_' : '-ERR';
};
