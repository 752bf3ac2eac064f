/**
 * The switch-wide event bus: typed events about channels, bridges, conferences, playbacks, recordings
 * and CDRs. The event socket, the admin console, metrics and CDR writers subscribe here; FreeSWITCH event
 * names (CHANNEL_CREATE, CHANNEL_ANSWER, CUSTOM conference::maintenance ...) are mapped from these in
 * api/esl only. Payloads are snapshots (plain data, safe to keep) carrying what those events need:
 * ids, direction, state, caller id, destination, variables and timestamps.
 *
 * A listener that throws, or returns a promise that rejects, is logged and ignored: a faulty subscriber
 * never breaks a call.
 */
import { TypedEmitter, type Logger } from '../lib/index.ts';
import type { CdrRecord } from '../store/index.ts';
import type { ChannelDirection, ChannelState } from './channel-state.ts';
import type { PlaybackOutcome, PlaySource, RecordOutcome, RecordSink } from './channel-media.ts';
import type { DtmfSource } from './dtmf-source.ts';
import type { HangupCause } from './hangup-cause.ts';

export interface Party {
  number: string;
  name: string;
  uri?: string;
}

/** Epoch milliseconds of a leg's milestones (FreeSWITCH Caller-Channel-*-Time, in ms). */
export interface ChannelTimes {
  created: number;
  /** First ringing (180). */
  progress?: number;
  /** First early media (183 with SDP). */
  progressMedia?: number;
  answered?: number;
  /** Last time the leg was bridged. */
  bridged?: number;
  hangup?: number;
  destroyed?: number;
}

export interface ChannelSnapshot {
  uuid: string;
  /** e.g. `sip/1000@10.0.0.5` (FreeSWITCH Channel-Name). */
  name: string;
  /** Endpoint that carries the leg (`sip`, `webrtc`). */
  endpoint: string;
  direction: ChannelDirection;
  state: ChannelState;
  caller: Party;
  callee: Party;
  destination: string;
  /** Authenticated user the leg belongs to (FreeSWITCH Caller-Username). */
  user?: string;
  /** The leg that created this one (originate from a call, a dial B-leg). */
  parentUuid?: string;
  variables: Readonly<Record<string, string>>;
  times: Readonly<ChannelTimes>;
  hangupCause?: HangupCause;
  sipStatus?: number;
  hangupBy?: 'local' | 'remote';
  held: boolean;
  bridgedTo?: string;
  conference?: string;
}

export interface BridgeSnapshot {
  id: string;
  a: string;
  b: string;
  createdAt: number;
  mode?: 'relay' | 'transcode';
}

export interface ConferenceSnapshot {
  id: string;
  name: string;
  createdAt: number;
  size: number;
  locked: boolean;
  maxParticipants?: number;
}

export interface MemberSnapshot {
  /** Member id, unique within the switch's lifetime (FreeSWITCH Member-ID). */
  id: number;
  uuid: string;
  joinedAt: number;
  mute: boolean;
  deaf: boolean;
  hold: boolean;
  talking: boolean;
  moderator: boolean;
  endConferenceOnExit: boolean;
  /** Volume levels -4..4 (conference volume_in / volume_out). */
  volumeIn: number;
  volumeOut: number;
  tag?: string;
}

/** A SIP registration (contact binding) as the registrar reports it; core only relays it. */
export interface RegistrationSnapshot {
  /** The registered user and its domain (`1000`, `pbx.example`). */
  user: string;
  domain: string;
  aor: string;
  /** The Contact URI. */
  contact: string;
  /** Epoch milliseconds when the binding expires. */
  expiresAt: number;
  callId: string;
  networkIp: string;
  networkPort: number;
  /** `udp`, `tcp`, `tls`, `ws`, `wss`. */
  transport: string;
  userAgent?: string;
}

export type RegistrationEndReason = 'unregistered' | 'expired' | 'evicted' | 'admin';

export type BridgeEndReason = 'hangup' | 'unbridge' | 'replaced' | 'shutdown';
export type MemberLeaveReason = 'leave' | 'kick' | 'hangup' | 'ended' | 'moved' | 'shutdown';
export type ConferenceEndReason = 'empty' | 'ended' | 'shutdown';
export type MemberChange = 'mute' | 'deaf' | 'hold' | 'talking' | 'volume' | 'tag';

export type SwitchEvents = {
  'channel.created': { channel: ChannelSnapshot };
  'channel.state': { channel: ChannelSnapshot; from: ChannelState; to: ChannelState };
  'channel.ringing': { channel: ChannelSnapshot };
  'channel.progress': { channel: ChannelSnapshot; earlyMedia: boolean };
  'channel.answered': { channel: ChannelSnapshot };
  'channel.dtmf': { channel: ChannelSnapshot; digit: string; durationMs: number; source: DtmfSource };
  'channel.hold': { channel: ChannelSnapshot; held: boolean; by: 'local' | 'remote' };
  'channel.hangup': { channel: ChannelSnapshot; cause: HangupCause; q850: number; sipStatus?: number; by: 'local' | 'remote' };
  'channel.destroyed': { channel: ChannelSnapshot };
  'channel.variable': { channel: ChannelSnapshot; name: string; value: string | undefined; previous: string | undefined };
  'bridge.created': { bridge: BridgeSnapshot; a: ChannelSnapshot; b: ChannelSnapshot };
  'bridge.destroyed': { bridge: BridgeSnapshot; reason: BridgeEndReason; cause?: HangupCause; endedBy?: string };
  'conference.created': { conference: ConferenceSnapshot };
  'conference.memberJoined': { conference: ConferenceSnapshot; member: MemberSnapshot; channel: ChannelSnapshot };
  'conference.memberLeft': { conference: ConferenceSnapshot; member: MemberSnapshot; channel: ChannelSnapshot; reason: MemberLeaveReason };
  'conference.memberUpdated': { conference: ConferenceSnapshot; member: MemberSnapshot; change: MemberChange };
  'conference.destroyed': { conference: ConferenceSnapshot; reason: ConferenceEndReason };
  'playback.started': { id: string; source: PlaySource; channel?: ChannelSnapshot; conference?: ConferenceSnapshot };
  'playback.stopped': { id: string; source: PlaySource; channel?: ChannelSnapshot; conference?: ConferenceSnapshot; outcome: PlaybackOutcome };
  'record.started': { id: string; sink: RecordSink; channel?: ChannelSnapshot; conference?: ConferenceSnapshot };
  'record.stopped': { id: string; sink: RecordSink; channel?: ChannelSnapshot; conference?: ConferenceSnapshot; outcome: RecordOutcome };
  cdr: { cdr: CdrRecord };
  /** A binding was added or refreshed (FreeSWITCH sofia::register). */
  'registration.added': { registration: RegistrationSnapshot; refreshed: boolean };
  /** A binding went away (sofia::unregister / sofia::expire). */
  'registration.removed': { registration: RegistrationSnapshot; reason: RegistrationEndReason };
};

export type SwitchEventName = keyof SwitchEvents;

/** Any event, as a tagged union (for subscribers that take everything, like an event socket with ALL). */
export type SwitchEvent = { [K in SwitchEventName]: { name: K; payload: SwitchEvents[K] } }[SwitchEventName];

export type BusListener<K extends SwitchEventName> = (payload: SwitchEvents[K]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export class EventBus {
  readonly #log: Logger;
  readonly #emitter: TypedEmitter<SwitchEvents>;
  readonly #any = new Set<(event: SwitchEvent) => void>();
  // listener -> event -> guarded wrapper, so off() finds what on() registered.
  readonly #wrappers = new WeakMap<object, Map<SwitchEventName, (payload: never) => void>>();

  constructor(log: Logger) {
    this.#log = log;
    this.#emitter = new TypedEmitter<SwitchEvents>((err, event) => this.#failed(err, String(event)));
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends SwitchEventName>(event: K, listener: BusListener<K>): () => void {
    const wrapped = (payload: SwitchEvents[K]): void => {
      const result = listener(payload);
      if (isThenable(result)) result.then(undefined, (err: unknown) => this.#failed(err, event));
    };
    let byEvent = this.#wrappers.get(listener);
    if (!byEvent) {
      byEvent = new Map();
      this.#wrappers.set(listener, byEvent);
    }
    byEvent.set(event, wrapped as (payload: never) => void);
    this.#emitter.on(event, wrapped);
    const map = byEvent;
    return () => {
      this.#emitter.off(event, wrapped);
      if (map.get(event) === wrapped) map.delete(event);
    };
  }

  once<K extends SwitchEventName>(event: K, listener: BusListener<K>): () => void {
    const off = this.on(event, (payload) => {
      off();
      return listener(payload);
    });
    return off;
  }

  off<K extends SwitchEventName>(event: K, listener: BusListener<K>): void {
    const byEvent = this.#wrappers.get(listener);
    const wrapped = byEvent?.get(event);
    if (!byEvent || !wrapped) return;
    byEvent.delete(event);
    this.#emitter.off(event, wrapped as (payload: SwitchEvents[K]) => void);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: (event: SwitchEvent) => unknown): () => void {
    const wrapped = (event: SwitchEvent): void => {
      const result = listener(event);
      if (isThenable(result)) result.then(undefined, (err: unknown) => this.#failed(err, event.name));
    };
    this.#any.add(wrapped);
    return () => {
      this.#any.delete(wrapped);
    };
  }

  emit<K extends SwitchEventName>(event: K, payload: SwitchEvents[K]): void {
    this.#emitter.emit(event, payload);
    if (this.#any.size === 0) return;
    const tagged = { name: event, payload } as SwitchEvent;
    for (const listener of [...this.#any]) {
      try {
        listener(tagged);
      } catch (err) {
        this.#failed(err, event);
      }
    }
  }

  listenerCount(event: SwitchEventName): number {
    return this.#emitter.listenerCount(event) + this.#any.size;
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
    this.#any.clear();
  }

  #failed(err: unknown, event: string): void {
    this.#log.warn({ err, event }, 'event listener failed');
  }
}
