/**
 * Shape checks of the REST call-control requests, made before the runtime sees them, as the jambonz
 * api-server does before it proxies to a feature server (specs/jambonz.md §2.6, api-server
 * `lib/routes/api/accounts.js`): create call (`from`, `to`, and a hook, application or static verbs),
 * update call (exactly one action; `whisper` alone or with one other), list filters. Messages follow the
 * api-server's where it has one.
 */
import { isAbsoluteHookUrl, parseAppJson, type Parsed } from '../provisioning/index.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TO_TYPES: Record<string, string> = { phone: 'number', sip: 'sipUri', user: 'name' };

export function checkTo(to: unknown): string | undefined {
  if (isObject(to) && typeof to['type'] === 'string') {
    const key = TO_TYPES[to['type']];
    if (key !== undefined && typeof to[key] === 'string' && to[key] !== '') return undefined;
    if (to['type'] === 'teams') return 'to type teams is not supported';
  }
  return `missing or invalid to property: ${JSON.stringify(to) ?? 'undefined'}`;
}

function checkHook(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const url = typeof value === 'string' ? value : isObject(value) ? value['url'] : undefined;
  if (typeof url !== 'string') return `${field} must be string or an object containing a url property`;
  if (!isAbsoluteHookUrl(url)) return `${field} url must be an absolute url`;
  return undefined;
}

/** What a create-call body names as the application: a sid to look up, or a hook / verbs of its own. */
export interface CreateCallShape {
  body: Record<string, unknown>;
  applicationSid?: string;
}

export function checkCreateCall(body: unknown): Parsed<CreateCallShape> {
  if (!isObject(body)) return { ok: false, message: 'the request body must be a JSON object' };
  if (typeof body['from'] !== 'string' || body['from'] === '') return { ok: false, message: 'missing from parameter' };
  const badTo = checkTo(body['to']);
  if (badTo) return { ok: false, message: badTo };
  const appSid = body['application_sid'];
  if (appSid !== undefined && appSid !== null && (typeof appSid !== 'string' || appSid === '')) {
    return { ok: false, message: 'application_sid must be a string' };
  }
  const hasHook = body['call_hook'] !== undefined && body['call_hook'] !== null;
  const hasApp = body['app_json'] !== undefined && body['app_json'] !== null;
  if (!hasHook && !hasApp && typeof appSid !== 'string') {
    return { ok: false, message: 'either call_hook, app_json or application_sid required' };
  }
  for (const field of ['call_hook', 'call_status_hook'] as const) {
    const bad = checkHook(body[field], field);
    if (bad) return { ok: false, message: bad };
  }
  if (hasApp) {
    const verbs = parseAppJson(body['app_json']);
    if (!verbs.ok) return verbs;
  }
  for (const field of ['timeout', 'timeLimit'] as const) {
    const v = body[field];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      return { ok: false, message: `${field} must be a non-negative number of seconds` };
    }
  }
  if (body['headers'] !== undefined && body['headers'] !== null && !isObject(body['headers'])) {
    return { ok: false, message: 'headers must be an object' };
  }
  return { ok: true, value: typeof appSid === 'string' ? { body, applicationSid: appSid } : { body } };
}

/** The actions of which a live-call update carries exactly one (whisper may come alone or with one). */
export const UPDATE_ACTIONS = [
  'call_hook', 'child_call_hook', 'call_status', 'listen_status', 'transcribe_status', 'mute_status', 'conf_hold_status',
  'conf_mute_status', 'sip_request', 'record', 'tag', 'dtmf', 'conferenceParticipantAction', 'dub', 'boostAudioSignal',
  'media_path',
] as const;

const ENUMS: Record<string, readonly string[]> = {
  call_status: ['completed', 'no-answer'],
  listen_status: ['pause', 'silence', 'resume'],
  mute_status: ['mute', 'unmute'],
  conf_hold_status: ['hold', 'unhold'],
  conf_mute_status: ['mute', 'unmute'],
};

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== false && v !== '';

export function checkUpdateCall(body: unknown): Parsed<Record<string, unknown>> {
  if (!isObject(body)) return { ok: false, message: 'the request body must be a JSON object' };
  const given = UPDATE_ACTIONS.filter((a) => present(body[a]));
  const pairOk = given.length === 2 && given.includes('call_hook') && given.includes('child_call_hook');
  if (given.length === 0 && !present(body['whisper'])) return { ok: false, message: 'no valid options supplied to updateCall' };
  if (given.length > 1 && !pairOk) return { ok: false, message: 'multiple options are not allowed in updateCall' };
  for (const [field, values] of Object.entries(ENUMS)) {
    const v = body[field];
    if (present(v) && (typeof v !== 'string' || !values.includes(v))) return { ok: false, message: `invalid ${field}` };
  }
  const sip = body['sip_request'];
  if (present(sip)) {
    if (!isObject(sip) || typeof sip['method'] !== 'string' || typeof sip['content_type'] !== 'string' || typeof sip['content'] !== 'string') {
      return { ok: false, message: 'sip_request requires method, content_type and content properties' };
    }
  }
  const record = body['record'];
  if (present(record)) {
    if (!isObject(record) || typeof record['action'] !== 'string') return { ok: false, message: 'record requires action property' };
    // Without siprecServerURL a start records locally (this server's extension; the api-server requires SIPREC).
    if (record['action'] === 'startCallRecording' && present(record['siprecServerURL']) && typeof record['siprecServerURL'] !== 'string') {
      return { ok: false, message: 'record requires siprecServerURL property when starting recording' };
    }
  }
  const dtmf = body['dtmf'];
  if (present(dtmf) && (!isObject(dtmf) || typeof dtmf['digit'] !== 'string' || dtmf['digit'] === '')) {
    return { ok: false, message: 'dtmf requires digit property' };
  }
  const tag = body['tag'];
  if (present(tag) && !isObject(tag)) return { ok: false, message: 'tag must be an object' };
  for (const field of ['call_hook', 'child_call_hook', 'call_status_hook'] as const) {
    const v = body[field];
    if (present(v) && typeof v !== 'string' && !(isObject(v) && typeof v['url'] === 'string')) {
      return { ok: false, message: `${field} must be string or an object containing a url property` };
    }
  }
  return { ok: true, value: body };
}

/** The list filters of GET /Accounts/:sid/Calls: `direction`, `from`, `to`, `callStatus`. */
export interface CallFilter {
  direction?: string;
  from?: string;
  to?: string;
  callStatus?: string;
}

export function callFilterOf(query: unknown): CallFilter {
  const q = isObject(query) ? query : {};
  const out: CallFilter = {};
  for (const key of ['direction', 'from', 'to', 'callStatus'] as const) {
    const v = q[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

const plusless = (v: unknown): string => (typeof v === 'string' && v.startsWith('+') ? v.slice(1) : String(v));

/** Whether call attributes pass the filter (numbers compared with and without a leading '+'). */
export function matchesFilter(attributes: Record<string, unknown>, filter: CallFilter): boolean {
  if (filter.direction !== undefined && attributes['direction'] !== filter.direction) return false;
  if (filter.callStatus !== undefined && attributes['call_status'] !== filter.callStatus) return false;
  if (filter.from !== undefined && plusless(attributes['from']) !== plusless(filter.from)) return false;
  if (filter.to !== undefined && plusless(attributes['to']) !== plusless(filter.to)) return false;
  return true;
}
