/**
 * Splits a TCP/TLS byte stream into SIP messages (RFC 3261 section 18.3): the header section ends at the
 * first empty line, and Content-Length (compact form `l`, section 7.3.3) gives the body length; it is
 * mandatory on streams. Between messages, RFC 5626 section 4.4.1 keep-alives are recognised: a double
 * CRLF is a ping (answered with a single CRLF pong by the connection) and a single CRLF is skipped
 * (RFC 3261 section 7.5). Bare LF line ends are tolerated.
 *
 * Pure: no sockets, no timers. Messages are handed out as subarrays of the pushed chunks whenever they
 * lie in one chunk; bytes are copied only to join a message split across chunks, and a buffer that was
 * handed out is never written again. Callers must not modify a chunk after pushing it.
 */
import { FramingError } from './errors.ts';

export interface FramerLimits {
  /** Largest header section (start line + headers + empty line), in bytes. */
  maxHeaderBytes: number;
  /** Largest message (header section + body), in bytes. */
  maxMessageBytes: number;
}

export const DEFAULT_FRAMER_LIMITS: Readonly<FramerLimits> = { maxHeaderBytes: 32 * 1024, maxMessageBytes: 256 * 1024 };

/** Receives what the framer finds, in stream order. */
export interface FramerSink {
  /** One complete message: header section, empty line and exactly Content-Length body bytes. */
  message(data: Buffer): void;
  /** A CRLFCRLF keep-alive ping between messages (RFC 5626 section 4.4.1). */
  ping(): void;
  /** The stream cannot be framed; the framer ignores everything pushed afterwards. */
  error(err: FramingError): void;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const EMPTY = Buffer.alloc(0);
const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');
const MIN_CAPACITY = 4096;

type LengthResult = { kind: 'ok'; length: number } | { kind: 'missing' } | { kind: 'bad'; reason: string };

export class StreamFramer {
  readonly #limits: FramerLimits;
  readonly #sink: FramerSink;
  /** Holds the unconsumed bytes in [#start, #end). */
  #buf: Buffer = EMPTY;
  /** Whether #buf was allocated here (and may be appended to beyond #end). */
  #owned = false;
  #start = 0;
  #end = 0;
  /** Inside a message: where the search for the end of the header section resumes. */
  #scan = 0;
  /** Inside a message: index just past the empty line, or -1 while unknown. */
  #headEnd = -1;
  #bodyLength = 0;
  #inMessage = false;
  /** Line ends seen between messages since the last message or ping. */
  #lineEnds = 0;
  #failed = false;

  constructor(sink: FramerSink, limits: Partial<FramerLimits> = {}) {
    this.#sink = sink;
    this.#limits = { ...DEFAULT_FRAMER_LIMITS, ...limits };
  }

  /** Bytes received but not yet handed out. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** True after a framing error. */
  get failed(): boolean {
    return this.#failed;
  }

  push(chunk: Buffer): void {
    if (this.#failed || chunk.length === 0) return;
    if (this.#start === this.#end) {
      // Nothing pending (so not inside a message): frame straight out of the chunk.
      this.#buf = chunk;
      this.#owned = false;
      this.#start = 0;
      this.#end = chunk.length;
    } else {
      this.#append(chunk);
    }
    this.#drain();
  }

  #append(chunk: Buffer): void {
    const pending = this.#end - this.#start;
    if (this.#owned && this.#buf.length - this.#end >= chunk.length) {
      chunk.copy(this.#buf, this.#end);
      this.#end += chunk.length;
      return;
    }
    let capacity = Math.max(MIN_CAPACITY, 2 * (pending + chunk.length));
    if (this.#headEnd >= 0) capacity = Math.max(pending + chunk.length, this.#headEnd + this.#bodyLength - this.#start);
    const next = Buffer.allocUnsafe(capacity);
    this.#buf.copy(next, 0, this.#start, this.#end);
    chunk.copy(next, pending);
    const shift = this.#start;
    this.#buf = next;
    this.#owned = true;
    this.#start = 0;
    this.#end = pending + chunk.length;
    this.#scan -= shift;
    if (this.#headEnd >= 0) this.#headEnd -= shift;
  }

  #drain(): void {
    const buf = this.#buf;
    while (this.#start < this.#end && !this.#failed) {
      if (!this.#inMessage) {
        const b = buf[this.#start]!;
        if (b === LF) {
          this.#start++;
          if (++this.#lineEnds === 2) {
            this.#lineEnds = 0;
            this.#sink.ping();
          }
          continue;
        }
        if (b === CR) {
          this.#start++;
          continue;
        }
        this.#inMessage = true;
        this.#lineEnds = 0;
        this.#scan = this.#start;
        this.#headEnd = -1;
      }
      if (this.#headEnd < 0 && !this.#findHeadEnd()) break;
      const total = this.#headEnd + this.#bodyLength;
      if (total > this.#end) break;
      const message = buf.subarray(this.#start, total);
      this.#start = total;
      this.#inMessage = false;
      this.#headEnd = -1;
      this.#sink.message(message);
    }
    if (this.#start === this.#end && !this.#inMessage) this.#release();
  }

  /** Looks for the empty line that ends the header section; on success reads Content-Length. */
  #findHeadEnd(): boolean {
    const buf = this.#buf;
    const end = this.#end;
    let i = this.#scan;
    for (; i < end; i++) {
      if (buf[i] !== LF) continue;
      if (i + 1 >= end) break;
      const n = buf[i + 1];
      if (n === LF) {
        this.#headEnd = i + 2;
        break;
      }
      if (n === CR) {
        if (i + 2 >= end) break;
        if (buf[i + 2] === LF) {
          this.#headEnd = i + 3;
          break;
        }
      }
    }
    const maxHead = this.#limits.maxHeaderBytes;
    if (this.#headEnd < 0) {
      this.#scan = i;
      if (end - this.#start > maxHead) {
        this.#fail(new FramingError('SIP_FRAME_TOO_LARGE', `header section over ${maxHead} bytes`, buf.subarray(this.#start, this.#start + maxHead), 'header'));
      }
      return false;
    }
    const head = buf.subarray(this.#start, this.#headEnd);
    if (head.length > maxHead) {
      this.#fail(new FramingError('SIP_FRAME_TOO_LARGE', `header section over ${maxHead} bytes`, head.subarray(0, maxHead), 'header'));
      return false;
    }
    const result = contentLength(head);
    if (result.kind === 'missing') {
      this.#fail(new FramingError('SIP_FRAME_NO_LENGTH', 'message on a stream without Content-Length', head));
      return false;
    }
    if (result.kind === 'bad') {
      this.#fail(new FramingError('SIP_FRAME_BAD_LENGTH', result.reason, head));
      return false;
    }
    if (head.length + result.length > this.#limits.maxMessageBytes) {
      this.#fail(new FramingError('SIP_FRAME_TOO_LARGE', `message over ${this.#limits.maxMessageBytes} bytes`, head, 'message'));
      return false;
    }
    this.#bodyLength = result.length;
    return true;
  }

  #fail(err: FramingError): void {
    this.#failed = true;
    this.#release();
    this.#sink.error(err);
  }

  #release(): void {
    this.#buf = EMPTY;
    this.#owned = false;
    this.#start = 0;
    this.#end = 0;
    this.#scan = 0;
  }
}

/**
 * Finds Content-Length (or `l`) in a header section, case-insensitively, skipping the start line. Several
 * occurrences must agree. A value may be preceded by folded whitespace.
 */
export function contentLength(head: Buffer): LengthResult {
  let found = -1;
  let p = head.indexOf(LF) + 1;
  while (p > 0 && p < head.length) {
    const value = headerValueStart(head, p);
    if (value >= 0) {
      const parsed = parseLength(head, value);
      if (parsed.kind === 'bad') return parsed;
      if (parsed.kind === 'ok') {
        if (found >= 0 && found !== parsed.length) return { kind: 'bad', reason: 'conflicting Content-Length values' };
        found = parsed.length;
      }
    }
    p = head.indexOf(LF, p) + 1;
  }
  return found >= 0 ? { kind: 'ok', length: found } : { kind: 'missing' };
}

/** If the line at p is a Content-Length header, the index just past its colon, else -1. */
function headerValueStart(head: Buffer, p: number): number {
  const first = head[p]! | 0x20;
  let q: number;
  if (first === 0x6c) {
    q = p + 1;
  } else if (first === 0x63 && p + CONTENT_LENGTH.length <= head.length) {
    for (let k = 1; k < CONTENT_LENGTH.length; k++) if ((head[p + k]! | 0x20) !== CONTENT_LENGTH[k]) return -1;
    q = p + CONTENT_LENGTH.length;
  } else {
    return -1;
  }
  while (head[q] === SP || head[q] === HTAB) q++;
  return head[q] === COLON ? q + 1 : -1;
}

function parseLength(head: Buffer, p: number): LengthResult {
  for (;;) {
    const b = head[p];
    if (b === SP || b === HTAB) p++;
    else if (b === CR && head[p + 1] === LF && (head[p + 2] === SP || head[p + 2] === HTAB)) p += 3;
    else if (b === LF && (head[p + 1] === SP || head[p + 1] === HTAB)) p += 2;
    else break;
  }
  let digits = 0;
  let value = 0;
  for (; p < head.length; p++) {
    const b = head[p]!;
    if (b < 0x30 || b > 0x39) break;
    value = value * 10 + (b - 0x30);
    if (++digits > 15) return { kind: 'bad', reason: 'Content-Length too long' };
  }
  while (head[p] === SP || head[p] === HTAB) p++;
  const b = head[p];
  if (digits === 0 || (b !== CR && b !== LF)) return { kind: 'bad', reason: 'Content-Length is not a number' };
  return { kind: 'ok', length: value };
}
