/**
 * REST create call (`POST /v1/Accounts/:sid/Calls`, specs/jambonz.md §2.6): places the call with
 * `sw.originate` to a `phone`, `sip` or `user` target (`timeout` ring seconds, default 60, then CANCEL;
 * `headers`; `from`/`callerName`), reports trying/ringing/early-media and the final status to the
 * status hook, and runs the application (`call_hook`, `app_json` or the application's) on the answered
 * leg with `session:new` (direction outbound, `customerData` from `tag`). `timeLimit` ends the call.
 * Answers 201 `{sid, callId}` once the leg exists, 400 for unusable bodies, 480 when the call could not
 * be placed at all.
 */
import { uuid as newUuid } from '../../../lib/index.ts';
import type { Channel, OriginateResult, Switch } from '../../../core/index.ts';
import type { CreateCallRequest, Hook, RestOutcome } from '../contract.ts';
import { CallInfo } from './call-info.ts';
import type { CallSession, SessionInit } from './call-session.ts';
import { asHeaders, asNumber, asRecord, asString } from './verb-data.ts';
import { hookOf } from './verbs/index.ts';

/** How a phone number is reached: the carrier's URI, its digest credentials and caller id rules. */
export interface PhoneRoute {
  target: string;
  auth?: { username: string; password: string };
  /** Caller id user part the carrier wants. */
  fromUser?: string;
  variables?: Record<string, string>;
}

export type PhoneTarget = (number: string, trunk?: string) => PhoneRoute | undefined;

/** Where a REST `to` goes, and what a carrier adds to it. */
export interface CallTarget extends PhoneRoute {
  destination: string;
}

export interface CreateCallDeps {
  sw: Switch;
  phoneTarget: PhoneTarget | undefined;
  /** Builds and registers the session of the new leg (it starts watching the leg at once). */
  session(init: SessionInit): CallSession;
}

const bad = (msg: string): RestOutcome => ({ status: 400, body: { msg } });

/** The originate target of a REST `to`, or why not. */
export function targetOf(to: Record<string, unknown>, phoneTarget: PhoneTarget | undefined): CallTarget | { error: string } {
  const type = asString(to['type']);
  switch (type) {
    case 'phone': {
      const number = asString(to['number']);
      if (!number) return { error: 'to.number is required for a phone target' };
      const trunk = asString(to['trunk']);
      const route = phoneTarget?.(number, trunk) ?? (trunk ? { target: `sip:${number}@${trunk}` } : undefined);
      return route ? { ...route, destination: number } : { error: 'no carrier is configured for phone targets (set to.trunk)' };
    }
    case 'sip': {
      const uri = asString(to['sipUri']);
      if (!uri || !/^sips?:/i.test(uri)) return { error: 'to.sipUri must be a sip: or sips: URI' };
      const user = /^sips?:([^@;]+)@/i.exec(uri)?.[1] ?? '';
      return { target: uri, destination: user };
    }
    case 'user': {
      const name = asString(to['name']);
      if (!name) return { error: 'to.name is required for a user target' };
      const user = name.split('@')[0] ?? name;
      return { target: `user/${name}`, destination: user };
    }
    default:
      return { error: `unsupported to.type ${type ?? '(missing)'}` };
  }
}

export async function createCall(request: CreateCallRequest, deps: CreateCallDeps): Promise<RestOutcome> {
  const body = request.body;
  const from = asString(body['from']);
  if (!from) return bad('from is required');
  const to = asRecord(body['to']);
  if (!to) return bad('to is required');
  const target = targetOf(to, deps.phoneTarget);
  if ('error' in target) return bad(target.error);
  const app = request.application;
  const appJsonValue = body['app_json'] ?? (app?.app_json === '' ? undefined : app?.app_json);
  const appJson = typeof appJsonValue === 'string' && appJsonValue !== '' ? appJsonValue
    : Array.isArray(appJsonValue) ? JSON.stringify(appJsonValue) : undefined;
  const callHook: Hook | undefined = hookOf(body['call_hook']) ?? app?.call_hook;
  if (appJson === undefined && callHook === undefined) return bad('call_hook, app_json or application_sid is required');
  const callStatusHook = hookOf(body['call_status_hook']) ?? app?.call_status_hook;
  const timeoutSecs = asNumber(body['timeout']) ?? 60;
  const timeLimit = asNumber(body['timeLimit']);
  const tag = asRecord(body['tag']);
  const headers = asHeaders(body['headers']);
  const callerName = asString(body['callerName']) ?? '';
  const referHook = hookOf(body['referHook']);
  const dialogHook = hookOf(body['sipRequestWithinDialogHook']);
  const callSid = newUuid();

  let session: CallSession | undefined;
  let info: CallInfo | undefined;
  let created!: (channel: Channel) => void;
  const legCreated = new Promise<Channel>((resolve) => { created = resolve; });
  const onChannel = (channel: Channel): void => {
    const callInfo = info = new CallInfo({
      callSid, direction: 'outbound', from, to: target.destination, callId: channel.getVariable('sip_call_id') ?? callSid,
      callerName, account: request.account, ...(app ? { application: app } : {}),
    });
    const init: SessionInit = { channel, account: request.account, callInfo };
    if (app) init.application = app;
    if (appJson !== undefined) init.appJson = appJson;
    else if (callHook) init.callHook = callHook;
    if (callStatusHook) init.callStatusHook = callStatusHook;
    if (tag) init.customerData = tag;
    if (timeLimit !== undefined && timeLimit > 0) init.timeLimitSecs = timeLimit;
    session = deps.session(init);
    if (referHook) session.settings.referHook = referHook;
    if (dialogHook) session.settings.sipRequestWithinDialogHook = dialogHook;
    created(channel);
  };
  const placed: Promise<OriginateResult> = deps.sw.originate(target.target, {
    uuid: callSid,
    callerId: { number: target.fromUser ?? from, name: callerName },
    destination: target.destination,
    ...(target.auth ? { auth: target.auth } : {}),
    ...(target.variables ? { variables: target.variables } : {}),
    timeoutMs: Math.max(1, timeoutSecs) * 1000,
    ...(headers ? { headers } : {}),
    onChannel,
  });
  void placed.then((result) => {
    if (result.ok && session) void session.run();
  });
  const first = await Promise.race([legCreated.then((channel) => ({ channel })), placed.then((result) => ({ result }))]);
  // The SIP endpoint sets sip_call_id once the INVITE is built, just after the leg exists.
  const callIdOf = (channel: Channel): string => {
    const id = channel.getVariable('sip_call_id') ?? callSid;
    if (info) info.callId = id;
    return id;
  };
  if ('channel' in first) return { status: 201, body: { sid: callSid, callId: callIdOf(first.channel) } };
  const r = first.result;
  if (r.ok) return { status: 201, body: { sid: callSid, callId: callIdOf(r.channel) } };
  return { status: 480, body: { msg: `the call could not be placed: ${r.error?.message ?? r.reason ?? r.cause}` } };
}
