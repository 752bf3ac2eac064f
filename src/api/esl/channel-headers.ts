/**
 * Channel data in events (specs/esl.md §4.2, switch_channel_event_set_basic_data / _extended_data):
 * the basic block (Channel-State ... Caller-*), the partner profile (Other-Type, Other-Leg-*), and the
 * extended block of `variable_*` headers, built from core's ChannelSnapshot. Also the mapping of core's
 * slim channel states onto FreeSWITCH's running states (CS_*), call states and answer states.
 */
import type { ChannelSnapshot, ChannelState } from '../../core/index.ts';
import { causeToQ850 } from '../../core/index.ts';
import type { EventHeader } from './esl-event.ts';

export const CS_NUMBERS: Readonly<Record<string, number>> = {
  CS_NEW: 0, CS_INIT: 1, CS_ROUTING: 2, CS_SOFT_EXECUTE: 3, CS_EXECUTE: 4, CS_EXCHANGE_MEDIA: 5, CS_PARK: 6,
  CS_CONSUME_MEDIA: 7, CS_HIBERNATE: 8, CS_RESET: 9, CS_HANGUP: 10, CS_REPORTING: 11, CS_DESTROY: 12,
};

export const CCS_NUMBERS: Readonly<Record<string, number>> = {
  DOWN: 0, DIALING: 1, RINGING: 2, EARLY: 3, ACTIVE: 4, HELD: 5, RING_WAIT: 6, HANGUP: 7, UNHELD: 8,
};

/** The running state (Channel-State) of a leg in a core state. */
export function runningState(direction: ChannelSnapshot['direction'], state: ChannelState): string {
  switch (state) {
    case 'new': return 'CS_INIT';
    case 'routing': return 'CS_ROUTING';
    case 'ringing':
    case 'early': return direction === 'inbound' ? 'CS_EXECUTE' : 'CS_CONSUME_MEDIA';
    case 'answered': return 'CS_EXECUTE';
    case 'hangup': return 'CS_HANGUP';
    case 'destroyed': return 'CS_DESTROY';
  }
}

/** Channel-Call-State of a leg in a core state. */
export function callState(direction: ChannelSnapshot['direction'], state: ChannelState, held = false): string {
  switch (state) {
    case 'new': return 'DOWN';
    case 'routing': return direction === 'inbound' ? 'RINGING' : 'DOWN';
    case 'ringing': return 'RINGING';
    case 'early': return 'EARLY';
    case 'answered': return held ? 'HELD' : 'ACTIVE';
    default: return 'HANGUP';
  }
}

export function answerState(state: ChannelState): string {
  if (state === 'answered') return 'answered';
  if (state === 'early') return 'early';
  if (state === 'hangup' || state === 'destroyed') return 'hangup';
  return 'ringing';
}

/** The core state a leg was in just before `to`, judged from its milestones. */
export function previousState(s: ChannelSnapshot, to: ChannelState): ChannelState {
  const base: ChannelState = s.direction === 'inbound' ? 'routing' : 'new';
  const t = s.times;
  if (to === 'ringing') return base;
  if (to === 'early') return t.progress !== undefined ? 'ringing' : base;
  if (to === 'answered') return t.progressMedia !== undefined ? 'early' : t.progress !== undefined ? 'ringing' : base;
  if (to === 'hangup') {
    return t.answered !== undefined ? 'answered' : t.progressMedia !== undefined ? 'early' : t.progress !== undefined ? 'ringing' : base;
  }
  return base;
}

function us(ms: number | undefined): string {
  return ms === undefined ? '0' : String(Math.floor(ms * 1000));
}

class Headers {
  readonly list: EventHeader[] = [];
  add(name: string, value: string | undefined): void {
    if (value !== undefined && value !== '') this.list.push([name, value]);
  }
}

/** Caller-profile fields with a prefix (`Caller-`, `Other-Leg-`). */
export function profileHeaders(s: ChannelSnapshot, prefix: string): EventHeader[] {
  const h = new Headers();
  const p = (n: string, v: string | undefined): void => h.add(prefix + n, v);
  p('Direction', s.direction);
  p('Logical-Direction', s.direction);
  p('Username', s.user);
  p('Dialplan', 'XML');
  p('Caller-ID-Name', s.caller.name);
  p('Caller-ID-Number', s.caller.number);
  p('Orig-Caller-ID-Name', s.caller.name);
  p('Orig-Caller-ID-Number', s.caller.number);
  p('Callee-ID-Name', s.callee.name);
  p('Callee-ID-Number', s.callee.number);
  p('Network-Addr', s.variables['network_addr'] ?? s.variables['sip_network_ip']);
  p('ANI', s.caller.number);
  p('Destination-Number', s.destination);
  p('Unique-ID', s.uuid);
  p('Source', s.endpoint === 'sip' ? 'mod_sofia' : `mod_${s.endpoint}`);
  p('Context', s.variables['context'] ?? 'default');
  p('Channel-Name', s.name);
  p('Profile-Index', '1');
  p('Profile-Created-Time', us(s.times.created));
  p('Channel-Created-Time', us(s.times.created));
  p('Channel-Answered-Time', us(s.times.answered));
  p('Channel-Progress-Time', us(s.times.progress));
  p('Channel-Progress-Media-Time', us(s.times.progressMedia));
  p('Channel-Hangup-Time', us(s.times.hangup));
  p('Channel-Transfer-Time', '0');
  p('Channel-Resurrect-Time', '0');
  p('Channel-Bridged-Time', us(s.times.bridged));
  p('Channel-Last-Hold', '0');
  p('Channel-Hold-Accum', '0');
  p('Screen-Bit', 'true');
  p('Privacy-Hide-Name', 'false');
  p('Privacy-Hide-Number', 'false');
  return h.list;
}

export interface ChannelBlockOptions {
  /** Overrides the running state (CHANNEL_HANGUP keeps the previous one, HANGUP_COMPLETE says CS_REPORTING). */
  running?: string;
  /** Overrides Channel-State-Number (the target state). */
  stateNumber?: number;
  /** The partner leg, with Other-Type. */
  other?: { type: 'originator' | 'originatee'; channel: ChannelSnapshot };
  /** Add the `variable_*` block. */
  extended?: boolean;
}

/** The channel block of an event, in FreeSWITCH's order. */
export function channelHeaders(s: ChannelSnapshot, options: ChannelBlockOptions = {}): EventHeader[] {
  const h = new Headers();
  const running = options.running ?? runningState(s.direction, s.state);
  h.add('Channel-State', running);
  h.add('Channel-Call-State', callState(s.direction, s.state, s.held));
  h.add('Channel-State-Number', String(options.stateNumber ?? CS_NUMBERS[running] ?? 0));
  h.add('Channel-Name', s.name);
  h.add('Unique-ID', s.uuid);
  h.add('Call-Direction', s.direction);
  h.add('Presence-Call-Direction', s.direction);
  h.add('Channel-HIT-Dialplan', s.direction === 'inbound' ? 'true' : 'false');
  h.add('Channel-Presence-ID', s.variables['presence_id']);
  h.add('Channel-Call-UUID', s.variables['call_uuid'] ?? s.parentUuid ?? s.uuid);
  h.add('Answer-State', answerState(s.state));
  h.add('Hangup-Cause', s.hangupCause);
  h.add('Channel-Read-Codec-Name', s.variables['read_codec']);
  h.add('Channel-Read-Codec-Rate', s.variables['read_rate']);
  h.add('Channel-Write-Codec-Name', s.variables['write_codec']);
  h.add('Channel-Write-Codec-Rate', s.variables['write_rate']);
  h.list.push(...profileHeaders(s, 'Caller-'));
  if (options.other) {
    h.add('Other-Type', options.other.type);
    h.list.push(...profileHeaders(options.other.channel, 'Other-Leg-'));
  }
  if (options.extended) h.list.push(...variableHeaders(s));
  return h.list;
}

/** The variables of a leg: FreeSWITCH's built-ins first (unless the leg has its own), then the leg's. */
export function channelVariables(s: ChannelSnapshot): [string, string][] {
  const vars = new Map<string, string>();
  vars.set('direction', s.direction);
  vars.set('uuid', s.uuid);
  vars.set('call_uuid', s.parentUuid ?? s.uuid);
  vars.set('channel_name', s.name);
  if (s.caller.number) vars.set('caller_id_number', s.caller.number);
  if (s.caller.name) vars.set('caller_id_name', s.caller.name);
  if (s.destination) vars.set('destination_number', s.destination);
  if (s.hangupCause !== undefined) {
    vars.set('hangup_cause', s.hangupCause);
    vars.set('hangup_cause_q850', String(causeToQ850(s.hangupCause)));
  }
  if (s.sipStatus !== undefined) vars.set('sip_term_status', String(s.sipStatus));
  if (s.times.hangup !== undefined) {
    const end = s.times.hangup;
    vars.set('duration', String(Math.round((end - s.times.created) / 1000)));
    vars.set('billsec', String(s.times.answered === undefined ? 0 : Math.round((end - s.times.answered) / 1000)));
  }
  for (const [k, v] of Object.entries(s.variables)) vars.set(k, v);
  return [...vars.entries()].filter(([, v]) => v !== '');
}

export function variableHeaders(s: ChannelSnapshot): EventHeader[] {
  return channelVariables(s).map(([k, v]) => [`variable_${k}`, v] as const);
}
