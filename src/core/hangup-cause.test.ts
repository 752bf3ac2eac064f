import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CAUSE_SIP_STATUS, HANGUP_CAUSES, causeCode, causeFromCode, causeToQ850, causeToSipStatus, isHangupCause,
  parseHangupCause, sipStatusToCause, sipStatusesOf, type HangupCause,
} from './hangup-cause.ts';

// FreeSWITCH's cause names and codes (switch_types.h, as listed by the event socket documentation).
const FREESWITCH_CAUSES: [string, number][] = [
  ['NONE', 0], ['UNALLOCATED_NUMBER', 1], ['NO_ROUTE_TRANSIT_NET', 2], ['NO_ROUTE_DESTINATION', 3],
  ['CHANNEL_UNACCEPTABLE', 6], ['CALL_AWARDED_DELIVERED', 7], ['NORMAL_CLEARING', 16], ['USER_BUSY', 17],
  ['NO_USER_RESPONSE', 18], ['NO_ANSWER', 19], ['SUBSCRIBER_ABSENT', 20], ['CALL_REJECTED', 21],
  ['NUMBER_CHANGED', 22], ['REDIRECTION_TO_NEW_DESTINATION', 23], ['EXCHANGE_ROUTING_ERROR', 25],
  ['DESTINATION_OUT_OF_ORDER', 27], ['INVALID_NUMBER_FORMAT', 28], ['FACILITY_REJECTED', 29],
  ['RESPONSE_TO_STATUS_ENQUIRY', 30], ['NORMAL_UNSPECIFIED', 31], ['NORMAL_CIRCUIT_CONGESTION', 34],
  ['NETWORK_OUT_OF_ORDER', 38], ['NORMAL_TEMPORARY_FAILURE', 41], ['SWITCH_CONGESTION', 42],
  ['ACCESS_INFO_DISCARDED', 43], ['REQUESTED_CHAN_UNAVAIL', 44], ['PRE_EMPTED', 45], ['FACILITY_NOT_SUBSCRIBED', 50],
  ['OUTGOING_CALL_BARRED', 52], ['INCOMING_CALL_BARRED', 54], ['BEARERCAPABILITY_NOTAUTH', 57],
  ['BEARERCAPABILITY_NOTAVAIL', 58], ['SERVICE_UNAVAILABLE', 63], ['BEARERCAPABILITY_NOTIMPL', 65],
  ['CHAN_NOT_IMPLEMENTED', 66], ['FACILITY_NOT_IMPLEMENTED', 69], ['SERVICE_NOT_IMPLEMENTED', 79],
  ['INVALID_CALL_REFERENCE', 81], ['INCOMPATIBLE_DESTINATION', 88], ['INVALID_MSG_UNSPECIFIED', 95],
  ['MANDATORY_IE_MISSING', 96], ['MESSAGE_TYPE_NONEXIST', 97], ['WRONG_MESSAGE', 98], ['IE_NONEXIST', 99],
  ['INVALID_IE_CONTENTS', 100], ['WRONG_CALL_STATE', 101], ['RECOVERY_ON_TIMER_EXPIRE', 102],
  ['MANDATORY_IE_LENGTH_ERROR', 103], ['PROTOCOL_ERROR', 111], ['INTERWORKING', 127], ['SUCCESS', 142],
  ['ORIGINATOR_CANCEL', 487], ['CRASH', 700], ['SYSTEM_SHUTDOWN', 701], ['LOSE_RACE', 702], ['MANAGER_REQUEST', 703],
  ['BLIND_TRANSFER', 800], ['ATTENDED_TRANSFER', 801], ['ALLOTTED_TIMEOUT', 802], ['USER_CHALLENGE', 803],
  ['MEDIA_TIMEOUT', 804], ['PICKED_OFF', 805], ['USER_NOT_REGISTERED', 806], ['PROGRESS_TIMEOUT', 807],
  ['INVALID_GATEWAY', 808], ['GATEWAY_DOWN', 809], ['INVALID_URL', 810], ['INVALID_PROFILE', 811], ['NO_PICKUP', 812],
  ['SRTP_READ_ERROR', 813], ['BOWOUT', 814], ['BUSY_EVERYWHERE', 815], ['DECLINE', 816],
  ['DOES_NOT_EXIST_ANYWHERE', 817], ['NOT_ACCEPTABLE', 818], ['UNWANTED', 819], ['NO_IDENTITY', 820],
  ['BAD_IDENTITY_INFO', 821], ['UNSUPPORTED_CERTIFICATE', 822], ['INVALID_IDENTITY', 823], ['STALE_DATE', 824],
  ['REJECT_ALL', 825],
];

// cause -> SIP status sent; every cause not listed answers 480.
const TO_SIP: [number, HangupCause[]][] = [
  [404, ['UNALLOCATED_NUMBER', 'NO_ROUTE_TRANSIT_NET', 'NO_ROUTE_DESTINATION']],
  [486, ['USER_BUSY']],
  [408, ['NO_USER_RESPONSE']],
  [480, ['NO_ANSWER', 'SUBSCRIBER_ABSENT', 'NORMAL_UNSPECIFIED']],
  [603, ['CALL_REJECTED', 'DECLINE', 'REJECT_ALL']],
  [410, ['NUMBER_CHANGED', 'REDIRECTION_TO_NEW_DESTINATION']],
  [502, ['DESTINATION_OUT_OF_ORDER', 'INVALID_PROFILE']],
  [484, ['INVALID_NUMBER_FORMAT', 'INVALID_URL', 'INVALID_GATEWAY']],
  [501, ['FACILITY_REJECTED', 'FACILITY_NOT_IMPLEMENTED', 'SERVICE_NOT_IMPLEMENTED']],
  [503, [
    'REQUESTED_CHAN_UNAVAIL', 'NORMAL_CIRCUIT_CONGESTION', 'NETWORK_OUT_OF_ORDER', 'NORMAL_TEMPORARY_FAILURE',
    'SWITCH_CONGESTION', 'GATEWAY_DOWN', 'BEARERCAPABILITY_NOTAVAIL',
  ]],
  [403, ['OUTGOING_CALL_BARRED', 'INCOMING_CALL_BARRED', 'BEARERCAPABILITY_NOTAUTH', 'STALE_DATE']],
  [488, ['BEARERCAPABILITY_NOTIMPL', 'INCOMPATIBLE_DESTINATION']],
  [504, ['RECOVERY_ON_TIMER_EXPIRE']],
  [487, ['ORIGINATOR_CANCEL']],
  [483, ['EXCHANGE_ROUTING_ERROR']],
  [600, ['BUSY_EVERYWHERE']],
  [604, ['DOES_NOT_EXIST_ANYWHERE']],
  [606, ['NOT_ACCEPTABLE']],
  [607, ['UNWANTED']],
  [428, ['NO_IDENTITY']],
  [436, ['BAD_IDENTITY_INFO']],
  [437, ['UNSUPPORTED_CERTIFICATE']],
  [438, ['INVALID_IDENTITY']],
];

// SIP status received -> cause; every other final status gives NORMAL_UNSPECIFIED, 2xx NORMAL_CLEARING.
const FROM_SIP: [HangupCause, number[]][] = [
  ['NORMAL_CLEARING', [200]],
  ['CALL_REJECTED', [401, 402, 403, 407, 603, 608]],
  ['UNALLOCATED_NUMBER', [404, 485, 604]],
  ['RECOVERY_ON_TIMER_EXPIRE', [408, 504]],
  ['NUMBER_CHANGED', [410]],
  ['INTERWORKING', [413, 414, 416, 420, 421, 423, 505, 513]],
  ['NO_USER_RESPONSE', [480]],
  ['NORMAL_TEMPORARY_FAILURE', [400, 481, 500, 503]],
  ['USER_BUSY', [486, 600]],
  ['INVALID_NUMBER_FORMAT', [484]],
  ['INCOMPATIBLE_DESTINATION', [488, 606]],
  ['NETWORK_OUT_OF_ORDER', [502]],
  ['SERVICE_UNAVAILABLE', [405]],
  ['SERVICE_NOT_IMPLEMENTED', [406, 415, 501]],
  ['EXCHANGE_ROUTING_ERROR', [482, 483]],
  ['ORIGINATOR_CANCEL', [487]],
  ['UNWANTED', [607]],
  ['NO_IDENTITY', [428]],
  ['BAD_IDENTITY_INFO', [436]],
  ['UNSUPPORTED_CERTIFICATE', [437]],
  ['INVALID_IDENTITY', [438]],
];

test('the table holds exactly FreeSWITCH cause names and codes, in code order', () => {
  assert.deepEqual(HANGUP_CAUSES.map((c) => [c, causeCode(c)]), FREESWITCH_CAUSES);
});

test('name <-> code, parsing names in any case and numbers, Q.850 value (whole table)', () => {
  for (const [name, code] of FREESWITCH_CAUSES) {
    assert.ok(isHangupCause(name));
    assert.equal(causeFromCode(code), name);
    assert.equal(parseHangupCause(name), name);
    assert.equal(parseHangupCause(name.toLowerCase()), name);
    assert.equal(parseHangupCause(` ${name} `), name);
    assert.equal(parseHangupCause(code), name);
    assert.equal(parseHangupCause(String(code)), name);
    assert.equal(causeToQ850(name as HangupCause), code <= 127 ? code : 16, name);
  }
  for (const bad of ['', 'BOGUS', 'normal clearing', '4', '999', 'toString', '__proto__', 1.5, -1, 5]) {
    assert.equal(parseHangupCause(bad), undefined, String(bad));
  }
  assert.equal(causeFromCode(4), undefined);
  assert.ok(!isHangupCause('constructor'));
});

test('cause -> SIP status for every cause', () => {
  const expected = new Map<HangupCause, number>();
  for (const [status, causes] of TO_SIP) for (const c of causes) expected.set(c, status);
  for (const cause of HANGUP_CAUSES) {
    assert.equal(causeToSipStatus(cause), expected.get(cause) ?? DEFAULT_CAUSE_SIP_STATUS, cause);
  }
});

test('SIP status -> cause for every status 100-699', () => {
  const expected = new Map<number, HangupCause>();
  for (const [cause, statuses] of FROM_SIP) {
    for (const s of statuses) {
      assert.ok(!expected.has(s), `status ${s} listed twice`);
      expected.set(s, cause);
    }
  }
  for (let status = 100; status < 700; status++) {
    const fallback = status >= 200 && status < 300 ? 'NORMAL_CLEARING' : 'NORMAL_UNSPECIFIED';
    assert.equal(sipStatusToCause(status), expected.get(status) ?? fallback, String(status));
  }
  for (const cause of HANGUP_CAUSES) {
    const statuses = FROM_SIP.find(([c]) => c === cause)?.[1] ?? [];
    assert.deepEqual([...sipStatusesOf(cause)], statuses, cause);
  }
});

test('well-known mappings (RFC 3398 and FreeSWITCH)', () => {
  const cases: [HangupCause, number, number[]][] = [
    // cause, status sent, statuses received that mean it
    ['USER_BUSY', 486, [486]],
    ['NO_USER_RESPONSE', 408, [480]],
    ['NO_ANSWER', 480, []],
    ['SUBSCRIBER_ABSENT', 480, []],
    ['CALL_REJECTED', 603, [403, 603]],
    ['UNALLOCATED_NUMBER', 404, [404, 485, 604]],
    ['NUMBER_CHANGED', 410, [410]],
    ['DESTINATION_OUT_OF_ORDER', 502, []],
    ['INVALID_NUMBER_FORMAT', 484, [484]],
    ['NORMAL_TEMPORARY_FAILURE', 503, [503]],
    ['RECOVERY_ON_TIMER_EXPIRE', 504, [408, 504]],
    ['INCOMPATIBLE_DESTINATION', 488, [488, 606]],
    ['ORIGINATOR_CANCEL', 487, [487]],
  ];
  for (const [cause, sent, received] of cases) {
    assert.equal(causeToSipStatus(cause), sent, cause);
    for (const s of received) assert.equal(sipStatusToCause(s), cause, `${s}`);
  }
});
