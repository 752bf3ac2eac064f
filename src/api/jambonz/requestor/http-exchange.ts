/**
 * One HTTP request/response exchange over node:http / node:https with keep-alive agents: the webhook
 * requestor's transport. It costs a fraction of the CPU of the WHATWG `fetch` per request (no streams,
 * Request/Response or Headers objects), which matters at hundreds of webhooks per second. Redirects are
 * not followed (a 3xx is returned as any other status).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface ExchangeRequest {
  /** GET or POST (what a hook allows). */
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Largest reply body read; a larger one resolves `tooLarge` without reading the rest. */
  maxBodyBytes: number;
  signal: AbortSignal;
}

export interface ExchangeReply {
  status: number;
  contentType: string;
  /** The body as text; undefined for a non-2xx status (not read) or when `tooLarge`. */
  text?: string;
  tooLarge?: boolean;
}

/** Idle keep-alive connections are closed after this long. */
const IDLE_SOCKET_MS = 30_000;

/**
 * Keep-alive agents for http and https, closed together. One is shared by every call's requestor so
 * that connections to an application's web server are reused across calls; idle sockets do not keep
 * the process alive.
 */
export class HttpExchanger {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: IDLE_SOCKET_MS });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: IDLE_SOCKET_MS });

  exchange(url: string, req: ExchangeRequest): Promise<ExchangeReply> {
    const secure = url.startsWith('https:');
    const send = secure ? httpsRequest : httpRequest;
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
    return new Promise<ExchangeReply>((resolve, reject) => {
      if (req.signal.aborted) {
        reject(new Error('aborted'));
        return;
      }
      const outgoing = send(url, { method: req.method, headers, agent: secure ? this.#https : this.#http, signal: req.signal }, (res) => {
        readReply(res, req.maxBodyBytes).then(resolve, reject);
      });
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function readReply(res: IncomingMessage, max: number): Promise<ExchangeReply> {
  const status = res.statusCode ?? 0;
  const contentType = headerText(res.headers['content-type']);
  if (status < 200 || status > 299) {
    res.resume();
    return Promise.resolve({ status, contentType });
  }
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    res.destroy();
    return Promise.resolve({ status, contentType, tooLarge: true });
  }
  return new Promise<ExchangeReply>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        res.destroy();
        resolve({ status, contentType, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => {
      if (done) return;
      done = true;
      resolve({ status, contentType, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') });
    });
    res.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
    res.on('close', () => {
      if (done) return;
      done = true;
      reject(new Error('the connection closed before the reply ended'));
    });
  });
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
