/**
 * How the console prints what arrives (compatibility source: FreeSWITCH libs/esl/fs_cli.c
 * msg_thread_run and process_command, libs/esl/src/esl_event.c esl_event_serialize): log/data bodies
 * colored by Log-Level (0 default, 1-3 red, 4 magenta, 5 cyan, 6 green, 7 yellow) and shown only when
 * they pass the /uuid filter (empty User-Data always passes) and the /logfilter text; text/event-plain
 * events as `RECV EVENT` + decoded `Name: value` lines (+ `Content-Length` and the body); other frames
 * as `INCOMING DATA [<type>]` + body; api replies as the body plus a newline, or `Error: ...!` for a
 * `-ERR` command/reply. Pure.
 */
import { contentType, frameHeader, parseHeaderLines, urlDecode, type ServerFrame } from './frame-reader.ts';

const RESET = '\x1b[0m';
const LEVEL_COLORS = [RESET, '\x1b[31m', '\x1b[31m', '\x1b[31m', '\x1b[35m', '\x1b[36m', '\x1b[32m', '\x1b[33m'];

export interface OutputState {
  color: boolean;
  uuidFilter: string | undefined;
  logFilter: string | undefined;
}

/** text/event-plain payload -> decoded headers and body (the inner Content-Length). */
export function parsePlainEvent(payload: string): { headers: [string, string][]; body: string | undefined } {
  const end = payload.indexOf('\n\n');
  const head = end < 0 ? payload : payload.slice(0, end);
  const headers = parseHeaderLines(head).map(([n, v]): [string, string] => [n, urlDecode(v)]);
  const hasBody = headers.some(([n]) => n.toLowerCase() === 'content-length');
  return { headers, body: hasBody && end >= 0 ? payload.slice(end + 2) : undefined };
}

/** esl_event_serialize without encoding: `Name: value` lines, then `Content-Length: n` + body or a blank line. */
export function serializeEvent(headers: readonly (readonly [string, string])[], body: string | undefined): string {
  let out = '';
  for (const [n, v] of headers) {
    if (body !== undefined && n.toLowerCase() === 'content-length') continue;
    out += `${n}: ${v === '' ? '_undef_' : v}\n`;
  }
  if (body !== undefined && body !== '') return `${out}Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
  return `${out}\n`;
}

/** The text to print for an unsolicited frame; undefined when nothing is printed. */
export function formatFrame(frame: ServerFrame, state: OutputState): string | undefined {
  const type = contentType(frame);
  if (type === 'log/data') {
    const body = frame.body ?? '';
    if (body === '' || body === '\n') return undefined;
    const userData = frameHeader(frame, 'User-Data') ?? '';
    if (userData !== '' && state.uuidFilter !== undefined && userData.toLowerCase() !== state.uuidFilter.toLowerCase()) return undefined;
    if (state.logFilter !== undefined && !body.includes(state.logFilter)) return undefined;
    const level = Math.max(0, Math.min(7, Number.parseInt(frameHeader(frame, 'Log-Level') ?? '0', 10) || 0));
    const line = body.endsWith('\n') ? body : `${body}\n`;
    return state.color ? `${LEVEL_COLORS[level]}${line}${RESET}` : line;
  }
  if (type === 'text/event-plain') {
    const { headers, body } = parsePlainEvent(frame.body ?? '');
    return `RECV EVENT\n${serializeEvent(headers, body)}\n`;
  }
  if (type === 'text/disconnect-notice') return undefined;
  return `INCOMING DATA [${type}]\n${frame.body ?? ''}\n`;
}

/** What the console prints for the reply to an API command. */
export function formatApiReply(frame: ServerFrame): string {
  if (frame.body !== undefined) return `${frame.body}\n`;
  const text = frameHeader(frame, 'Reply-Text') ?? '';
  return text.toLowerCase().startsWith('-err') ? `Error: ${text.slice(4)}!\n` : '';
}

/** What the console prints for the reply to a command sent as typed (`/event ...`): its Reply-Text. */
export function formatCommandReply(frame: ServerFrame): string {
  return `${frameHeader(frame, 'Reply-Text') ?? ''}\n`;
}
