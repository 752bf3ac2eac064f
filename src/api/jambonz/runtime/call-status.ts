/**
 * The call status a hangup reports (specs/jambonz.md §2.5): an answered call is `completed`; an inbound
 * call the caller cancelled is `no-answer` (487 Request Terminated); one the application rejected
 * (sip:decline, 603 when nothing answered, 480 on app errors) is `failed` with that status; an outbound
 * call maps 486/600/603 to `busy`, 487 and ring timeouts to `no-answer`, anything else to `failed`.
 */
import { causeToSipStatus, type HangupCause } from '../../../core/index.ts';
import { sipReasonOf, type CallStatus } from './call-info.ts';

export interface HangupFacts {
  direction: 'inbound' | 'outbound';
  answered: boolean;
  cause: HangupCause;
  sipStatus?: number;
  by: 'local' | 'remote';
}

export interface FinalStatus {
  callStatus: CallStatus;
  sipStatus: number;
  sipReason: string;
  terminationBy: 'caller' | 'jambonz';
}

export function finalStatusOf(f: HangupFacts): FinalStatus {
  const terminationBy = f.by === 'remote' ? 'caller' : 'jambonz';
  if (f.answered) return { callStatus: 'completed', sipStatus: 200, sipReason: 'OK', terminationBy };
  const status = f.sipStatus ?? causeToSipStatus(f.cause);
  if (f.direction === 'inbound') {
    if (f.by === 'remote') return { callStatus: 'no-answer', sipStatus: 487, sipReason: sipReasonOf(487), terminationBy };
    return { callStatus: 'failed', sipStatus: status, sipReason: sipReasonOf(status), terminationBy };
  }
  let callStatus: CallStatus = 'failed';
  if (status === 486 || status === 600 || status === 603 || f.cause === 'USER_BUSY') callStatus = 'busy';
  else if (status === 487 || f.cause === 'NO_ANSWER' || f.cause === 'ORIGINATOR_CANCEL') callStatus = 'no-answer';
  return { callStatus, sipStatus: status, sipReason: sipReasonOf(status), terminationBy };
}
