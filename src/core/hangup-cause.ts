/**
 * Hangup causes: ITU-T Q.850 cause values with FreeSWITCH's names (switch_types.h `switch_call_cause_t`,
 * including its private codes 487 and 700-825), mapped to and from SIP status codes in one table.
 *
 * - cause -> SIP (the final response sent for a local hangup of an unanswered inbound leg): RFC 3398
 *   section 7.2.4.1 as FreeSWITCH's mod_sofia applies it, with FreeSWITCH's extensions (600/603/604/606/607)
 *   and RFC 8224 for the identity causes. A cause with no status of its own answers 480.
 * - SIP -> cause (a final response received on an outbound leg): RFC 3398 section 8.2.6.1 as mod_sofia
 *   applies it, except that 404/485/604 give UNALLOCATED_NUMBER (RFC 3398) where mod_sofia says
 *   NO_ROUTE_DESTINATION. A status not in the table gives NORMAL_UNSPECIFIED; 2xx gives NORMAL_CLEARING.
 *
 * Each SIP status appears in at most one row's `fromSip`, so both directions come from this one table.
 */

interface CauseRow {
  readonly code: number;
  /** Status sent for this cause; absent: DEFAULT_CAUSE_SIP_STATUS. */
  readonly sip?: number;
  /** Received statuses that mean this cause. */
  readonly fromSip?: readonly number[];
}

const TABLE = {
  NONE: { code: 0 },
  UNALLOCATED_NUMBER: { code: 1, sip: 404, fromSip: [404, 485, 604] },
  NO_ROUTE_TRANSIT_NET: { code: 2, sip: 404 },
  NO_ROUTE_DESTINATION: { code: 3, sip: 404 },
  CHANNEL_UNACCEPTABLE: { code: 6 },
  CALL_AWARDED_DELIVERED: { code: 7 },
  NORMAL_CLEARING: { code: 16, fromSip: [200] },
  USER_BUSY: { code: 17, sip: 486, fromSip: [486, 600] },
  NO_USER_RESPONSE: { code: 18, sip: 408, fromSip: [480] },
  NO_ANSWER: { code: 19, sip: 480 },
  SUBSCRIBER_ABSENT: { code: 20, sip: 480 },
  CALL_REJECTED: { code: 21, sip: 603, fromSip: [401, 402, 403, 407, 603, 608] },
  NUMBER_CHANGED: { code: 22, sip: 410, fromSip: [410] },
  REDIRECTION_TO_NEW_DESTINATION: { code: 23, sip: 410 },
  EXCHANGE_ROUTING_ERROR: { code: 25, sip: 483, fromSip: [482, 483] },
  DESTINATION_OUT_OF_ORDER: { code: 27, sip: 502 },
  INVALID_NUMBER_FORMAT: { code: 28, sip: 484, fromSip: [484] },
  FACILITY_REJECTED: { code: 29, sip: 501 },
  RESPONSE_TO_STATUS_ENQUIRY: { code: 30 },
  NORMAL_UNSPECIFIED: { code: 31, sip: 480 },
  NORMAL_CIRCUIT_CONGESTION: { code: 34, sip: 503 },
  NETWORK_OUT_OF_ORDER: { code: 38, sip: 503, fromSip: [502] },
  NORMAL_TEMPORARY_FAILURE: { code: 41, sip: 503, fromSip: [400, 481, 500, 503] },
  SWITCH_CONGESTION: { code: 42, sip: 503 },
  ACCESS_INFO_DISCARDED: { code: 43 },
  REQUESTED_CHAN_UNAVAIL: { code: 44, sip: 503 },
  PRE_EMPTED: { code: 45 },
  FACILITY_NOT_SUBSCRIBED: { code: 50 },
  OUTGOING_CALL_BARRED: { code: 52, sip: 403 },
  INCOMING_CALL_BARRED: { code: 54, sip: 403 },
  BEARERCAPABILITY_NOTAUTH: { code: 57, sip: 403 },
  BEARERCAPABILITY_NOTAVAIL: { code: 58, sip: 503 },
  SERVICE_UNAVAILABLE: { code: 63, fromSip: [405] },
  BEARERCAPABILITY_NOTIMPL: { code: 65, sip: 488 },
  CHAN_NOT_IMPLEMENTED: { code: 66 },
  FACILITY_NOT_IMPLEMENTED: { code: 69, sip: 501 },
  SERVICE_NOT_IMPLEMENTED: { code: 79, sip: 501, fromSip: [406, 415, 501] },
  INVALID_CALL_REFERENCE: { code: 81 },
  INCOMPATIBLE_DESTINATION: { code: 88, sip: 488, fromSip: [488, 606] },
  INVALID_MSG_UNSPECIFIED: { code: 95 },
  MANDATORY_IE_MISSING: { code: 96 },
  MESSAGE_TYPE_NONEXIST: { code: 97 },
  WRONG_MESSAGE: { code: 98 },
  IE_NONEXIST: { code: 99 },
  INVALID_IE_CONTENTS: { code: 100 },
  WRONG_CALL_STATE: { code: 101 },
  RECOVERY_ON_TIMER_EXPIRE: { code: 102, sip: 504, fromSip: [408, 504] },
  MANDATORY_IE_LENGTH_ERROR: { code: 103 },
  PROTOCOL_ERROR: { code: 111 },
  INTERWORKING: { code: 127, fromSip: [413, 414, 416, 420, 421, 423, 505, 513] },
  SUCCESS: { code: 142 },
  ORIGINATOR_CANCEL: { code: 487, sip: 487, fromSip: [487] },
  CRASH: { code: 700 },
  SYSTEM_SHUTDOWN: { code: 701 },
  LOSE_RACE: { code: 702 },
  MANAGER_REQUEST: { code: 703 },
  BLIND_TRANSFER: { code: 800 },
  ATTENDED_TRANSFER: { code: 801 },
  ALLOTTED_TIMEOUT: { code: 802 },
  USER_CHALLENGE: { code: 803 },
  MEDIA_TIMEOUT: { code: 804 },
  PICKED_OFF: { code: 805 },
  USER_NOT_REGISTERED: { code: 806 },
  PROGRESS_TIMEOUT: { code: 807 },
  INVALID_GATEWAY: { code: 808, sip: 484 },
  GATEWAY_DOWN: { code: 809, sip: 503 },
  INVALID_URL: { code: 810, sip: 484 },
  INVALID_PROFILE: { code: 811, sip: 502 },
  NO_PICKUP: { code: 812 },
  SRTP_READ_ERROR: { code: 813 },
  BOWOUT: { code: 814 },
  BUSY_EVERYWHERE: { code: 815, sip: 600 },
  DECLINE: { code: 816, sip: 603 },
  DOES_NOT_EXIST_ANYWHERE: { code: 817, sip: 604 },
  NOT_ACCEPTABLE: { code: 818, sip: 606 },
  UNWANTED: { code: 819, sip: 607, fromSip: [607] },
  NO_IDENTITY: { code: 820, sip: 428, fromSip: [428] },
  BAD_IDENTITY_INFO: { code: 821, sip: 436, fromSip: [436] },
  UNSUPPORTED_CERTIFICATE: { code: 822, sip: 437, fromSip: [437] },
  INVALID_IDENTITY: { code: 823, sip: 438, fromSip: [438] },
  STALE_DATE: { code: 824, sip: 403 },
  REJECT_ALL: { code: 825, sip: 603 },
} as const satisfies Record<string, CauseRow>;

export type HangupCause = keyof typeof TABLE;

/** Every cause name, in code order. */
export const HANGUP_CAUSES: readonly HangupCause[] = Object.freeze(Object.keys(TABLE) as HangupCause[]);

/** The status a cause without one of its own is answered with (as FreeSWITCH does). */
export const DEFAULT_CAUSE_SIP_STATUS = 480;

const BY_CODE = new Map<number, HangupCause>();
const BY_SIP = new Map<number, HangupCause>();
for (const name of HANGUP_CAUSES) {
  const row: CauseRow = TABLE[name];
  BY_CODE.set(row.code, name);
  for (const status of row.fromSip ?? []) BY_SIP.set(status, name);
}

export function isHangupCause(name: string): name is HangupCause {
  return Object.hasOwn(TABLE, name);
}

/** The numeric code of a cause (FreeSWITCH's value: 0-127 are Q.850, higher ones its own). */
export function causeCode(cause: HangupCause): number {
  return TABLE[cause].code;
}

/** The Q.850 value to put on the wire (Reason header, `hangup_cause_q850`): codes above 127 report 16. */
export function causeToQ850(cause: HangupCause): number {
  const code = TABLE[cause].code;
  return code <= 127 ? code : 16;
}

/** The cause of a numeric code, or undefined when no cause has it (FreeSWITCH prints UNKNOWN). */
export function causeFromCode(code: number): HangupCause | undefined {
  return BY_CODE.get(code);
}

/** The SIP status sent when a leg is ended locally with this cause before answer. */
export function causeToSipStatus(cause: HangupCause): number {
  const row: CauseRow = TABLE[cause];
  return row.sip ?? DEFAULT_CAUSE_SIP_STATUS;
}

/** The cause of a final SIP response received on an outbound leg. */
export function sipStatusToCause(status: number): HangupCause {
  const mapped = BY_SIP.get(status);
  if (mapped) return mapped;
  return status >= 200 && status < 300 ? 'NORMAL_CLEARING' : 'NORMAL_UNSPECIFIED';
}

/** The SIP statuses a cause is recognised from (its `fromSip` list). */
export function sipStatusesOf(cause: HangupCause): readonly number[] {
  const row: CauseRow = TABLE[cause];
  return row.fromSip ?? [];
}

/**
 * Reads a cause as the FreeSWITCH commands accept it (`hangup`, `uuid_kill`, `hangup-cause:`): a name in
 * any case or a number. Returns undefined for anything else; callers choose the fallback (FreeSWITCH
 * uses NORMAL_CLEARING).
 */
export function parseHangupCause(input: string | number): HangupCause | undefined {
  if (typeof input === 'number') return Number.isInteger(input) ? causeFromCode(input) : undefined;
  const text = input.trim();
  if (/^\d+$/.test(text)) return causeFromCode(Number(text));
  const upper = text.toUpperCase();
  return isHangupCause(upper) ? upper : undefined;
}
