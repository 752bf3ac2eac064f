/**
 * A minimal event-socket client for tests (specs/esl.md §0 frames, §8.1 parsing): splits frames at the
 * first LF LF, reads Content-Length bodies as bytes, and lets a test await the next frame of a type.
 */
import { connect, type Socket } from 'node:net';

export interface EslFrame {
  headers: Record<string, string>;
  /** Header names in order. */
  order: string[];
  body: string;
  raw: string;
}

export class EslTestClient {
  readonly socket: Socket;
  readonly frames: EslFrame[] = [];
  #buf = Buffer.alloc(0);
  #waiters: { pred: (f: EslFrame) => boolean; resolve: (f: EslFrame) => void }[] = [];
  #closed: Promise<void>;
  ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => this.#data(c));
    this.#closed = new Promise((resolve) => socket.on('close', () => { this.ended = true; resolve(); }));
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<EslTestClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new EslTestClient(s)));
      s.once('error', reject);
    });
  }

  /** Wraps an accepted socket (the application side of an outbound `socket` connection). */
  static wrap(socket: Socket): EslTestClient {
    return new EslTestClient(socket);
  }

  /** Connects, waits for auth/request, authenticates. */
  static async authed(port: number, password = 'ClueCon'): Promise<EslTestClient> {
    const c = await EslTestClient.open(port);
    await c.next('auth/request');
    const r = await c.command(`auth ${password}`);
    if (r.headers['Reply-Text'] !== '+OK accepted') throw new Error(`auth failed: ${r.headers['Reply-Text']}`);
    return c;
  }

  #data(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const end = this.#buf.indexOf('\n\n');
      if (end < 0) return;
      const head = this.#buf.subarray(0, end).toString('utf8');
      const headers: Record<string, string> = {};
      const order: string[] = [];
      for (const line of head.split('\n')) {
        const i = line.indexOf(': ');
        const name = i < 0 ? line : line.slice(0, i);
        headers[name] = i < 0 ? '' : line.slice(i + 2);
        order.push(name);
      }
      const len = Number(headers['Content-Length'] ?? 0);
      if (this.#buf.length < end + 2 + len) return;
      const body = this.#buf.subarray(end + 2, end + 2 + len).toString('utf8');
      const raw = this.#buf.subarray(0, end + 2 + len).toString('utf8');
      this.#buf = this.#buf.subarray(end + 2 + len);
      const frame = { headers, order, body, raw };
      const w = this.#waiters.findIndex((x) => x.pred(frame));
      if (w >= 0) this.#waiters.splice(w, 1)[0]!.resolve(frame);
      else this.frames.push(frame);
    }
  }

  /** The next (already received or future) frame matching; removes it from the backlog. */
  wait(pred: (f: EslFrame) => boolean, timeoutMs = 3000): Promise<EslFrame> {
    const i = this.frames.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const entry = { pred, resolve: (f: EslFrame) => { clearTimeout(t); resolve(f); } };
      const t = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(entry), 1);
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      this.#waiters.push(entry);
    });
  }

  next(contentType: string, timeoutMs?: number): Promise<EslFrame> {
    return this.wait((f) => f.headers['Content-Type'] === contentType, timeoutMs);
  }

  send(text: string): void {
    this.socket.write(text);
  }

  async command(line: string, headers: Record<string, string> = {}): Promise<EslFrame> {
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('');
    this.send(`${line}\n${extra}\n`);
    return this.next('command/reply');
  }

  async api(line: string): Promise<string> {
    this.send(`api ${line}\n\n`);
    return (await this.next('api/response')).body;
  }

  closed(): Promise<void> {
    return this.#closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses a text/event-plain payload into ordered [name, decoded value] pairs and the body. */
export function parsePlain(payload: string): { headers: [string, string][]; body: string } {
  const end = payload.indexOf('\n\n');
  const head = end < 0 ? payload : payload.slice(0, end);
  const headers = head.split('\n').filter((l) => l !== '').map((l): [string, string] => {
    const i = l.indexOf(': ');
    return [l.slice(0, i), decodeURIComponent(l.slice(i + 2))];
  });
  const cl = headers.find(([n]) => n === 'Content-Length');
  return { headers: headers.filter(([n]) => n !== 'Content-Length'), body: cl ? payload.slice(end + 2) : '' };
}
