/**
 * What a line typed at the console means, as FreeSWITCH's fs_cli reads it (compatibility source:
 * libs/esl/fs_cli.c process_command): leading spaces skipped; a `/` prefix (or a line starting with
 * `...`) is a console command, matched by prefix, case-insensitive: `/help`; `/exit` `/quit` `/bye`
 * `...`; `/logfilter [text]`; `/uuid [uuid]`; `/event` `/noevents` `/nixevent` `/log` `/nolog`
 * `/filter` sent to the server as typed (without the slash); `/debug [0-7]`; anything else is an
 * unknown command. Every other line is an API command (`api <line>`, header `console_execute: true`);
 * `console loglevel <level>` also sends `log <level>`. Pure.
 */

export type ConsoleAction =
  | { kind: 'empty' }
  | { kind: 'help' }
  | { kind: 'exit' }
  /** A command whose command/reply Reply-Text is printed (`event plain ALL`, `log 7` ...). */
  | { kind: 'send'; command: string }
  /** Only log lines whose User-Data is empty or this uuid; undefined turns the filter off. */
  | { kind: 'uuid'; uuid: string | undefined }
  /** Only log lines containing this text; undefined turns the filter off. */
  | { kind: 'logfilter'; text: string | undefined }
  | { kind: 'debug'; level: number | undefined }
  | { kind: 'api'; command: string; alsoLog?: string }
  | { kind: 'unknown'; text: string };

const SENT_AS_TYPED = ['event', 'noevents', 'nixevent', 'log', 'nolog', 'filter'];

export function parseConsoleLine(input: string): ConsoleAction {
  let line = input.replace(/[\r\n]+$/, '').replace(/^ +/, '');
  if (line === '') return { kind: 'empty' };
  const slash = line.startsWith('/');
  if (!slash && !line.startsWith('...')) {
    const m = /^console loglevel (.*)$/i.exec(line);
    return m ? { kind: 'api', command: line, alsoLog: m[1]! } : { kind: 'api', command: line };
  }
  if (slash) line = line.slice(1);
  const lower = line.toLowerCase();
  if (lower === 'help') return { kind: 'help' };
  if (lower === 'exit' || lower === 'quit' || lower === 'bye' || lower === '...') return { kind: 'exit' };
  if (lower.startsWith('logfilter')) {
    const text = line.slice(9).replace(/^ +/, '');
    return { kind: 'logfilter', text: text === '' ? undefined : text };
  }
  if (lower.startsWith('uuid')) {
    const uuid = line.slice(4).replace(/^ +/, '');
    return { kind: 'uuid', uuid: uuid === '' ? undefined : uuid };
  }
  if (SENT_AS_TYPED.some((p) => lower.startsWith(p))) return { kind: 'send', command: line };
  if (lower.startsWith('debug')) {
    const arg = line.slice(6).trim();
    const level = /^[0-7]$/.test(arg) ? Number(arg) : undefined;
    return { kind: 'debug', level };
  }
  return { kind: 'unknown', text: line };
}

export const CONSOLE_HELP = [
  'Command                    \tDescription',
  '-----------------------------------------------',
  '/help                      \tHelp',
  '/exit, /quit, /bye, ...    \tExit the program.',
  '/event, /noevents, /nixevent\tEvent commands.',
  '/log, /nolog               \tLog commands.',
  '/uuid                      \tFilter logs for a single call uuid',
  '/filter                    \tFilter commands.',
  '/logfilter                 \tFilter Log for a single string.',
  '/debug [0-7]               \tSet debug level.',
  '',
  '',
].join('\n');
