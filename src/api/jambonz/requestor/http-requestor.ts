/**
 * The webhook requestor (specs/jambonz.md §2.1, §2.2): each hook request is an HTTP POST with the
 * snake-cased JSON payload (or a GET with the payload's top-level fields as query parameters), signed
 * with `Jambonz-Signature`, with Basic auth from the hook, a request timeout, and the `#rc=&rp=` retries
 * of the hook URL. A 200/202/204 reply with a JSON body resolves to the parsed body; an empty body to
 * undefined; anything else rejects with a RequestorError. Notifications are the same requests with the
 * reply ignored; `jambonz:error` is never sent over HTTP (as the original).
 */
import type { Clock, Logger } from '../../../lib/index.ts';
import { TypedEmitter, errorMessage, silentLogger, systemClock } from '../../../lib/index.ts';
import type {
  Hook,
  HookNotifyType,
  HookRequestType,
  Requestor,
  RequestorEvents,
} from '../contract.ts';
import type { HookDefaults, HookTarget, RetryReason } from './hook-target.ts';
import { basicAuth, resolveHook, retryDelayMs, statusReason } from './hook-target.ts';
import { RequestorError } from './requestor-error.ts';
import type { RequestorEventMap } from './requestor-events.ts';
import { HttpExchanger } from './http-exchange.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { snakeCaseKeys } from './snake-case.ts';

export interface HttpRequestorOptions {
  /** Signs requests when non-empty. */
  webhookSecret?: string;
  /** Base URL and credentials for relative hooks. */
  defaults?: HookDefaults;
  /** Whole-exchange timeout per attempt (default 10 s, as the original's header timeout). */
  timeoutMs?: number;
  /** Largest reply body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  userAgent?: string;
  clock?: Clock;
  /** Wall clock in ms for signature timestamps (default Date.now). */
  now?: () => number;
  /** Delay before retry `attempt` (1-based); default retryDelayMs. */
  retryDelay?: (attempt: number) => number;
  log?: Logger;
  /** Connections shared with other requestors (not closed by this one); default: its own. */
  exchanger?: HttpExchanger;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const OK_STATUSES = new Set([200, 202, 204]);

interface Failure {
  error: RequestorError;
  reason?: RetryReason;
}

export class HttpRequestor implements Requestor {
  readonly transport = 'http' as const;
  readonly #opts: HttpRequestorOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #events: TypedEmitter<RequestorEventMap>;
  readonly #inflight = new Set<AbortController>();
  readonly #http: HttpExchanger;
  readonly #ownsExchanger: boolean;
  #closed = false;

  constructor(opts: HttpRequestorOptions = {}) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.log ?? silentLogger();
    this.#ownsExchanger = opts.exchanger === undefined;
    this.#http = opts.exchanger ?? new HttpExchanger();
    this.#events = new TypedEmitter((err, event) => this.#log.error({ err, event }, 'requestor listener failed'));
  }

  async request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    const target = this.#target(hook);
    return this.#send(type, target, payload);
  }

  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void {
    if (hook === undefined || type === 'jambonz:error' || this.#closed) return;
    let target: HookTarget;
    try {
      target = this.#target(hook);
    } catch (err) {
      this.#log.warn({ err: errorMessage(err), type }, 'notification hook unusable');
      return;
    }
    this.#send(type, target, payload).catch((err: unknown) => {
      this.#log.info({ err: errorMessage(err), type, url: target.url }, 'notification webhook failed');
    });
  }

  on<K extends keyof RequestorEvents>(event: K, listener: (payload: RequestorEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#inflight) c.abort();
    this.#inflight.clear();
    if (this.#ownsExchanger) this.#http.close();
    this.#events.removeAllListeners();
  }

  #target(hook: Hook): HookTarget {
    const target = resolveHook(hook, this.#opts.defaults);
    if (target.scheme !== 'http' && target.scheme !== 'https') {
      throw new RequestorError('JAMBONZ_HOOK_URL', `the webhook requestor cannot send to ${target.scheme}: URLs`);
    }
    return target;
  }

  async #send(type: string, target: HookTarget, payload: Record<string, unknown>): Promise<unknown> {
    const body = JSON.stringify(snakeCaseKeys(payload));
    const delay = this.#opts.retryDelay ?? retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw new RequestorError('JAMBONZ_HOOK_CLOSED', 'requestor closed');
      const started = this.#clock.now();
      const result = await this.#once(target, body);
      if (!('error' in result)) {
        this.#log.debug({ type, url: target.url, ms: Math.round(this.#clock.now() - started) }, 'webhook answered');
        return result.value;
      }
      const { error, reason } = result;
      const retry = reason !== undefined && target.retry.on.has(reason) && attempt < target.retry.count;
      this.#log.info({ type, url: target.url, code: error.code, err: error.message, attempt, retry }, 'webhook failed');
      if (!retry) throw error;
      await this.#sleep(delay(attempt + 1));
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#clock.setTimeout(resolve, ms));
  }

  async #once(target: HookTarget, body: string): Promise<{ value: unknown } | Failure> {
    const headers: Record<string, string> = {};
    const secret = this.#opts.webhookSecret;
    if (secret) headers[SIGNATURE_HEADER] = signatureHeader(secret, body, (this.#opts.now ?? Date.now)());
    const auth = basicAuth(target);
    if (auth) headers['Authorization'] = auth;
    if (this.#opts.userAgent) headers['User-Agent'] = this.#opts.userAgent;
    let url = target.url;
    let requestBody: string | undefined;
    if (target.method === 'POST') {
      headers['Content-Type'] = 'application/json';
      requestBody = body;
    } else {
      url = withQuery(url, JSON.parse(body) as Record<string, unknown>);
    }
    const controller = new AbortController();
    let timedOut = false;
    const timeoutMs = this.#opts.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    this.#inflight.add(controller);
    try {
      const res = await this.#http.exchange(url, {
        method: target.method,
        headers,
        ...(requestBody === undefined ? {} : { body: requestBody }),
        maxBodyBytes: this.#opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        signal: controller.signal,
      });
      if (!OK_STATUSES.has(res.status)) {
        return {
          error: new RequestorError('JAMBONZ_HOOK_STATUS', `webhook ${target.url} answered ${res.status}`, {
            status: res.status,
          }),
          ...optionalReason(statusReason(res.status)),
        };
      }
      if (res.tooLarge) {
        return { error: new RequestorError('JAMBONZ_HOOK_BODY', `webhook ${target.url} reply is too large`) };
      }
      const text = res.text ?? '';
      if (text.trim() === '') return { value: undefined };
      const type = res.contentType;
      if (!type.toLowerCase().includes('json')) {
        return {
          error: new RequestorError('JAMBONZ_HOOK_BODY', `webhook ${target.url} reply is ${type || 'untyped'}, not JSON`),
        };
      }
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (err) {
        return {
          error: new RequestorError('JAMBONZ_HOOK_BODY', `webhook ${target.url} reply is not valid JSON`, { cause: err }),
        };
      }
    } catch (err) {
      if (timedOut) {
        return {
          error: new RequestorError('JAMBONZ_HOOK_TIMEOUT', `webhook ${target.url} did not answer in ${timeoutMs} ms`),
          reason: 'rt',
        };
      }
      if (this.#closed) return { error: new RequestorError('JAMBONZ_HOOK_CLOSED', 'requestor closed', { cause: err }) };
      const cause = (err as { cause?: unknown }).cause;
      const why = cause instanceof Error ? cause.message : errorMessage(err);
      return {
        error: new RequestorError('JAMBONZ_HOOK_CONNECT', `webhook ${target.url} unreachable: ${why}`, { cause: err }),
        reason: 'ct',
      };
    } finally {
      timer.cancel();
      this.#inflight.delete(controller);
    }
  }
}

function optionalReason(reason: RetryReason | undefined): { reason?: RetryReason } {
  return reason ? { reason } : {};
}

/** The URL with each top-level field as a query parameter (objects as JSON text; `sip` left out). */
export function withQuery(url: string, payload: Record<string, unknown>): string {
  const u = new URL(url);
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'sip' || value === undefined || value === null) continue;
    u.searchParams.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return u.toString();
}
