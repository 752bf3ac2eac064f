/**
 * A small client for the REST API (../../shared/specs/jambonz.md §2.6): base `<url>/v1`,
 * `Authorization: Bearer <api key>`, JSON bodies. Non-2xx answers and network failures become a
 * RestError carrying the server's own error message.
 */

export interface RestTarget {
  url: string;
  accountSid: string;
  apiKey: string;
}

export interface RestResult {
  statusCode: number;
  body: unknown;
}

export type RestErrorCode = 'SB_NR_REST_HTTP' | 'SB_NR_REST_NETWORK' | 'SB_NR_REST_CONFIG';

export class RestError extends Error {
  constructor(
    readonly code: RestErrorCode,
    message: string,
    readonly statusCode?: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

export type FetchFn = typeof fetch;

export interface RestOptions {
  fetch?: FetchFn;
  timeoutMs?: number;
}

/** The server's message from an error body: `msg`, `message`, `error` (string or object) or the text. */
export function errorMessage(statusCode: number, body: unknown, statusText = ''): string {
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return pick(o.msg) ?? pick(o.message) ?? pick(o.error) ?? pick(o.detail);
    }
    return undefined;
  };
  const text = pick(body) ?? (statusText || 'request failed');
  return `${statusCode}: ${text.length > 200 ? `${text.slice(0, 197)}...` : text}`;
}

export function checkTarget(target: Partial<RestTarget> | undefined): RestTarget {
  if (!target?.url) throw new RestError('SB_NR_REST_CONFIG', 'no server URL configured');
  if (!target.accountSid) throw new RestError('SB_NR_REST_CONFIG', 'no account sid configured');
  if (!target.apiKey) throw new RestError('SB_NR_REST_CONFIG', 'no API key configured');
  let parsed: URL;
  try {
    parsed = new URL(target.url);
  } catch {
    throw new RestError('SB_NR_REST_CONFIG', `invalid server URL "${target.url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RestError('SB_NR_REST_CONFIG', `server URL must be http(s): "${target.url}"`);
  }
  return { url: target.url, accountSid: target.accountSid, apiKey: target.apiKey };
}

/** `<url>/v1/Accounts/<sid>/<rest>`, tolerating a trailing slash or `/v1` already in the URL. */
export function accountUrl(target: RestTarget, rest: string, query?: Record<string, unknown>): string {
  let base = target.url.replace(/\/+$/, '');
  if (!/\/v1$/.test(base)) base += '/v1';
  const url = new URL(`${base}/Accounts/${encodeURIComponent(target.accountSid)}/${rest}`);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url.toString();
}

export async function restRequest(
  target: RestTarget,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  rest: string,
  body?: unknown,
  opts: RestOptions & { query?: Record<string, unknown> } = {},
): Promise<RestResult> {
  const doFetch = opts.fetch ?? fetch;
  const url = accountUrl(target, rest, opts.query);
  const headers: Record<string, string> = { Authorization: `Bearer ${target.apiKey}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const detail = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new RestError('SB_NR_REST_NETWORK', `cannot reach ${new URL(url).host}: ${detail}`);
  }
  let text = '';
  try {
    text = await response.text();
  } catch (err) {
    throw new RestError('SB_NR_REST_NETWORK', `response broken off: ${(err as Error).message}`, response.status);
  }
  let parsed: unknown = text;
  if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  } else if (text === '') {
    parsed = undefined;
  }
  if (!response.ok) {
    throw new RestError('SB_NR_REST_HTTP', errorMessage(response.status, parsed, response.statusText), response.status, parsed);
  }
  return { statusCode: response.status, body: parsed };
}
