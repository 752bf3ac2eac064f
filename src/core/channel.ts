/**
 * A Channel is one call leg, as FreeSWITCH models a session's channel (switch_channel.c): a uuid, a
 * direction, caller and callee ids, the destination, channel variables, milestone times, a hangup cause
 * (Q.850 names) and the state machine of channel-state.ts. Signalling goes through the endpoint's
 * ChannelDriver, audio through ChannelMedia; the endpoint reports what the far end does with the
 * remote*() methods and dtmf().
 *
 * Operations return results (`{ ok: false, error }` when the leg is gone, has no media, or the driver
 * refused); hangup() is idempotent and always ends in `destroyed`, whatever the driver or media do.
 */
import { TypedEmitter, uuid as newUuid, type Clock, type Logger } from '../lib/index.ts';
import { callDriver, type AnswerOptions, type ChannelDriver, type DriverResult, type InfoMessage, type InDialogRequest, type RemoteTransfer, type RingOptions, type TransferOptions } from './channel-driver.ts';
import { waitAtMost } from './bounded-wait.ts';
import type { ChannelMedia, ChannelMediaStats, MediaDtmf, MediaPath, PlaySource, RecordSink, SendDtmfOptions } from './channel-media.ts';
import { ChannelMediaPort, type PlayOptions, type RecordOptions } from './channel-media-port.ts';
import { assertTransition, canTransition, isEnded, type ChannelDirection, type ChannelState } from './channel-state.ts';
import { OK, fail, type OpResult } from './core-error.ts';
import { isDtmfDigit, type DtmfSource } from './dtmf-source.ts';
import type { ChannelSnapshot, ChannelTimes, EventBus, Party } from './event-bus.ts';
import { causeToQ850, causeToSipStatus, type HangupCause } from './hangup-cause.ts';
import type { Playback, Recording } from './media-tracking.ts';

export interface ChannelInit {
  /** Forced uuid (FreeSWITCH origination_uuid); generated when absent. */
  uuid?: string;
  direction: ChannelDirection;
  /** Endpoint name (`sip`, `webrtc`). */
  endpoint: string;
  /** Channel name, e.g. `sip/1000@10.0.0.5` (default `<endpoint>/<destination>`). */
  name?: string;
  caller?: Partial<Party>;
  callee?: Partial<Party>;
  destination?: string;
  user?: string;
  parentUuid?: string;
  variables?: Readonly<Record<string, string>>;
  driver: ChannelDriver;
  media?: ChannelMedia;
}

/** What the switch gives every channel. */
export interface ChannelContext {
  bus: EventBus;
  log: Logger;
  clock: Clock;
  /** Epoch milliseconds on the switch's clock. */
  now(): number;
  /** How long hangup waits for the driver before destroying anyway. */
  hangupTimeoutMs: number;
}

export interface HangupOptions {
  /** SIP status to send instead of the cause's own (local) or the one received (remote). */
  sipStatus?: number;
  reason?: string;
  headers?: Readonly<Record<string, string>>;
}

export type ChannelEvents = {
  state: { from: ChannelState; to: ChannelState };
  ringing: Record<string, never>;
  progress: { earlyMedia: boolean };
  answered: Record<string, never>;
  dtmf: MediaDtmf;
  hold: { held: boolean; by: 'local' | 'remote' };
  /** An in-dialog request from the far end (INFO other than DTMF, MESSAGE, NOTIFY); already answered. */
  request: InDialogRequest;
  /** A transfer the far end asks for (REFER): a listener takes it and answers it (RemoteTransfer). */
  refer: RemoteTransfer;
  hangup: { cause: HangupCause; sipStatus?: number; by: 'local' | 'remote' };
  destroyed: Record<string, never>;
};

const EMPTY = Object.freeze({}) as Record<string, never>;

function party(p: Partial<Party> | undefined): Party {
  const out: Party = { number: p?.number ?? '', name: p?.name ?? '' };
  if (p?.uri !== undefined) out.uri = p.uri;
  return out;
}

export class Channel {
  readonly uuid: string;
  readonly direction: ChannelDirection;
  readonly endpoint: string;
  readonly user: string | undefined;
  readonly parentUuid: string | undefined;
  /** Local events of this leg (for its owner: bridges, conferences, the application). */
  readonly events: TypedEmitter<ChannelEvents>;
  readonly log: Logger;

  readonly #ctx: ChannelContext;
  readonly #driver: ChannelDriver;
  #name: string;
  #caller: Party;
  #callee: Party;
  #destination: string;
  #state: ChannelState = 'new';
  #variables = new Map<string, string>();
  #times: ChannelTimes;
  #cause: HangupCause | undefined;
  #sipStatus: number | undefined;
  #hangupBy: 'local' | 'remote' | undefined;
  #held = false;
  #bridgedTo: string | undefined;
  #lastBridgedTo: string | undefined;
  #conference: string | undefined;
  #lastConference: string | undefined;
  readonly #port: ChannelMediaPort;
  #ending: Promise<void> | undefined;
  #pending = new Map<string, Promise<OpResult>>();

  constructor(init: ChannelInit, ctx: ChannelContext) {
    this.uuid = init.uuid ?? newUuid();
    this.direction = init.direction;
    this.endpoint = init.endpoint;
    this.user = init.user;
    this.parentUuid = init.parentUuid;
    this.#ctx = ctx;
    this.#driver = init.driver;
    this.#caller = party(init.caller);
    this.#callee = party(init.callee);
    this.#destination = init.destination ?? '';
    this.#name = init.name ?? `${init.endpoint}/${this.#destination || this.uuid}`;
    this.#times = { created: ctx.now() };
    this.log = ctx.log.child({ channelId: this.uuid });
    this.events = new TypedEmitter<ChannelEvents>((err, event) => this.log.warn({ err, event }, 'channel listener failed'));
    for (const [k, v] of Object.entries(init.variables ?? {})) if (v !== '') this.#variables.set(k, v);
    this.#port = new ChannelMediaPort({
      uuid: this.uuid,
      log: this.log,
      bus: ctx.bus,
      isEnded: () => this.ended,
      snapshot: () => this.snapshot(),
      mediaDtmf: (d) => this.dtmf(d.digit, d.durationMs, d.source),
      onDigit: (listener) => this.on('dtmf', (d) => listener(d.digit)),
    });
    if (init.media) this.attachMedia(init.media);
  }

  get name(): string { return this.#name; }
  get state(): ChannelState { return this.#state; }
  get ended(): boolean { return isEnded(this.#state); }
  get answered(): boolean { return this.#times.answered !== undefined; }
  get caller(): Readonly<Party> { return this.#caller; }
  get callee(): Readonly<Party> { return this.#callee; }
  get destination(): string { return this.#destination; }
  get times(): Readonly<ChannelTimes> { return this.#times; }
  get hangupCause(): HangupCause | undefined { return this.#cause; }
  get sipStatus(): number | undefined { return this.#sipStatus; }
  get hangupBy(): 'local' | 'remote' | undefined { return this.#hangupBy; }
  get held(): boolean { return this.#held; }
  get bridgedTo(): string | undefined { return this.#bridgedTo; }
  get lastBridgedTo(): string | undefined { return this.#lastBridgedTo; }
  get conference(): string | undefined { return this.#conference; }
  get lastConference(): string | undefined { return this.#lastConference; }
  get media(): ChannelMedia | undefined { return this.#port.media; }
  /** Whether the leg's audio flows through the server or directly between the bridged parties. */
  get mediaPath(): MediaPath { return this.#port.bypassed ? 'bypassed' : 'anchored'; }
  /** Media counters read when the leg was destroyed. */
  get finalMediaStats(): ChannelMediaStats | undefined { return this.#port.finalStats; }
  get variables(): ReadonlyMap<string, string> { return this.#variables; }

  on<K extends keyof ChannelEvents>(event: K, listener: (payload: ChannelEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  snapshot(): ChannelSnapshot {
    const s: ChannelSnapshot = {
      uuid: this.uuid, name: this.#name, endpoint: this.endpoint, direction: this.direction, state: this.#state,
      caller: { ...this.#caller }, callee: { ...this.#callee }, destination: this.#destination,
      variables: Object.fromEntries(this.#variables), times: { ...this.#times }, held: this.#held,
    };
    if (this.user !== undefined) s.user = this.user;
    if (this.parentUuid !== undefined) s.parentUuid = this.parentUuid;
    if (this.#cause !== undefined) s.hangupCause = this.#cause;
    if (this.#sipStatus !== undefined) s.sipStatus = this.#sipStatus;
    if (this.#hangupBy !== undefined) s.hangupBy = this.#hangupBy;
    if (this.#bridgedTo !== undefined) s.bridgedTo = this.#bridgedTo;
    if (this.#conference !== undefined) s.conference = this.#conference;
    return s;
  }

  // ---- identity and variables ----

  setName(name: string): void { this.#name = name; }
  setCallee(callee: Partial<Party>): void { this.#callee = party({ ...this.#callee, ...callee }); }
  setDestination(destination: string): void { this.#destination = destination; }

  getVariable(name: string): string | undefined { return this.#variables.get(name); }

  /** Sets a channel variable; undefined or '' unsets it (as FreeSWITCH's `set` does). */
  setVariable(name: string, value: string | undefined): void {
    const previous = this.#variables.get(name);
    if (value === undefined || value === '') this.#variables.delete(name);
    else this.#variables.set(name, value);
    const now = this.#variables.get(name);
    if (now === previous || this.#state === 'destroyed') return;
    this.#ctx.bus.emit('channel.variable', { channel: this.snapshot(), name, value: now, previous });
  }

  setVariables(values: Readonly<Record<string, string | undefined>>): void {
    for (const [k, v] of Object.entries(values)) this.setVariable(k, v);
  }

  // ---- media ----

  /** Gives the leg its media (replacing and closing any previous one; a bypassed leg is anchored again). */
  attachMedia(media: ChannelMedia): void { this.#port.attach(media); }

  /**
   * The leg's media now flows between the parties (media bypass): its media is released (counters kept
   * for the CDR) and media operations fail with CORE_MEDIA_BYPASSED until attachMedia().
   */
  enterMediaBypass(): void {
    if (!this.ended) this.#port.bypass();
  }

  /**
   * Asks the endpoint to take this leg's and `peer`'s media out of the server (`bypass`) or back in
   * (`anchor`, the endpoint attaches fresh media; without a peer only this leg). The bridge of the two
   * legs calls this (Bridge.setMediaPath) and updates both channels.
   */
  async requestMediaPath(mode: 'bypass' | 'anchor', peer?: Channel): Promise<OpResult> {
    const change = this.#driver.mediaPath?.bind(this.#driver);
    if (!change || (peer && peer.endpoint !== this.endpoint)) {
      return fail('CORE_NOT_SUPPORTED', `media bypass of ${this.endpoint} legs${peer ? ` with ${peer.endpoint} legs` : ''} is not possible`);
    }
    if (this.#state !== 'answered') return this.#notNow('mediaPath');
    if (peer && peer.#state !== 'answered') return peer.#notNow('mediaPath');
    if (mode === 'bypass' && !peer) return fail('CORE_CHANNEL_STATE', 'media bypass needs the bridged leg');
    const request = peer ? { mode, peer: peer.#driver } : { mode };
    return this.#drive('mediaPath', () => change(request));
  }

  /** Plays to the far end; the returned playback's `done` never rejects (no media: `failed`). */
  play(source: PlaySource, options: PlayOptions = {}): Playback { return this.#port.play(source, options); }

  /** Stops every playback on the leg (FreeSWITCH uuid_break). */
  stopPlayback(): OpResult { return this.#port.control('stopPlayback', (m) => m.stopPlayback()); }

  record(sink: RecordSink, options: RecordOptions = {}): Recording { return this.#port.record(sink, options); }

  sendDtmf(digits: string, options: SendDtmfOptions = {}): Promise<OpResult> { return this.#port.sendDtmf(digits, options); }

  echo(on: boolean): OpResult { return this.#port.control('echo', (m) => m.echo(on)); }

  // ---- signalling driven by applications ----

  /** Tells an inbound caller it rings (180). No-op once ringing, early or answered. */
  ringing(options: RingOptions = {}): Promise<OpResult> {
    return this.#local('ringing', ['ringing', 'early', 'answered'], () => this.#driver.ring(options), () => this.#ringing());
  }

  /** Early media for an inbound caller (183 with SDP). No-op once early or answered. */
  preAnswer(options: RingOptions = {}): Promise<OpResult> {
    return this.#local('preAnswer', ['early', 'answered'], () => this.#driver.progress({ ...options, earlyMedia: true }),
      () => this.#progress(true));
  }

  /** Answers an inbound call (200). No-op once answered. */
  answer(options: AnswerOptions = {}): Promise<OpResult> {
    return this.#local('answer', ['answered'], () => this.#driver.answer(options), () => this.#answered());
  }

  /** Ends the leg from this side; idempotent, resolves when the channel is destroyed. */
  hangup(cause: HangupCause = 'NORMAL_CLEARING', options: HangupOptions = {}): Promise<void> {
    return this.#end(cause, 'local', options);
  }

  async hold(on: boolean): Promise<OpResult> {
    const hold = this.#driver.hold?.bind(this.#driver);
    if (!hold) return fail('CORE_NOT_SUPPORTED', `endpoint ${this.endpoint} cannot hold`);
    if (this.#state !== 'answered') return this.#notNow('hold');
    const r = await this.#drive('hold', () => hold(on));
    if (r.ok && !this.ended) this.#setHeld(on, 'local');
    return r;
  }

  async transfer(target: string, options?: TransferOptions): Promise<OpResult> {
    const transfer = this.#driver.transfer?.bind(this.#driver);
    if (!transfer) return fail('CORE_NOT_SUPPORTED', `endpoint ${this.endpoint} cannot transfer`);
    if (this.ended) return this.#notNow('transfer');
    return this.#drive('transfer', () => transfer(target, options));
  }

  async sendInfo(message: InfoMessage): Promise<OpResult> {
    const send = this.#driver.sendInfo?.bind(this.#driver);
    if (!send) return fail('CORE_NOT_SUPPORTED', `endpoint ${this.endpoint} cannot send INFO`);
    if (this.ended) return this.#notNow('sendInfo');
    return this.#drive('sendInfo', () => send(message));
  }

  /** An inbound leg starts looking for its application (new -> routing); the switch calls this. */
  enterRouting(): void {
    if (this.#state === 'new') this.#transition('routing');
  }

  // ---- far-end events reported by the endpoint ----

  remoteRinging(): void {
    if (canTransition(this.#state, 'ringing')) this.#ringing();
  }

  /** 183: with early media, or (earlyMedia false) just progress, which counts as ringing. */
  remoteProgress(options: { earlyMedia: boolean } = { earlyMedia: true }): void {
    if (!options.earlyMedia) return this.remoteRinging();
    if (canTransition(this.#state, 'early')) this.#progress(true);
  }

  remoteAnswered(): void {
    if (canTransition(this.#state, 'answered')) this.#answered();
  }

  remoteHangup(cause: HangupCause, options: HangupOptions = {}): Promise<void> {
    return this.#end(cause, 'remote', options);
  }

  remoteHold(on: boolean): void {
    if (!this.ended && this.#held !== on) this.#setHeld(on, 'remote');
  }

  /** An in-dialog request from the far end, for the leg's owner (the jambonz sipRequestWithinDialogHook). */
  remoteRequest(request: InDialogRequest): void {
    if (!this.ended) this.events.emit('request', request);
  }

  /** A transfer request from the far end; true when a listener took it (the endpoint refuses it otherwise). */
  remoteRefer(transfer: RemoteTransfer): boolean {
    if (this.ended) return false;
    let taken = false;
    const once: RemoteTransfer = {
      referTo: transfer.referTo, referToUser: transfer.referToUser, headers: transfer.headers,
      ...(transfer.referredBy !== undefined ? { referredBy: transfer.referredBy } : {}),
      ...(transfer.referredByUser !== undefined ? { referredByUser: transfer.referredByUser } : {}),
      take: () => {
        if (taken) return false;
        taken = true;
        return transfer.take();
      },
      accept: () => transfer.accept(),
      reject: (status) => transfer.reject(status),
      notify: (status, reason) => transfer.notify(status, reason),
    };
    this.events.emit('refer', once);
    return taken;
  }

  /** A digit received from the far end (RFC 4733, in-band, SIP INFO). Invalid digits are ignored. */
  dtmf(digit: string, durationMs: number, source: DtmfSource): void {
    if (this.ended || !isDtmfDigit(digit)) return;
    const d = digit.toUpperCase();
    this.events.emit('dtmf', { digit: d, durationMs, source });
    this.#ctx.bus.emit('channel.dtmf', { channel: this.snapshot(), digit: d, durationMs, source });
  }

  // ---- links kept by bridges and conferences ----

  /** Records the leg this one is bridged to (undefined when unbridged). */
  setBridgedTo(other: string | undefined): void {
    this.#bridgedTo = other;
    if (other !== undefined) {
      this.#lastBridgedTo = other;
      this.#times.bridged = this.#ctx.now();
    }
  }

  /** Records the conference this leg is in (undefined when it left). */
  setConference(name: string | undefined): void {
    this.#conference = name;
    if (name !== undefined) this.#lastConference = name;
  }

  // ---- internals ----

  #transition(to: ChannelState): void {
    const from = this.#state;
    assertTransition(from, to, this.uuid);
    this.#state = to;
    this.events.emit('state', { from, to });
    this.#ctx.bus.emit('channel.state', { channel: this.snapshot(), from, to });
  }

  #ringing(): void {
    this.#transition('ringing');
    this.#times.progress ??= this.#ctx.now();
    this.events.emit('ringing', EMPTY);
    this.#ctx.bus.emit('channel.ringing', { channel: this.snapshot() });
  }

  #progress(earlyMedia: boolean): void {
    this.#transition('early');
    this.#times.progressMedia ??= this.#ctx.now();
    this.events.emit('progress', { earlyMedia });
    this.#ctx.bus.emit('channel.progress', { channel: this.snapshot(), earlyMedia });
  }

  #answered(): void {
    this.#transition('answered');
    this.#times.answered = this.#ctx.now();
    this.events.emit('answered', EMPTY);
    this.#ctx.bus.emit('channel.answered', { channel: this.snapshot() });
  }

  #setHeld(held: boolean, by: 'local' | 'remote'): void {
    this.#held = held;
    this.events.emit('hold', { held, by });
    this.#ctx.bus.emit('channel.hold', { channel: this.snapshot(), held, by });
  }

  /** An inbound-only signalling step: skipped when already in one of `done`, else driver then transition. */
  #local(op: string, done: ChannelState[], call: () => Promise<DriverResult>, apply: () => void): Promise<OpResult> {
    if (this.direction !== 'inbound') return Promise.resolve(fail('CORE_CHANNEL_STATE', `${op} applies to inbound legs only`));
    if (this.ended) return Promise.resolve(this.#notNow(op));
    if (done.includes(this.#state)) return Promise.resolve(OK);
    const pending = this.#pending.get(op);
    if (pending) return pending;
    const run = (async (): Promise<OpResult> => {
      const r = await this.#drive(op, call);
      if (!r.ok) return r;
      if (this.ended) return this.#notNow(op);
      const target = done[0]!;
      if (canTransition(this.#state, target)) apply();
      return OK;
    })().finally(() => this.#pending.delete(op));
    this.#pending.set(op, run);
    return run;
  }

  #drive(op: string, call: () => Promise<DriverResult>): Promise<OpResult> {
    return callDriver(op, call, this.log);
  }

  #notNow(op: string): OpResult {
    if (this.ended) return fail('CORE_CHANNEL_GONE', `${op}: channel ${this.uuid} hung up`);
    return fail('CORE_CHANNEL_STATE', `${op}: not possible in state ${this.#state}`);
  }

  #end(cause: HangupCause, by: 'local' | 'remote', options: HangupOptions): Promise<void> {
    this.#ending ??= this.#terminate(cause, by, options);
    return this.#ending;
  }

  async #terminate(cause: HangupCause, by: 'local' | 'remote', options: HangupOptions): Promise<void> {
    const answered = this.answered;
    this.#cause = cause;
    this.#hangupBy = by;
    this.#sipStatus = options.sipStatus ?? (by === 'local' && !answered ? causeToSipStatus(cause) : undefined);
    this.#times.hangup = this.#ctx.now();
    this.#port.stopAll('hangup');
    this.#transition('hangup');
    const q850 = causeToQ850(cause);
    const sipStatus = this.#sipStatus;
    this.events.emit('hangup', sipStatus === undefined ? { cause, by } : { cause, by, sipStatus });
    this.#ctx.bus.emit('channel.hangup', { channel: this.snapshot(), cause, q850, by, ...(sipStatus === undefined ? {} : { sipStatus }) });
    if (by === 'local') {
      const opts = { sipStatus: sipStatus ?? causeToSipStatus(cause), q850, answered, reason: options.reason, headers: options.headers };
      const inTime = await waitAtMost(this.#ctx.clock, this.#ctx.hangupTimeoutMs, () => this.#driver.hangup(cause, opts),
        (err) => this.log.warn({ err }, 'driver hangup failed'));
      if (!inTime) this.log.warn('driver hangup timed out');
    }
    await this.#port.settleFinal((work) => waitAtMost(this.#ctx.clock, this.#ctx.hangupTimeoutMs, work,
      (err) => this.log.warn({ err }, 'final media statistics failed')));
    this.#destroy();
  }

  #destroy(): void {
    this.#port.release(true);
    this.#safe('driver.close', () => this.#driver.close?.());
    this.#transition('destroyed');
    this.#times.destroyed = this.#ctx.now();
    this.#ctx.bus.emit('channel.destroyed', { channel: this.snapshot() });
    this.events.emit('destroyed', EMPTY);
    this.events.removeAllListeners();
  }

  #safe(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.warn({ err, what }, 'cleanup step failed');
    }
  }
}
