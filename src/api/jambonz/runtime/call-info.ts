/**
 * The call attributes every hook carries (specs/jambonz.md §1.4): `session:new` (built from the call
 * when it starts, with `sip`, `caller_name`, `local_sip_address`, `defaults`, `env_vars`) and the call
 * info of every later hook and status (`fs_sip_address`, no `caller_name`, plus `duration`,
 * `call_termination_by`, `customerData` and BYE `headers` when known). Field names are the wire names.
 */
import type { Channel } from '../../../core/index.ts';
import type { JambonzAccount, JambonzApplication } from '../contract.ts';

export type CallStatus = 'trying' | 'ringing' | 'early-media' | 'in-progress' | 'completed' | 'failed' | 'busy' | 'no-answer';

const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 202: 'Accepted', 400: 'Bad Request',
  403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 480: 'Temporarily Unavailable', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 500: 'Server Internal Error', 503: 'Service Unavailable',
  603: 'Decline',
};

/** The standard reason phrase of a SIP status (RFC 3261 section 21). */
export function sipReasonOf(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Progress' : status < 300 ? 'OK' : 'Error');
}

export interface CallInfoInit {
  callSid: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  callId: string;
  callerName: string;
  account: JambonzAccount;
  application?: JambonzApplication;
  parentCallSid?: string;
  originatingSipIp?: string;
  originatingSipTrunkName?: string;
  localSipAddress?: string;
  traceId?: string;
}

/** The mutable call attributes of one session. */
export class CallInfo {
  readonly callSid: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly accountSid: string;
  applicationSid: string | undefined;
  callId: string;
  callerName: string;
  sipStatus = 100;
  sipReason = 'Trying';
  callStatus: CallStatus = 'trying';
  customerData: Record<string, unknown> | undefined;
  duration: number | undefined;
  callTerminationBy: 'caller' | 'jambonz' | undefined;
  headers: Record<string, string> | undefined;
  readonly #init: CallInfoInit;

  constructor(init: CallInfoInit) {
    this.#init = init;
    this.callSid = init.callSid;
    this.direction = init.direction;
    this.from = init.from;
    this.to = init.to;
    this.callId = init.callId;
    this.callerName = init.callerName;
    this.accountSid = init.account.account_sid;
    this.applicationSid = init.application?.application_sid;
  }

  setStatus(status: CallStatus, sipStatus: number, sipReason = sipReasonOf(sipStatus)): void {
    this.callStatus = status;
    this.sipStatus = sipStatus;
    this.sipReason = sipReason;
  }

  /** Call info as every hook after the first carries it (`callInfo.toJSON()`). */
  toJSON(): Record<string, unknown> {
    const i = this.#init;
    const out: Record<string, unknown> = {
      call_sid: this.callSid,
      direction: this.direction,
      from: this.from,
      to: this.to,
      call_id: this.callId,
      sip_status: this.sipStatus,
      sip_reason: this.sipReason,
      call_status: this.callStatus,
      account_sid: this.accountSid,
      trace_id: i.traceId ?? '00000000000000000000000000000000',
    };
    if (this.applicationSid !== undefined) out['application_sid'] = this.applicationSid;
    if (i.localSipAddress !== undefined) out['fs_sip_address'] = i.localSipAddress;
    if (i.parentCallSid !== undefined) out['parent_call_sid'] = i.parentCallSid;
    if (i.originatingSipIp !== undefined) out['originating_sip_ip'] = i.originatingSipIp;
    if (i.originatingSipTrunkName !== undefined) out['originating_sip_trunk_name'] = i.originatingSipTrunkName;
    if (this.callTerminationBy !== undefined) out['call_termination_by'] = this.callTerminationBy;
    if (this.duration !== undefined) out['duration'] = this.duration;
    if (this.customerData !== undefined) out['customerData'] = this.customerData;
    if (this.headers !== undefined) out['headers'] = this.headers;
    return out;
  }

  /**
   * The `session:new` / initial webhook body (§1.4): inbound, the call info plus `sip` (POST and WS
   * only), `caller_name`, `local_sip_address`, `defaults` and `env_vars`; outbound (REST-created), the
   * later-hook call info plus `defaults` and `env_vars`.
   */
  sessionNew(extra: { sip?: Record<string, unknown>; defaults: Record<string, unknown>; envVars?: Record<string, unknown> }): Record<string, unknown> {
    const base = this.toJSON();
    if (this.direction === 'outbound') {
      // A REST-created call: callInfo.toJSON() + defaults (+ env_vars), no sip (§1.4 last paragraph).
      return { ...base, defaults: extra.defaults, ...(extra.envVars !== undefined ? { env_vars: extra.envVars } : {}) };
    }
    delete base['fs_sip_address'];
    const out: Record<string, unknown> = {};
    if (extra.sip) out['sip'] = extra.sip;
    Object.assign(out, base, { caller_name: this.callerName, has_recording: false });
    if (this.#init.localSipAddress !== undefined) out['local_sip_address'] = this.#init.localSipAddress;
    out['defaults'] = extra.defaults;
    if (extra.envVars !== undefined) out['env_vars'] = extra.envVars;
    return out;
  }
}

/** host[:port] of a SIP URI (`sip:user@10.0.0.1:5070;transport=udp` -> `10.0.0.1:5070`). */
export function hostPortOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^sips?:(?:[^@]*@)?([^;?>]+)/i.exec(uri.trim());
  return m?.[1];
}

/** The attributes of an inbound call, read from the channel the SIP endpoint created. */
export function inboundCallInfo(channel: Channel, account: JambonzAccount, application: JambonzApplication): CallInfo {
  const v = (name: string): string | undefined => channel.getVariable(name);
  const init: CallInfoInit = {
    callSid: channel.uuid,
    direction: 'inbound',
    from: channel.caller.number,
    to: channel.destination || channel.callee.number,
    callId: v('sip_call_id') ?? channel.uuid,
    callerName: channel.caller.name,
    account,
    application,
  };
  const ip = v('sip_network_ip');
  if (ip !== undefined) init.originatingSipIp = ip;
  const trunk = v('sip_carrier');
  if (trunk !== undefined) init.originatingSipTrunkName = trunk;
  const local = hostPortOf(v('sip_req_uri'));
  if (local !== undefined) init.localSipAddress = local;
  return new CallInfo(init);
}

/** The `sip` object of session:new: what the channel knows of the INVITE (§1.4). */
export function sipOf(channel: Channel): Record<string, unknown> {
  const v = (name: string): string => channel.getVariable(name) ?? '';
  const from = channel.caller.uri ?? `sip:${v('sip_from_user')}@${v('sip_from_host')}`;
  const to = channel.callee.uri ?? `sip:${v('sip_to_user')}@${v('sip_to_host')}`;
  return {
    method: 'INVITE',
    version: '2.0',
    uri: v('sip_req_uri'),
    headers: {
      from: channel.caller.name ? `"${channel.caller.name}" <${from}>` : `<${from}>`,
      to: `<${to}>`,
      'call-id': v('sip_call_id'),
    },
    body: '',
    payload: [],
  };
}
