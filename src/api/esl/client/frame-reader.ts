/**
 * The client side of event-socket framing (specs/esl.md §0 cheat sheet, §1.2, §8.1): an incremental
 * reader of server frames. A frame is a header block ended by an empty line (every line is a
 * `Name: value` header, Content-Type first or, for events, Content-Length first) and, when it has a
 * `Content-Length`, that many bytes of body. Outer header values are URL-decoded as libesl does (§8.5).
 * Header lines are split by the server's own parser (`parseBlock` of ../framing.ts); the 10 MiB header
 * and 16 MiB body caps are the server's. Pure: no sockets, no timers.
 */
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, headerValue, parseBlock, type Header } from '../framing.ts';

export interface ServerFrame {
  readonly headers: readonly Header[];
  /** The Content-Length body, when the frame has one. */
  readonly body?: string;
}

export type FrameResult = { ok: true; frame: ServerFrame } | { ok: false; reason: string };

/** `%XX` sequences decoded as bytes (UTF-8); a `%` not followed by two hex digits stays as it is. */
export function urlDecode(value: string): string {
  if (!value.includes('%')) return value;
  const raw = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    const hi = hexDigit(raw[i + 1]);
    const lo = hexDigit(raw[i + 2]);
    if (b === 0x25 && hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n).toString('utf8');
}

function hexDigit(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** Every line of a header block as a header (the server's parser treats line 1 as a command line). */
export function parseHeaderLines(block: string): Header[] {
  return parseBlock(`\n${block}`).headers;
}

export function frameHeader(frame: ServerFrame, name: string): string | undefined {
  return headerValue(frame.headers, name);
}

export function contentType(frame: ServerFrame): string {
  return (frameHeader(frame, 'Content-Type') ?? '').toLowerCase();
}

/**
 * Feeds bytes, yields frames in order. After a `{ ok: false }` result the connection must be dropped;
 * the reader then produces nothing more.
 */
export class FrameReader {
  #buf: Buffer = Buffer.alloc(0);
  #pending: { headers: Header[]; length: number } | undefined;
  #failed = false;

  get failed(): boolean { return this.#failed; }

  push(chunk: Buffer): FrameResult[] {
    if (this.#failed) return [];
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: FrameResult[] = [];
    for (;;) {
      const r = this.#next();
      if (!r) break;
      out.push(r);
      if (!r.ok) {
        this.#failed = true;
        this.#buf = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  #next(): FrameResult | undefined {
    if (this.#pending) {
      const { headers, length } = this.#pending;
      if (this.#buf.length < length) return undefined;
      const body = this.#buf.subarray(0, length).toString('utf8');
      this.#buf = this.#buf.subarray(length);
      this.#pending = undefined;
      return { ok: true, frame: { headers, body } };
    }
    let start = 0;
    while (start < this.#buf.length && (this.#buf[start] === 0x0a || this.#buf[start] === 0x0d)) start++;
    if (start > 0) this.#buf = this.#buf.subarray(start);
    const end = this.#buf.indexOf('\n\n');
    if (end < 0) {
      return this.#buf.length > MAX_HEADER_BYTES ? { ok: false, reason: 'header block larger than 10 MiB' } : undefined;
    }
    if (end > MAX_HEADER_BYTES) return { ok: false, reason: 'header block larger than 10 MiB' };
    const block = this.#buf.subarray(0, end).toString('utf8');
    this.#buf = this.#buf.subarray(end + 2);
    const headers = parseHeaderLines(block).map(([n, v]): Header => [n, urlDecode(v)]);
    if (headers.length === 0) return { ok: false, reason: 'frame without headers' };
    const cl = headerValue(headers, 'Content-Length');
    if (cl === undefined) return { ok: true, frame: { headers } };
    const length = /^\s*\d+\s*$/.test(cl) ? Number(cl) : NaN;
    if (!Number.isSafeInteger(length) || length > MAX_BODY_BYTES) return { ok: false, reason: `bad Content-Length ${cl.slice(0, 32)}` };
    this.#pending = { headers, length };
    return this.#next();
  }
}
