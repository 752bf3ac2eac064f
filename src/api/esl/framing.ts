/**
 * Event-socket framing (specs/esl.md §0 cheat sheet, §1.1 read_packet, §1.3, §8.1): an incremental
 * reader for client commands and builders for every server frame. Pure: no sockets, no timers.
 *
 * Reading: leading CR/LF bytes are skipped; a block ends at two LFs with only CRs between them; line 1
 * is the command line (cut at the first CR/LF, never trimmed); further lines are `Name: value` headers
 * (split at the first colon, leading spaces of the value skipped, lines without a colon ignored); a
 * `Content-Length` header (any case) makes exactly that many bytes follow as the body.
 *
 * Writing: bare LF line ends, the header order of the cheat sheet, byte counts for Content-Length.
 */

/** Header block cap (10 MiB) and body cap (16 MiB) of current FreeSWITCH (§1.1, §10). */
export const MAX_HEADER_BYTES = 10 * 1024 * 1024;
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type Header = readonly [name: string, value: string];

export interface EslCommand {
  /** The command line as sent, without its line end (`api status`). */
  readonly line: string;
  readonly headers: readonly Header[];
  /** The Content-Length body, when one was sent. */
  readonly body?: string;
}

export type ReadResult = { ok: true; command: EslCommand } | { ok: false; reason: string };

/** Case-insensitive header lookup (first occurrence), as FreeSWITCH's switch_event_get_header. */
export function headerValue(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function parseBlock(block: string): { line: string; headers: Header[] } {
  const lines = block.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const line = (lines[0] ?? '').replace(/\r/g, '');
  const headers: Header[] = [];
  for (const raw of lines.slice(1)) {
    const colon = raw.indexOf(':');
    if (colon < 0) continue;
    headers.push([raw.slice(0, colon), raw.slice(colon + 1).replace(/^ +/, '')]);
  }
  return { line, headers };
}

/**
 * Feeds bytes, yields commands in order. After a `{ ok: false }` result the connection must be dropped
 * (FreeSWITCH closes it); the reader stops producing anything.
 */
export class CommandReader {
  #buf: Buffer = Buffer.alloc(0);
  #pending: { line: string; headers: Header[]; length: number } | undefined;
  #failed = false;
  /** Where the search for the block end resumes: bytes before it hold no block end (no rescans). */
  #scanFrom = 0;
  /** Backing store #buf grows in (doubling), so a long block arriving in many reads is copied O(n) times. */
  #store: Buffer | undefined;

  get failed(): boolean { return this.#failed; }

  /** Bytes received but not yet part of a complete command. */
  get buffered(): number { return this.#buf.length; }

  push(chunk: Buffer): ReadResult[] {
    if (this.#failed) return [];
    this.#append(chunk);
    const out: ReadResult[] = [];
    for (;;) {
      const r = this.#next();
      if (!r) break;
      out.push(r);
      if (!r.ok) {
        this.#failed = true;
        this.#buf = Buffer.alloc(0);
        this.#store = undefined;
        break;
      }
    }
    // Nothing left over: let go of a large store.
    if (this.#buf.length === 0 && this.#store) {
      this.#buf = Buffer.alloc(0);
      this.#store = undefined;
    }
    return out;
  }

  #append(chunk: Buffer): void {
    const have = this.#buf.length;
    if (have === 0) {
      this.#buf = chunk;
      return;
    }
    const need = have + chunk.length;
    const store = this.#store;
    // #buf is the start of the store (nothing consumed since it grew) and the store has room.
    if (store && this.#buf.buffer === store.buffer && this.#buf.byteOffset === store.byteOffset && need <= store.length) {
      chunk.copy(store, have);
      this.#buf = store.subarray(0, need);
      return;
    }
    const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * have, 4096));
    this.#buf.copy(grown, 0);
    chunk.copy(grown, have);
    this.#store = grown;
    this.#buf = grown.subarray(0, need);
  }

  #next(): ReadResult | undefined {
    if (this.#pending) {
      const { line, headers, length } = this.#pending;
      if (this.#buf.length < length) return undefined;
      const body = this.#buf.subarray(0, length).toString('utf8');
      this.#buf = this.#buf.subarray(length);
      this.#scanFrom = 0;
      this.#pending = undefined;
      return { ok: true, command: { line, headers, body } };
    }
    let start = 0;
    while (start < this.#buf.length && (this.#buf[start] === 0x0a || this.#buf[start] === 0x0d)) start++;
    if (start > 0) {
      this.#buf = this.#buf.subarray(start);
      this.#scanFrom = 0;
    }
    const end = findBlockEnd(this.#buf, this.#scanFrom);
    if (end < 0) {
      if (this.#buf.length > MAX_HEADER_BYTES) return { ok: false, reason: 'header block larger than 10 MiB' };
      // Resume after the last byte that is not CR/LF, so a terminator split across reads is still seen.
      let k = this.#buf.length;
      while (k > 0 && (this.#buf[k - 1] === 0x0a || this.#buf[k - 1] === 0x0d)) k--;
      this.#scanFrom = k;
      return undefined;
    }
    this.#scanFrom = 0;
    if (end > MAX_HEADER_BYTES) return { ok: false, reason: 'header block larger than 10 MiB' };
    const block = this.#buf.subarray(0, end).toString('utf8');
    this.#buf = this.#buf.subarray(end);
    const { line, headers } = parseBlock(block);
    const cl = headerValue(headers, 'content-length');
    if (cl === undefined) return { ok: true, command: { line, headers } };
    const length = /^\s*\d+\s*$/.test(cl) ? Number(cl) : NaN;
    if (!Number.isSafeInteger(length) || length > MAX_BODY_BYTES) return { ok: false, reason: `bad Content-Length ${cl.slice(0, 32)}` };
    if (length === 0) return { ok: true, command: { line, headers, body: '' } };
    this.#pending = { line, headers, length };
    return this.#next();
  }
}

/**
 * Index just after the terminating LF of the block (two LFs, only CRs between), or -1. `from` must be 0
 * or follow a byte that is not CR/LF.
 */
function findBlockEnd(buf: Buffer, from: number): number {
  let lfs = 0;
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0d) continue;
    if (b === 0x0a) {
      if (++lfs === 2) return i + 1;
    } else {
      lfs = 0;
    }
  }
  return -1;
}

// ---- server -> client frames (§0) ----

/** Standard goodbye text (67 bytes). */
export const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
/** Reply-Text is cut to 511 bytes (§11.7). */
const MAX_REPLY_BYTES = 511;

function truncateBytes(text: string, max: number): string {
  const b = Buffer.from(text, 'utf8');
  return b.length <= max ? text : b.subarray(0, max).toString('utf8').replace(/\uFFFD$/, '');
}

export function authRequestFrame(): string {
  return 'Content-Type: auth/request\n\n';
}

/** `command/reply` with the given Reply-Text and optional extra headers after it (bgapi, userauth). */
export function commandReplyFrame(text: string, extra: readonly Header[] = []): string {
  const safe = truncateBytes(text.replace(/[\r\n]/g, ' '), MAX_REPLY_BYTES);
  return `Content-Type: command/reply\nReply-Text: ${safe}\n${extra.map(([n, v]) => `${n}: ${v}\n`).join('')}\n`;
}

export function bgapiReplyFrame(jobUuid: string): string {
  return commandReplyFrame(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
}

export function userauthReplyFrame(allowedEvents: string, allowedApi: string, allowedLog: boolean): string {
  return commandReplyFrame('+OK accepted', [['Allowed-Events', allowedEvents], ['Allowed-API', allowedApi], ['Allowed-LOG', String(allowedLog)]]);
}

export function apiResponseFrame(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

export type EventFormat = 'plain' | 'json' | 'xml';

export function eventFrame(format: EventFormat, payload: string): string {
  return `Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: text/event-${format}\n\n${payload}`;
}

export interface LogLine {
  level: number;
  channel: number;
  file: string;
  func: string;
  line: number;
  userData: string;
  text: string;
}

export function logFrame(l: LogLine): string {
  return `Content-Type: log/data\nContent-Length: ${Buffer.byteLength(l.text)}\nLog-Level: ${l.level}\nText-Channel: ${l.channel}\n`
    + `Log-File: ${l.file}\nLog-Func: ${l.func}\nLog-Line: ${l.line}\nUser-Data: ${l.userData}\n\n${l.text}`;
}

/** disconnect-notice; with a session uuid it carries Controlled-Session-UUID and Content-Disposition. */
export function disconnectFrame(message: string = GOODBYE, sessionUuid?: string): string {
  const len = Buffer.byteLength(message);
  if (sessionUuid === undefined) return `Content-Type: text/disconnect-notice\nContent-Length: ${len}\n\n${message}`;
  return `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${sessionUuid}\nContent-Disposition: disconnect\n`
    + `Content-Length: ${len}\n\n${message}`;
}

export function lingerFrame(sessionUuid: string, channelName: string, seconds: number): string {
  return `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${sessionUuid}\nContent-Disposition: linger\n`
    + `Channel-Name: ${channelName}\nLinger-Time: ${seconds}\nContent-Length: 0\n\n`;
}

export function rudeRejectionFrame(): string {
  return 'Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n';
}
