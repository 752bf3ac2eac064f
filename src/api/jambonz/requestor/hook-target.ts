/**
 * Hook specifiers to request targets (specs/jambonz.md §2.1, §1.1): a hook is a URL string or
 * `{url, method, username, password}`; a relative URL (`/path`) resolves against the application's base
 * URL and inherits its Basic-auth credentials; the fragment `#rc=<n>&rp=<policy>` sets the retry count and
 * retry policy (`ct` connection errors, `rt` request timeout, `4xx`, `5xx`, `all`; a comma list) and is
 * stripped before the request. Pure: no I/O.
 */
import type { Hook } from '../contract.ts';
import { RequestorError } from './requestor-error.ts';

export type RetryReason = 'ct' | 'rt' | '4xx' | '5xx';
export type HookScheme = 'http' | 'https' | 'ws' | 'wss';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = none). */
  count: number;
  /** Failures that are retried. */
  on: ReadonlySet<RetryReason>;
}

export interface HookTarget {
  /** Absolute URL without the fragment. */
  url: string;
  scheme: HookScheme;
  /** Upper-case method: GET or POST for http(s); `WS` is accepted for ws(s) hooks. */
  method: string;
  username?: string;
  password?: string;
  retry: RetryPolicy;
  /** The URL exactly as the hook gave it, fragment removed (the `hook` field of WS envelopes). */
  written: string;
}

export interface HookDefaults {
  /** Base for relative URLs: the application's call_hook URL or origin. */
  baseUrl?: string;
  /** Credentials inherited by relative URLs. */
  username?: string;
  password?: string;
  /** Retries when the fragment gives none: 0 for webhooks, 5 (connection errors) for WebSocket. */
  defaultRetryCount?: number;
}

const MAX_RETRIES = 5;
const REASONS: readonly RetryReason[] = ['ct', 'rt', '4xx', '5xx'];

/** The hook's URL string (bare string or `.url`), undefined when absent. */
export function hookUrl(hook: Hook | undefined): string | undefined {
  if (hook === undefined) return undefined;
  return typeof hook === 'string' ? hook : hook.url;
}

/** Parses `rc=2&rp=4xx,5xx` (the part after `#`); unknown keys and values are ignored. */
export function parseRetryFragment(fragment: string, defaultCount = 0): RetryPolicy {
  const params = new URLSearchParams(fragment);
  let count = defaultCount;
  const rc = params.get('rc');
  if (rc !== null && /^\d+$/.test(rc.trim())) count = Math.min(MAX_RETRIES, Number(rc.trim()));
  const on = new Set<RetryReason>();
  const rp = params.get('rp');
  for (const item of (rp ?? 'ct').split(',').map((s) => s.trim().toLowerCase())) {
    if (item === 'all') REASONS.forEach((r) => on.add(r));
    else if ((REASONS as readonly string[]).includes(item)) on.add(item as RetryReason);
  }
  if (on.size === 0) on.add('ct');
  return { count, on };
}

/** Resolves a hook to its absolute target; throws JAMBONZ_HOOK_URL when it cannot be used. */
export function resolveHook(hook: Hook, defaults: HookDefaults = {}): HookTarget {
  const raw = hookUrl(hook);
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new RequestorError('JAMBONZ_HOOK_URL', 'hook has no url');
  }
  const hash = raw.indexOf('#');
  const written = hash >= 0 ? raw.slice(0, hash) : raw;
  const fragment = hash >= 0 ? raw.slice(hash + 1) : '';
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(written);
  let url: URL;
  try {
    if (relative) {
      if (!defaults.baseUrl) throw new Error('no base URL for a relative hook');
      url = new URL(written, defaults.baseUrl);
    } else {
      url = new URL(written);
    }
  } catch (err) {
    throw new RequestorError('JAMBONZ_HOOK_URL', `invalid hook url "${raw}": ${(err as Error).message}`, { cause: err });
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ws' && scheme !== 'wss') {
    throw new RequestorError('JAMBONZ_HOOK_URL', `unsupported hook url scheme "${scheme}:"`);
  }
  const obj = typeof hook === 'string' ? undefined : hook;
  const method = (obj?.method ?? (scheme.startsWith('ws') ? 'WS' : 'POST')).toUpperCase();
  if (!scheme.startsWith('ws') && method !== 'GET' && method !== 'POST') {
    throw new RequestorError('JAMBONZ_HOOK_URL', `hook method must be GET or POST, not ${method}`);
  }
  const username = obj?.username ?? (relative ? defaults.username : undefined);
  const password = obj?.password ?? (relative ? defaults.password : undefined);
  url.hash = '';
  return {
    url: url.toString(),
    scheme,
    method,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    retry: parseRetryFragment(fragment, defaults.defaultRetryCount ?? 0),
    written,
  };
}

/** `Authorization: Basic ...` value when both username and password are set. */
export function basicAuth(target: { username?: string; password?: string }): string | undefined {
  if (!target.username || !target.password) return undefined;
  return `Basic ${Buffer.from(`${target.username}:${target.password}`, 'utf8').toString('base64')}`;
}

/** The retry reason of an HTTP status, if any (2xx and 3xx are not failures that retry). */
export function statusReason(status: number): RetryReason | undefined {
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return undefined;
}

/**
 * Delay before retry number `attempt` (1-based): 500 ms doubling up to 2 s, then 2 s more per try
 * (500, 1000, 2000, 4000, 6000 ...), as the original's WebSocket reconnects.
 */
export function retryDelayMs(attempt: number): number {
  if (attempt <= 0) return 0;
  if (attempt <= 3) return 500 * 2 ** (attempt - 1);
  return 2000 + (attempt - 3) * 2000;
}
