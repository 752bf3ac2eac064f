/**
 * The channel (call leg) state machine, a slim version of FreeSWITCH's channel and call states
 * (switch_core_state_machine.c CS_* and switch_channel.c CCS_*):
 *
 *   new -> routing -> ringing -> early -> answered -> hangup -> destroyed
 *
 * Steps may be skipped forward (an outbound leg goes new -> answered when the far end answers at once;
 * an inbound leg can be answered straight from routing) but never go back, and every leg passes through
 * hangup before destroyed. `routing` is only for inbound legs looking for their application.
 */
import { CoreError } from './core-error.ts';

export const CHANNEL_STATES = ['new', 'routing', 'ringing', 'early', 'answered', 'hangup', 'destroyed'] as const;

export type ChannelState = (typeof CHANNEL_STATES)[number];

export type ChannelDirection = 'inbound' | 'outbound';

const TRANSITIONS: Readonly<Record<ChannelState, readonly ChannelState[]>> = {
  new: ['routing', 'ringing', 'early', 'answered', 'hangup'],
  routing: ['ringing', 'early', 'answered', 'hangup'],
  ringing: ['early', 'answered', 'hangup'],
  early: ['answered', 'hangup'],
  answered: ['hangup'],
  hangup: ['destroyed'],
  destroyed: [],
};

export function canTransition(from: ChannelState, to: ChannelState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws CORE_STATE_TRANSITION when `from -> to` is not allowed. */
export function assertTransition(from: ChannelState, to: ChannelState, uuid = ''): void {
  if (!canTransition(from, to)) {
    throw new CoreError('CORE_STATE_TRANSITION', `channel ${uuid || '?'}: illegal state change ${from} -> ${to}`);
  }
}

/** True once the leg is hanging up or gone. */
export function isEnded(state: ChannelState): boolean {
  return state === 'hangup' || state === 'destroyed';
}

/** True before answer (and before hangup). */
export function isPreAnswer(state: ChannelState): boolean {
  return state === 'new' || state === 'routing' || state === 'ringing' || state === 'early';
}
