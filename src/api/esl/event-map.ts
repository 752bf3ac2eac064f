/**
 * Core bus events -> FreeSWITCH events (specs/esl.md §4.4 "which events fire when", §4.2 which events
 * carry the variable block): CHANNEL_STATE / CHANNEL_CALLSTATE on state changes, CHANNEL_CREATE (outbound
 * legs: CHANNEL_OUTGOING before it and CHANNEL_ORIGINATE after; CHANNEL_UUID first with origination_uuid), sofia::register / unregister / expire,
 * CHANNEL_PROGRESS(_MEDIA), CHANNEL_ANSWER, CHANNEL_HOLD/UNHOLD, CHANNEL_HANGUP (+ CS_HANGUP, callstate
 * HANGUP), CHANNEL_HANGUP_COMPLETE, CHANNEL_DESTROY, CHANNEL_BRIDGE/UNBRIDGE, DTMF, PLAYBACK_*, RECORD_*
 * and CUSTOM conference::maintenance. Pure: the caller supplies the lookup of live channels.
 */
import { uuid as newUuid } from '../../lib/index.ts';
import type { ChannelSnapshot, ChannelState, ConferenceSnapshot, MemberSnapshot, SwitchEvent } from '../../core/index.ts';
import {
  CCS_NUMBERS, CS_NUMBERS, callState, channelHeaders, previousState, runningState,
} from './channel-headers.ts';
import type { EventHeader } from './esl-event.ts';
import type { EventDraft } from './event-stamp.ts';

export type ChannelLookup = (uuid: string) => ChannelSnapshot | undefined;

const DTMF_SOURCE: Readonly<Record<string, string>> = {
  rfc4733: 'RTP', inband: 'INBAND_AUDIO', info: 'ENDPOINT', app: 'APP', unknown: 'UNKNOWN',
};

function origin(fn: string): readonly [string, string, number] {
  return ['switchboard', fn, 0];
}

function draft(name: string, fn: string, headers: readonly EventHeader[], extra: Partial<EventDraft> = {}): EventDraft {
  return { name, origin: origin(fn), headers, ...extra };
}

function stateEvent(s: ChannelSnapshot, running: string, fn: string): EventDraft {
  return draft('CHANNEL_STATE', fn, channelHeaders(s, { running }));
}

function callstateEvent(s: ChannelSnapshot, from: string, to: string, fn: string): EventDraft {
  return draft('CHANNEL_CALLSTATE', fn, [
    ['Original-Channel-Call-State', from],
    ['Channel-Call-State-Number', String(CCS_NUMBERS[to] ?? 0)],
    ...channelHeaders(s).map((h): EventHeader => (h[0] === 'Channel-Call-State' ? ['Channel-Call-State', to] : h)),
  ]);
}

/** STATE / CALLSTATE for a move into `to`, when the running state or call state changed. */
function transitionEvents(s: ChannelSnapshot, to: ChannelState, fn: string, from: ChannelState = previousState(s, to)): EventDraft[] {
  const out: EventDraft[] = [];
  const csFrom = runningState(s.direction, from);
  const csTo = runningState(s.direction, to);
  const ccsFrom = callState(s.direction, from);
  const ccsTo = callState(s.direction, to, s.held);
  if (ccsFrom !== ccsTo) out.push(callstateEvent(s, ccsFrom, ccsTo, fn));
  if (csFrom !== csTo) out.push(stateEvent(s, csTo, fn));
  return out;
}

function conferenceHeaders(c: ConferenceSnapshot, hostname: string): EventHeader[] {
  return [
    ['Conference-Name', c.name],
    ['Conference-Domain', hostname],
    ['Conference-Size', String(c.size)],
    ['Conference-Ghosts', '0'],
    ['Conference-Profile-Name', 'default'],
    ['Conference-Unique-ID', c.id],
  ];
}

function memberHeaders(m: MemberSnapshot, channel: ChannelSnapshot | undefined): EventHeader[] {
  return [
    ['Floor', 'false'],
    ...(channel ? channelHeaders(channel) : [['Unique-ID', m.uuid] as const]),
    ['Video', 'false'],
    ['Hear', String(!m.deaf)],
    ['See', 'true'],
    ['Speak', String(!m.mute)],
    ['Talking', String(m.talking)],
    ['Mute-Detect', 'false'],
    ['Hold', String(m.hold)],
    ['Member-ID', String(m.id)],
    ['Member-Type', m.moderator ? 'moderator' : 'member'],
    ['Member-Ghost', 'false'],
    ['Energy-Level', '100'],
    ['Current-Energy', '0'],
  ];
}

function maintenance(fn: string, headers: EventHeader[], action: string): EventDraft {
  return draft('CUSTOM', fn, [...headers, ['Action', action]], { subclass: 'conference::maintenance' });
}

const MEMBER_ACTIONS: Readonly<Record<string, readonly [on: string, off: string]>> = {
  mute: ['mute-member', 'unmute-member'],
  deaf: ['deaf-member', 'undeaf-member'],
  hold: ['hold-member', 'unhold-member'],
  talking: ['start-talking', 'stop-talking'],
};

function fileType(source: string): EventHeader[] {
  const m = /^(tone_stream|local_stream):\/\//.exec(source);
  return m ? [['Playback-File-Type', m[1]!]] : [];
}

function nonEmpty(headers: readonly (readonly [string, string])[]): EventHeader[] {
  return headers.filter(([, v]) => v !== '');
}

export interface MapContext {
  lookup: ChannelLookup;
  hostname: string;
  /** Epoch ms now (registration expiry seconds). */
  now: number;
}

/** The FreeSWITCH events one bus event stands for, in generation order. */
export function mapBusEvent(event: SwitchEvent, ctx: MapContext): EventDraft[] {
  const fn = event.name;
  switch (event.name) {
    case 'channel.created': {
      const s = event.payload.channel;
      if (s.direction === 'outbound') {
        // Originate order (§4.4): OUTGOING (still CS_NEW), STATE CS_INIT, CREATE, ORIGINATE; a leg placed for
        // another (bridge, dial) carries that leg as its originator.
        const parent = s.parentUuid === undefined ? undefined : ctx.lookup(s.parentUuid);
        const other = parent ? { other: { type: 'originator' as const, channel: parent } } : {};
        // A forced uuid (origination_uuid) is announced first by CHANNEL_UUID with the uuid the leg
        // was born with (§4.4); here the leg is created with its final uuid, so that one is made up.
        const renamed = s.variables['origination_uuid'] === s.uuid
          ? [draft('CHANNEL_UUID', fn, [['Old-Unique-ID', newUuid()], ...channelHeaders(s, { running: 'CS_NEW' })])]
          : [];
        return [
          ...renamed,
          draft('CHANNEL_OUTGOING', fn, channelHeaders(s, { running: 'CS_NEW', ...other })),
          stateEvent(s, 'CS_INIT', fn),
          draft('CHANNEL_CREATE', fn, channelHeaders(s, { extended: true })),
          draft('CHANNEL_ORIGINATE', fn, channelHeaders(s, { extended: true, ...other })),
        ];
      }
      return [stateEvent(s, 'CS_INIT', fn), draft('CHANNEL_CREATE', fn, channelHeaders(s, { extended: true }))];
    }
    case 'channel.state': {
      const { channel: s, from, to } = event.payload;
      if (to !== 'routing') return [];
      return transitionEvents(s, 'routing', fn, from);
    }
    case 'channel.ringing': {
      const s = event.payload.channel;
      return [draft('CHANNEL_PROGRESS', fn, channelHeaders(s, { extended: true })), ...transitionEvents(s, 'ringing', fn)];
    }
    case 'channel.progress': {
      const s = event.payload.channel;
      const name = event.payload.earlyMedia ? 'CHANNEL_PROGRESS_MEDIA' : 'CHANNEL_PROGRESS';
      return [draft(name, fn, channelHeaders(s, { extended: true })), ...transitionEvents(s, s.state, fn)];
    }
    case 'channel.answered': {
      const s = event.payload.channel;
      return [draft('CHANNEL_ANSWER', fn, channelHeaders(s, { extended: true })), ...transitionEvents(s, 'answered', fn)];
    }
    case 'channel.hold': {
      const s = event.payload.channel;
      return [draft(event.payload.held ? 'CHANNEL_HOLD' : 'CHANNEL_UNHOLD', fn, channelHeaders(s, { extended: true }))];
    }
    case 'channel.dtmf': {
      const { channel: s, digit, durationMs, source } = event.payload;
      return [draft('DTMF', fn, [
        ...channelHeaders(s),
        ['DTMF-Digit', digit],
        ['DTMF-Duration', String(Math.round(durationMs * 8))],
        ['DTMF-Source', DTMF_SOURCE[source] ?? 'UNKNOWN'],
      ])];
    }
    case 'channel.hangup': {
      const s = event.payload.channel;
      const prev = previousState(s, 'hangup');
      const running = runningState(s.direction, prev);
      return [
        draft('CHANNEL_HANGUP', fn, channelHeaders(s, { running, stateNumber: CS_NUMBERS['CS_HANGUP'], extended: true })),
        stateEvent(s, 'CS_HANGUP', fn),
        callstateEvent(s, callState(s.direction, prev), 'HANGUP', fn),
      ];
    }
    case 'channel.destroyed': {
      const s = event.payload.channel;
      const cause: EventHeader[] = s.hangupCause === undefined ? [] : [['Hangup-Cause', s.hangupCause]];
      return [
        stateEvent(s, 'CS_REPORTING', fn),
        draft('CHANNEL_HANGUP_COMPLETE', fn, [...cause, ...channelHeaders(s, { running: 'CS_REPORTING', extended: true })]),
        draft('CHANNEL_DESTROY', fn, channelHeaders(s, { running: 'CS_DESTROY', extended: true })),
        stateEvent(s, 'CS_DESTROY', fn),
      ];
    }
    case 'bridge.created': {
      const { bridge, a, b } = event.payload;
      return [draft('CHANNEL_BRIDGE', fn, [
        ['Bridge-A-Unique-ID', bridge.a],
        ['Bridge-B-Unique-ID', bridge.b],
        ...channelHeaders(a, { other: { type: 'originatee', channel: b }, extended: true }),
      ])];
    }
    case 'bridge.destroyed': {
      const { bridge } = event.payload;
      const a = ctx.lookup(bridge.a);
      const b = ctx.lookup(bridge.b);
      const block = a ? channelHeaders(a, { ...(b ? { other: { type: 'originatee' as const, channel: b } } : {}), extended: true })
        : [['Unique-ID', bridge.a] as const];
      return [draft('CHANNEL_UNBRIDGE', fn, [['Bridge-A-Unique-ID', bridge.a], ['Bridge-B-Unique-ID', bridge.b], ...block])];
    }
    case 'conference.created':
      return [maintenance(fn, conferenceHeaders(event.payload.conference, ctx.hostname), 'conference-create')];
    case 'conference.destroyed':
      return [maintenance(fn, conferenceHeaders(event.payload.conference, ctx.hostname), 'conference-destroy')];
    case 'conference.memberJoined': {
      const { conference, member, channel } = event.payload;
      return [maintenance(fn, [...conferenceHeaders(conference, ctx.hostname), ...memberHeaders(member, channel)], 'add-member')];
    }
    case 'conference.memberLeft': {
      const { conference, member, channel, reason } = event.payload;
      const headers = [...conferenceHeaders(conference, ctx.hostname), ...memberHeaders(member, channel)];
      const out: EventDraft[] = [];
      if (reason === 'kick') out.push(maintenance(fn, headers, 'kick-member'));
      out.push(maintenance(fn, headers, 'del-member'));
      return out;
    }
    case 'conference.memberUpdated': {
      const { conference, member, change } = event.payload;
      const actions = MEMBER_ACTIONS[change];
      if (!actions) return [];
      const on = change === 'mute' ? member.mute : change === 'deaf' ? member.deaf : change === 'hold' ? member.hold : member.talking;
      const headers = [...conferenceHeaders(conference, ctx.hostname), ...memberHeaders(member, ctx.lookup(member.uuid))];
      return [maintenance(fn, headers, on ? actions[0] : actions[1])];
    }
    case 'playback.started':
    case 'playback.stopped': {
      const p = event.payload;
      const stop = event.name === 'playback.stopped';
      if (p.channel) {
        const status: EventHeader[] = stop ? [['Playback-Status', event.payload.outcome.status === 'done' ? 'done' : 'break']] : [];
        return [draft(stop ? 'PLAYBACK_STOP' : 'PLAYBACK_START', fn, [
          ...channelHeaders(p.channel, { extended: true }), ...fileType(p.source), ['Playback-File-Path', p.source], ...status,
        ])];
      }
      if (p.conference) {
        return [maintenance(fn, [...conferenceHeaders(p.conference, ctx.hostname), ['File', p.source]], stop ? 'play-file-done' : 'play-file')];
      }
      return [];
    }
    case 'record.started':
    case 'record.stopped': {
      const p = event.payload;
      const stop = event.name === 'record.stopped';
      if (p.channel) {
        return [draft(stop ? 'RECORD_STOP' : 'RECORD_START', fn, [...channelHeaders(p.channel, { extended: true }), ['Record-File-Path', p.sink]])];
      }
      if (p.conference) {
        return [maintenance(fn, [...conferenceHeaders(p.conference, ctx.hostname), ['Path', p.sink]], stop ? 'stop-recording' : 'start-recording')];
      }
      return [];
    }
    case 'registration.added': {
      const r = event.payload.registration;
      const secs = Math.max(0, Math.round((r.expiresAt - ctx.now) / 1000));
      return [draft('CUSTOM', fn, nonEmpty([
        ['profile-name', 'internal'], ['from-user', r.user], ['from-host', r.domain], ['presence-hosts', r.domain],
        ['contact', `"${r.user}" <${r.contact}>`], ['call-id', r.callId], ['rpid', 'unknown'],
        ['status', `Registered(${r.transport.toUpperCase()})`], ['expires', String(secs)], ['to-user', r.user], ['to-host', r.domain],
        ['network-ip', r.networkIp], ['network-port', String(r.networkPort)], ['username', r.user], ['realm', r.domain],
        ['user-agent', r.userAgent ?? ''],
      ]), { subclass: 'sofia::register' })];
    }
    case 'registration.removed': {
      const { registration: r, reason } = event.payload;
      return [draft('CUSTOM', fn, nonEmpty([
        ['profile-name', 'internal'], ['from-user', r.user], ['from-host', r.domain], ['contact', `"${r.user}" <${r.contact}>`],
        ['call-id', r.callId], ['rpid', 'unknown'], ['expires', '0'], ['network-ip', r.networkIp],
        ['network-port', String(r.networkPort)], ['user-agent', r.userAgent ?? ''],
      ]), { subclass: reason === 'expired' ? 'sofia::expire' : 'sofia::unregister' })];
    }
    default:
      return [];
  }
}
