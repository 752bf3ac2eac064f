/**
 * The states of a SIPREC recording session as the recording client sees it (RFC 7866 sections 6 and 8;
 * the original's record actions start / pause / resume / stop): starting (INVITE sent) -> recording
 * (2xx with a usable answer) <-> paused (re-INVITE a=inactive accepted) -> stopped (our BYE or CANCEL,
 * the server's BYE, the call's end); a refused, unanswered or unusable INVITE ends in failed. Pure.
 */
import type { RemoteRecordingState } from '../../../core/index.ts';

export type SiprecEvent = 'answered' | 'failed' | 'paused' | 'resumed' | 'stop' | 'remote-bye' | 'hangup';

const TABLE: Readonly<Record<RemoteRecordingState, Partial<Record<SiprecEvent, RemoteRecordingState>>>> = {
  starting: { answered: 'recording', failed: 'failed', stop: 'stopped', hangup: 'stopped' },
  recording: { paused: 'paused', stop: 'stopped', 'remote-bye': 'stopped', hangup: 'stopped', failed: 'failed' },
  paused: { resumed: 'recording', stop: 'stopped', 'remote-bye': 'stopped', hangup: 'stopped', failed: 'failed' },
  stopped: {},
  failed: {},
};

/** The state after `event`, or undefined when the event does not apply in `state`. */
export function nextState(state: RemoteRecordingState, event: SiprecEvent): RemoteRecordingState | undefined {
  return TABLE[state][event];
}

/** Whether the recording session is over. */
export function isFinal(state: RemoteRecordingState): boolean {
  return state === 'stopped' || state === 'failed';
}
