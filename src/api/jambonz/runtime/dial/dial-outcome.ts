/**
 * The dial actionHook payload (specs/jambonz.md §2.4; §8 item 4: the key is `dial_call_status`):
 * `dial_call_status` completed / busy / no-answer / failed, `dial_sip_status`, `dial_call_sid`,
 * `dial_sbc_callid`. Failures map as the original's B-leg statuses do (§2.5): 486 / 600 / 603 busy,
 * 487 / 408 / 480 and the ring timeout no-answer, anything else failed. Pure.
 */
import { causeToSipStatus, type HangupCause } from '../../../../core/index.ts';

export type DialCallStatus = 'completed' | 'busy' | 'no-answer' | 'failed';

export interface DialFailure {
  cause: HangupCause;
  sipStatus?: number | undefined;
  callSid?: string | undefined;
}

const NO_ANSWER_CAUSES: readonly HangupCause[] = ['NO_ANSWER', 'NO_USER_RESPONSE', 'ORIGINATOR_CANCEL', 'RECOVERY_ON_TIMER_EXPIRE'];

export function failureStatus(f: DialFailure): { status: DialCallStatus; sipStatus: number } {
  const sip = f.sipStatus ?? (NO_ANSWER_CAUSES.includes(f.cause) ? 487 : causeToSipStatus(f.cause));
  if (f.cause === 'USER_BUSY' || sip === 486 || sip === 600 || sip === 603) return { status: 'busy', sipStatus: sip };
  if (NO_ANSWER_CAUSES.includes(f.cause) || sip === 487 || sip === 408 || sip === 480) return { status: 'no-answer', sipStatus: sip };
  return { status: 'failed', sipStatus: sip };
}

/** Rank of a failure when several targets failed: the most telling one is reported. */
export function failureRank(status: DialCallStatus): number {
  return status === 'busy' ? 3 : status === 'no-answer' ? 2 : status === 'failed' ? 1 : 0;
}

export function dialPayload(status: DialCallStatus, sipStatus: number, callSid: string | undefined, sbcCallId?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { dial_call_status: status, dial_sip_status: sipStatus };
  if (callSid !== undefined) out['dial_call_sid'] = callSid;
  if (sbcCallId !== undefined) out['dial_sbc_callid'] = sbcCallId;
  return out;
}
