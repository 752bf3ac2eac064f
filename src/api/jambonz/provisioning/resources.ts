/**
 * The provisioned resources and the parsers of their REST bodies, in the jambonz api-server shapes
 * (specs/jambonz.md §2.6: `/v1/Applications`, `/v1/PhoneNumbers`). Hooks are kept as objects
 * `{url, method, username?, password?}`; phone numbers are kept without a leading '+'.
 */
import { z } from 'zod';
import type { HookObject, JambonzApplication } from '../contract.ts';

/** Where a resource came from: the config file (read-only over REST) or the REST API (persisted). */
export type ResourceSource = 'config' | 'rest';

export interface StoredApplication extends JambonzApplication {
  /** Speech labels and fallbacks, kept and shown as given. */
  extra?: Record<string, string>;
}

export interface StoredPhoneNumber {
  phone_number_sid: string;
  /** Digits only, no leading '+'. */
  number: string;
  account_sid: string;
  application_sid?: string;
  voip_carrier_sid?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const HOOK_METHODS = ['GET', 'POST', 'WS'] as const;

const hookInput = z.union([
  z.string(),
  z.object({
    url: z.string(),
    method: z.string().optional().nullable(),
    username: z.string().optional().nullable(),
    password: z.string().optional().nullable(),
    webhook_sid: z.unknown().optional(),
  }),
]);

/** An absolute http(s) or ws(s) URL, as the api-server requires for application hooks. */
export function isAbsoluteHookUrl(url: string): boolean {
  if (!/^(https?|wss?):\/\//i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

export function parseHook(value: unknown, field: string): Parsed<HookObject> {
  const r = hookInput.safeParse(value);
  if (!r.success) return { ok: false, message: `'${field}' must be a URL string or an object with a url property` };
  const raw = typeof r.data === 'string' ? { url: r.data } : r.data;
  if (!isAbsoluteHookUrl(raw.url)) return { ok: false, message: `'${field}' url must be an absolute http(s) or ws(s) URL` };
  const method = (raw.method ?? (/^wss?:/i.test(raw.url) ? 'WS' : 'POST')).toUpperCase();
  if (!(HOOK_METHODS as readonly string[]).includes(method)) {
    return { ok: false, message: `'${field}' method must be one of ${HOOK_METHODS.join(', ')}` };
  }
  const hook: HookObject = { url: raw.url, method };
  if (raw.username) hook.username = raw.username;
  if (raw.password) hook.password = raw.password;
  return { ok: true, value: hook };
}

/** Static verbs: a JSON string or the array itself; kept as JSON text. */
export function parseAppJson(value: unknown): Parsed<string> {
  let verbs: unknown = value;
  if (typeof value === 'string') {
    try {
      verbs = JSON.parse(value);
    } catch {
      return { ok: false, message: `'app_json' is not valid JSON` };
    }
  }
  if (!Array.isArray(verbs)) return { ok: false, message: `'app_json' must be a JSON array of verbs` };
  return { ok: true, value: JSON.stringify(verbs) };
}

const SPEECH_FIELDS = [
  'speech_synthesis_vendor', 'speech_synthesis_language', 'speech_synthesis_voice',
  'speech_recognizer_vendor', 'speech_recognizer_language',
] as const;

const EXTRA_FIELDS = [
  'speech_synthesis_label', 'speech_recognizer_label',
  'fallback_speech_synthesis_vendor', 'fallback_speech_synthesis_language', 'fallback_speech_synthesis_voice',
  'fallback_speech_synthesis_label', 'fallback_speech_recognizer_vendor', 'fallback_speech_recognizer_language',
  'fallback_speech_recognizer_label',
] as const;

const HOOK_FIELDS = ['call_hook', 'call_status_hook', 'messaging_hook'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The changes a POST or PUT body asks for: a field set to a value, or to `null` (cleared). Unknown
 * fields are ignored, as columns the api-server does not know would be.
 */
export type ApplicationChanges = Partial<{ [K in keyof StoredApplication]: StoredApplication[K] | null }>;

export function parseApplicationChanges(body: unknown): Parsed<ApplicationChanges> {
  if (!isObject(body)) return { ok: false, message: 'the request body must be a JSON object' };
  const out: ApplicationChanges = {};
  if ('name' in body) {
    if (typeof body['name'] !== 'string' || body['name'].trim() === '') return { ok: false, message: `'name' must be a non-empty string` };
    out.name = body['name'];
  }
  for (const field of HOOK_FIELDS) {
    const v = body[field];
    if (v === undefined) continue;
    if (v === null || (isObject(v) && (v['url'] === undefined || v['url'] === null || v['url'] === ''))) {
      out[field] = null;
      continue;
    }
    const hook = parseHook(v, field);
    if (!hook.ok) return hook;
    out[field] = hook.value;
  }
  if (body['app_json'] !== undefined) {
    if (body['app_json'] === null || body['app_json'] === '') out.app_json = null;
    else {
      const app = parseAppJson(body['app_json']);
      if (!app.ok) return app;
      out.app_json = app.value;
    }
  }
  for (const field of SPEECH_FIELDS) {
    const v = body[field];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') return { ok: false, message: `'${field}' must be a string` };
    out[field] = v;
  }
  const extra: Record<string, string> = {};
  for (const field of EXTRA_FIELDS) {
    const v = body[field];
    if (typeof v === 'string') extra[field] = v;
  }
  if (Object.keys(extra).length > 0) out.extra = extra;
  if (body['env_vars'] !== undefined) {
    let env: unknown = body['env_vars'];
    if (typeof env === 'string') {
      try {
        env = JSON.parse(env);
      } catch {
        return { ok: false, message: `'env_vars' is not valid JSON` };
      }
    }
    if (env !== null && !isObject(env)) return { ok: false, message: `'env_vars' must be an object` };
    out.env_vars = env;
  }
  if (body['record_all_calls'] !== undefined) {
    const v = body['record_all_calls'];
    if (v !== null && typeof v !== 'boolean' && v !== 0 && v !== 1) return { ok: false, message: `'record_all_calls' must be a boolean` };
    out.record_all_calls = v === null ? null : Boolean(v);
  }
  return { ok: true, value: out };
}

/** Applies changes to an application (a `null` removes the field). */
export function applyApplicationChanges(app: StoredApplication, changes: ApplicationChanges): StoredApplication {
  const next: Record<string, unknown> = { ...app };
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'extra' && value) next['extra'] = { ...(app.extra ?? {}), ...(value as Record<string, string>) };
    else if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as unknown as StoredApplication;
}

/** Why an application cannot run: it needs a call hook or static verbs. */
export function applicationProblem(app: StoredApplication): string | undefined {
  if (app.call_hook === undefined && app.app_json === undefined) return 'either call_hook or app_json is required';
  return undefined;
}

/** Digits with an optional leading '+', kept without it (specs/jambonz.md §8 item 10). */
export function normalizeNumber(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return { ok: false, message: 'phone number must be a string' };
  const m = /^\+?(\d{1,32})$/.exec(value.trim());
  if (!m?.[1]) return { ok: false, message: 'phone number must only include digits (optionally after a +)' };
  return { ok: true, value: m[1] };
}

export interface PhoneNumberChanges {
  number?: string;
  application_sid?: string | null;
  voip_carrier_sid?: string | null;
}

export function parsePhoneNumberCreate(body: unknown): Parsed<PhoneNumberChanges & { number: string }> {
  if (!isObject(body)) return { ok: false, message: 'the request body must be a JSON object' };
  if (body['number'] === undefined || body['number'] === null || body['number'] === '') return { ok: false, message: 'number is required' };
  const number = normalizeNumber(body['number']);
  if (!number.ok) return number;
  const rest = parseSidFields(body);
  if (!rest.ok) return rest;
  return { ok: true, value: { ...rest.value, number: number.value } };
}

export function parsePhoneNumberUpdate(body: unknown): Parsed<PhoneNumberChanges> {
  if (!isObject(body)) return { ok: false, message: 'the request body must be a JSON object' };
  if (body['number'] !== undefined) return { ok: false, message: 'number may not be modified' };
  if (body['voip_carrier_sid'] !== undefined) return { ok: false, message: 'voip_carrier_sid may not be modified' };
  return parseSidFields(body);
}

function parseSidFields(body: Record<string, unknown>): Parsed<PhoneNumberChanges> {
  const out: PhoneNumberChanges = {};
  for (const field of ['application_sid', 'voip_carrier_sid'] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'string' || v === '')) return { ok: false, message: `'${field}' must be a string or null` };
    out[field] = v;
  }
  return { ok: true, value: out };
}

/** The REST view of an application: every column present, absent ones null, as the api-server's rows. */
export function applicationView(app: StoredApplication): Record<string, unknown> {
  const view: Record<string, unknown> = {
    application_sid: app.application_sid,
    name: app.name,
    account_sid: app.account_sid,
    call_hook: app.call_hook ?? null,
    call_status_hook: app.call_status_hook ?? null,
    messaging_hook: app.messaging_hook ?? null,
    app_json: app.app_json ?? null,
  };
  for (const f of SPEECH_FIELDS) view[f] = app[f] ?? null;
  for (const f of EXTRA_FIELDS) view[f] = app.extra?.[f] ?? null;
  view['env_vars'] = app.env_vars === undefined ? null : app.env_vars;
  view['record_all_calls'] = app.record_all_calls === true ? 1 : 0;
  return view;
}

export function phoneNumberView(n: StoredPhoneNumber): Record<string, unknown> {
  return {
    phone_number_sid: n.phone_number_sid,
    number: n.number,
    voip_carrier_sid: n.voip_carrier_sid ?? null,
    account_sid: n.account_sid,
    application_sid: n.application_sid ?? null,
  };
}
