/**
 * Live call control (REST `PUT /v1/Accounts/:sid/Calls/:callSid`, specs/jambonz.md §2.6): exactly one
 * of the update properties (whisper may come with one other). 202 for accepted updates, 200
 * `{status, reason}` for sip_request, 400 for unusable bodies, 422 when the call is gone or the feature
 * is not available. `listen_status` and `record` are served by listen/ and recording/;
 * `mute_status`, `dub` and `transcribe_status` by commands/control-updates.ts; `media_path` by
 * commands/media-path.ts.
 */
import { errorMessage } from '../../../lib/index.ts';
import type { LiveCall, RestOutcome } from '../contract.ts';
import type { CallSession } from './call-session.ts';
import { applyMediaPath, controlUpdate, dtmfOf, mediaPathOf, sipRequestOf, whisperToDial, whisperVerbsOf } from './commands/index.ts';
import { RuntimeError } from './runtime-error.ts';
import { connectUpdate } from './conference/connect-updates.ts';
import { mediaUpdate } from './listen/index.ts';
import { asRecord } from './verb-data.ts';
import { hookOf, playUrls, sendSipRequest, speak } from './verbs/index.ts';

const SUPPORTED = ['call_hook', 'call_status', 'tag', 'sip_request', 'dtmf', 'listen_status', 'record'] as const;
const NOT_YET = [
  'child_call_hook', 'conf_hold_status', 'conf_mute_status',
  'conferenceParticipantAction',
] as const;

const bad = (msg: string): RestOutcome => ({ status: 400, body: { msg } });
const accepted: RestOutcome = { status: 202 };

/**
 * Plays whispered say/play verbs to the dialed party of an active dial only (commands/whisper.ts);
 * without a connected dial, to the call over whatever runs (they do not touch the stack).
 */
function whisper(session: CallSession, value: unknown): RestOutcome | undefined {
  const r = whisperVerbsOf(session, value);
  if (!r.ok) return bad(r.error);
  if (whisperToDial(session, r.verbs)) return undefined;
  if (!session.channel.answered) return { status: 422, body: { msg: 'current call state is incompatible with whisper' } };
  const controller = new AbortController();
  const off = session.channel.on('hangup', () => controller.abort());
  void (async () => {
    for (const v of r.verbs) {
      if (controller.signal.aborted) break;
      if (v.verb === 'say') await speak(session, v, controller.signal);
      else await playUrls(session, v, controller.signal);
    }
  })().catch((err: unknown) => session.log.warn({ err }, 'whisper failed')).finally(off);
  return undefined;
}

export async function updateCall(session: CallSession, body: Record<string, unknown>): Promise<RestOutcome> {
  if (session.ended) return { status: 422, body: { msg: 'call session is gone' } };
  const keys = Object.keys(body).filter((k) => k !== 'call_status_hook' && k !== 'wait_hook');
  const main = keys.filter((k) => k !== 'whisper');
  if (keys.length === 0) return bad('no update property in the request');
  if (main.length > 1) return bad(`only one update at a time (got ${main.join(', ')})`);
  const key = main[0];
  const connected = connectUpdate(session, key, body);
  if (connected) return connected;
  const media = mediaUpdate(session, key, body);
  if (media) return media;
  const control = await controlUpdate(session, key, body);
  if (control) return control;
  if (key === 'media_path') return mediaPathUpdate(session, body[key]);
  if (key !== undefined && (NOT_YET as readonly string[]).includes(key)) {
    return { status: 422, body: { msg: `${key} is not supported by this server yet` } };
  }
  if (key !== undefined && !(SUPPORTED as readonly string[]).includes(key)) return bad(`unknown update property ${key}`);
  if (body['whisper'] !== undefined) {
    const w = whisper(session, body['whisper']);
    if (w) return w;
  }
  switch (key) {
    case undefined:
      return accepted;
    case 'call_hook': {
      const hook = hookOf(body['call_hook']);
      if (!hook) return bad('call_hook must be a URL or {url, method, username, password}');
      const statusHook = hookOf(body['call_status_hook']);
      if (statusHook) session.setStatusHook(statusHook);
      void session.redirect(hook).catch((err: unknown) => session.log.warn({ err: errorMessage(err) }, 'redirect failed'));
      return accepted;
    }
    case 'call_status': {
      const status = body['call_status'];
      if (status !== 'completed' && status !== 'no-answer') return bad('call_status must be completed or no-answer');
      void session.endCall(status);
      return accepted;
    }
    case 'tag': {
      const data = asRecord(body['tag']);
      if (!data) return bad('tag must be an object');
      session.setCustomerData(data);
      return accepted;
    }
    case 'dtmf': {
      const d = dtmfOf(body['dtmf']);
      if (!d) return bad('dtmf must be {digit, duration}');
      const r = await session.channel.sendDtmf(d.digit, { durationMs: d.duration });
      return r.ok ? accepted : { status: 422, body: { msg: r.error.message } };
    }
    case 'sip_request': {
      const req = sipRequestOf({ sip_request: body['sip_request'] });
      if (!req) return bad('sip_request needs method, content_type and content');
      if (!session.channel.answered) return { status: 422, body: { msg: 'current call state is incompatible with sip_request' } };
      const r = await sendSipRequest(session.channel, req);
      return r.ok ? { status: 200, body: { status: r.status, reason: 'OK' } } : { status: 200, body: { status: 500, reason: r.error } };
    }
    default:
      return bad(`unknown update property ${key}`);
  }
}

/** `media_path` (no-media | partial-media | full-media): 202 once applied, 400 bad value, 422 not possible. */
async function mediaPathUpdate(session: CallSession, value: unknown): Promise<RestOutcome> {
  const path = mediaPathOf(value);
  if (!path) return bad('media_path must be no-media, partial-media or full-media');
  try {
    await applyMediaPath(session, path);
    return accepted;
  } catch (err) {
    const invalid = err instanceof RuntimeError && err.code === 'JAMBONZ_COMMAND_INVALID';
    return { status: invalid ? 400 : 422, body: { msg: errorMessage(err) } };
  }
}

/** The REST view of a session. */
export function liveCallOf(session: CallSession): LiveCall {
  return {
    callSid: session.callSid,
    accountSid: session.account.account_sid,
    attributes: () => session.callInfo.toJSON(),
    update: (body) => updateCall(session, body),
  };
}
