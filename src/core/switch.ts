/**
 * The Switch owns the call registries (channels, bridges, conferences, outbound attempts), the event
 * bus, routing, admission control and CDR writing; endpoints and APIs are registered with it by the
 * composition root. Its shape follows what FreeSWITCH's core offers the event socket (originate,
 * uuid_bridge, conference, max-sessions / sessions-per-second, hupall on shutdown) and what jambonz's
 * call sessions need (dial, conference, call status).
 *
 * close() ends every attempt, conference and bridge, hangs up every channel with SYSTEM_SHUTDOWN, waits
 * for their CDRs to be stored and leaves every registry empty. Idempotent.
 */
import { silentLogger, systemClock, uuid as newUuid, type Clock, type Logger } from '../lib/index.ts';
import type { CdrStore } from '../store/index.ts';
import { AdmissionControl, type AdmissionDirection, type AdmissionOptions, type AdmissionResult } from './admission.ts';
import { waitAtMost } from './bounded-wait.ts';
import { Bridge, type BridgeOptions } from './bridge.ts';
import { CdrWriter } from './cdr.ts';
import type { ConferenceMedia, ConferenceMediaFactory, ConferenceMediaOptions, MediaLink } from './channel-media.ts';
import { Channel, type ChannelInit } from './channel.ts';
import { Conference, type ConferenceOptions, type JoinResult } from './conference.ts';
import type { MemberOptions } from './conference-member.ts';
import { CoreError, OK, fail, type OpResult } from './core-error.ts';
import type { Endpoint } from './endpoint.ts';
import { EventBus } from './event-bus.ts';
import type { HangupCause } from './hangup-cause.ts';
import { OriginateAttempt, type OriginateOptions, type OriginateResult } from './originate.ts';
import { QueueRegistry } from './queue-registry.ts';
import { Router } from './routing.ts';

export interface SwitchOptions {
  clock?: Clock;
  log?: Logger;
  /** Wall-clock epoch ms at start (timestamps are this plus elapsed clock time; default Date.now()). */
  startEpochMs?: number;
  cdrStore?: CdrStore;
  /** Creates a conference room's media; without it conferences cannot be joined. */
  conferenceMedia?: ConferenceMediaFactory;
  conferenceMediaOptions?: ConferenceMediaOptions;
  admission?: AdmissionOptions;
  /** Default originate timeout (60 s). */
  originateTimeoutMs?: number;
  /** How long a hangup waits for the endpoint (5 s), and shutdown for everything (10 s). */
  hangupTimeoutMs?: number;
  shutdownTimeoutMs?: number;
  /** Cause used when a route handler throws (default NORMAL_TEMPORARY_FAILURE). */
  appFailureCause?: HangupCause;
}

export interface SwitchCounts {
  channels: number;
  bridges: number;
  conferences: number;
  originates: number;
}

export interface SwitchStats {
  activeSessions: number;
  sessionsSinceStartup: number;
  peakSessions: number;
}

export type BridgeResult = { ok: true; bridge: Bridge } | { ok: false; error: CoreError };
export type RouteOutcome = { ok: true; rule: string } | { ok: false; cause: HangupCause; error?: CoreError };
export interface JoinOptions extends MemberOptions, ConferenceOptions {}

export class Switch {
  readonly bus: EventBus;
  readonly router = new Router();
  readonly clock: Clock;
  readonly log: Logger;
  readonly admission: AdmissionControl;
  /** Call queues (jambonz enqueue / dequeue). */
  readonly queues: QueueRegistry;
  readonly #options: SwitchOptions;
  readonly #startEpoch: number;
  readonly #startClock: number;
  readonly #cdr: CdrWriter;
  readonly #endpoints: { endpoint: Endpoint; schemes: string[] }[] = [];
  readonly #channels = new Map<string, Channel>();
  readonly #bridges = new Map<string, Bridge>();
  readonly #bridgeByLeg = new Map<string, Bridge>();
  readonly #conferences = new Map<string, Conference>();
  readonly #attempts = new Set<OriginateAttempt>();
  #memberSeq = 0;
  #sessionsSinceStartup = 0;
  #peak = 0;
  #closing: Promise<void> | undefined;

  constructor(options: SwitchOptions = {}) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger();
    this.bus = new EventBus(this.log);
    this.admission = new AdmissionControl(this.clock, options.admission);
    this.#startEpoch = options.startEpochMs ?? Date.now();
    this.#startClock = this.clock.now();
    this.#cdr = new CdrWriter(this.bus, options.cdrStore, this.log);
    this.queues = new QueueRegistry(() => this.now());
  }

  get closed(): boolean { return this.#closing !== undefined; }

  /** Epoch milliseconds on the switch's clock. */
  now(): number { return this.#startEpoch + (this.clock.now() - this.#startClock); }

  /** Registers an endpoint for the target schemes it declares; returns the function that removes it. */
  addEndpoint(endpoint: Endpoint): () => void {
    const schemes = endpoint.schemes.map((s) => s.toLowerCase());
    if (!endpoint.name || schemes.length === 0 || schemes.some((s) => s === '')) {
      throw new CoreError('CORE_ENDPOINT_INVALID', `endpoint ${endpoint.name || '(unnamed)'} needs a name and target schemes`);
    }
    for (const e of this.#endpoints) {
      const taken = schemes.find((s) => e.schemes.includes(s));
      if (taken) throw new CoreError('CORE_ENDPOINT_INVALID', `scheme ${taken} is already served by ${e.endpoint.name}`);
    }
    const entry = { endpoint, schemes };
    this.#endpoints.push(entry);
    return () => {
      const i = this.#endpoints.indexOf(entry);
      if (i >= 0) this.#endpoints.splice(i, 1);
    };
  }

  /** The endpoint serving a target (longest matching scheme). */
  endpointFor(target: string): Endpoint | undefined {
    const t = target.toLowerCase();
    let best: { endpoint: Endpoint; length: number } | undefined;
    for (const e of this.#endpoints) {
      for (const s of e.schemes) if (t.startsWith(s) && s.length > (best?.length ?? 0)) best = { endpoint: e.endpoint, length: s.length };
    }
    return best?.endpoint;
  }

  /**
   * Whether a new session may start now; an endpoint answers a refusal with 503 and Retry-After.
   * Endpoints ask for inbound calls (the default); originate asks for outbound ones.
   */
  admit(direction: AdmissionDirection = 'inbound'): AdmissionResult {
    if (this.closed) return { ok: false, status: 503, retryAfter: 5, reason: 'closed' };
    return this.admission.admit(this.#channels.size, direction);
  }

  /** Creates and registers a channel (endpoints call this for inbound calls). */
  createChannel(init: ChannelInit): Channel {
    if (this.closed) throw new CoreError('CORE_SWITCH_CLOSED', 'the switch is closed');
    if (init.uuid !== undefined && this.#channels.has(init.uuid)) {
      throw new CoreError('CORE_DUPLICATE_UUID', `channel ${init.uuid} already exists`);
    }
    const channel = new Channel(init, {
      bus: this.bus, log: this.log, clock: this.clock, now: () => this.now(),
      hangupTimeoutMs: this.#options.hangupTimeoutMs ?? 5_000,
    });
    this.#channels.set(channel.uuid, channel);
    this.#sessionsSinceStartup++;
    this.#peak = Math.max(this.#peak, this.#channels.size);
    channel.on('destroyed', () => {
      this.#channels.delete(channel.uuid);
      this.#cdr.write(channel);
    });
    this.bus.emit('channel.created', { channel: channel.snapshot() });
    return channel;
  }

  /**
   * Hands an inbound channel to the application its destination routes to, and resolves when the
   * handler returns. No route: hung up with NO_ROUTE_DESTINATION. A throwing handler: hung up with
   * appFailureCause. Never rejects.
   */
  async route(channel: Channel, options: { destination?: string } = {}): Promise<RouteOutcome> {
    if (channel.ended) return { ok: false, cause: channel.hangupCause ?? 'NORMAL_CLEARING', error: new CoreError('CORE_CHANNEL_GONE', 'channel hung up') };
    if (options.destination !== undefined) channel.setDestination(options.destination);
    channel.enterRouting();
    const input = channel.user === undefined ? { destination: channel.destination } : { destination: channel.destination, user: channel.user };
    const match = this.router.match(input);
    if (!match) {
      channel.log.info({ destination: channel.destination }, 'no route');
      await channel.hangup('NO_ROUTE_DESTINATION');
      return { ok: false, cause: 'NO_ROUTE_DESTINATION' };
    }
    const log = channel.log.child({ route: match.rule.name });
    try {
      await match.handler(channel, { ...input, rule: match.rule, captures: match.captures, log });
      return { ok: true, rule: match.rule.name };
    } catch (err) {
      log.error({ err }, 'application failed');
      const cause = this.#options.appFailureCause ?? 'NORMAL_TEMPORARY_FAILURE';
      if (!channel.ended) await channel.hangup(cause);
      return { ok: false, cause, error: new CoreError('CORE_DRIVER_FAILED', 'the application failed', { cause: err }) };
    }
  }

  /** Places an outbound call; resolves with the answered channel or the failure cause. Never rejects. */
  async originate(target: string, options: OriginateOptions = {}): Promise<OriginateResult> {
    if (this.closed) return { ok: false, cause: 'SYSTEM_SHUTDOWN', error: new CoreError('CORE_SWITCH_CLOSED', 'the switch is closed') };
    const endpoint = this.endpointFor(target);
    if (!endpoint) {
      return { ok: false, cause: 'CHAN_NOT_IMPLEMENTED', error: new CoreError('CORE_NO_ENDPOINT', `no endpoint for ${target}`) };
    }
    const uuid = options.uuid ?? newUuid();
    if (this.#channels.has(uuid)) {
      return { ok: false, cause: 'NORMAL_TEMPORARY_FAILURE', error: new CoreError('CORE_DUPLICATE_UUID', `channel ${uuid} already exists`) };
    }
    const admitted = this.admit('outbound');
    if (!admitted.ok) return { ok: false, cause: 'SWITCH_CONGESTION', sipStatus: 503, reason: admitted.reason };
    const attempt = new OriginateAttempt(endpoint, target, uuid, options, {
      clock: this.clock, log: this.log, createChannel: (init) => this.createChannel(init),
    });
    this.#attempts.add(attempt);
    try {
      return await attempt.start(this.#options.originateTimeoutMs ?? 60_000).done;
    } finally {
      this.#attempts.delete(attempt);
    }
  }

  /** Joins two channels' media. A leg already bridged is unbridged first; one in a conference leaves it. */
  bridge(a: Channel, b: Channel, options: BridgeOptions = {}): BridgeResult {
    if (this.closed) return fail('CORE_SWITCH_CLOSED', 'the switch is closed');
    if (a === b || a.uuid === b.uuid) return fail('CORE_BRIDGE_INVALID', 'cannot bridge a channel with itself');
    for (const leg of [a, b]) {
      if (leg.ended) return fail('CORE_CHANNEL_GONE', `channel ${leg.uuid} hung up`);
      if (!leg.media) return fail('CORE_NO_MEDIA', `channel ${leg.uuid} has no media`);
    }
    for (const leg of [a, b]) this.#release(leg, 'replaced');
    let link: MediaLink;
    try {
      link = a.media!.bridge(b.media!);
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', 'bridging the media failed', err);
    }
    const bridge = new Bridge(a, b, link, options, {
      bus: this.bus, log: this.log, now: () => this.now(),
      onCreated: (br) => {
        this.#bridges.set(br.id, br);
        this.#bridgeByLeg.set(br.a.uuid, br);
        this.#bridgeByLeg.set(br.b.uuid, br);
      },
      onEnded: (br) => {
        this.#bridges.delete(br.id);
        if (this.#bridgeByLeg.get(br.a.uuid) === br) this.#bridgeByLeg.delete(br.a.uuid);
        if (this.#bridgeByLeg.get(br.b.uuid) === br) this.#bridgeByLeg.delete(br.b.uuid);
      },
    });
    return { ok: true, bridge };
  }

  /** Ends the bridge a channel is in, leaving both legs up. */
  unbridge(channel: Channel): OpResult {
    const bridge = this.#bridgeByLeg.get(channel.uuid);
    if (!bridge) return fail('CORE_CHANNEL_STATE', `channel ${channel.uuid} is not bridged`);
    bridge.close('unbridge');
    return OK;
  }

  /** Puts a channel in the named conference, creating it on first join. */
  joinConference(channel: Channel, name: string, options: JoinOptions = {}): JoinResult {
    if (this.closed) return fail('CORE_SWITCH_CLOSED', 'the switch is closed');
    if (channel.ended) return fail('CORE_CHANNEL_GONE', `channel ${channel.uuid} hung up`);
    if (!channel.media) return fail('CORE_NO_MEDIA', `channel ${channel.uuid} has no media`);
    const current = this.#conferences.get(name);
    const already = current?.memberByChannel(channel.uuid);
    if (already) return { ok: true, member: already };
    this.#release(channel, 'replaced');
    let conference = current;
    if (!conference) {
      const factory = this.#options.conferenceMedia;
      if (!factory) return fail('CORE_CONFERENCE_MEDIA', 'no conference room factory is configured');
      let room: ConferenceMedia;
      try {
        room = factory(name, this.#options.conferenceMediaOptions ?? {});
      } catch (err) {
        return fail('CORE_MEDIA_FAILED', `creating conference ${name} failed`, err);
      }
      const conferenceOptions: ConferenceOptions = options.maxParticipants === undefined ? {} : { maxParticipants: options.maxParticipants };
      conference = new Conference(name, room, conferenceOptions, {
        bus: this.bus, log: this.log, clock: this.clock, now: () => this.now(), nextMemberId: () => ++this.#memberSeq,
        onCreated: (c) => this.#conferences.set(c.name, c),
        onEnded: (c) => {
          if (this.#conferences.get(c.name) === c) this.#conferences.delete(c.name);
        },
      });
    }
    const joined = conference.add(channel, options);
    if (!joined.ok && conference.size === 0) conference.end('empty');
    return joined;
  }

  /** Takes a channel out of its conference (the channel stays up). */
  leaveConference(channel: Channel): OpResult {
    const conference = channel.conference === undefined ? undefined : this.#conferences.get(channel.conference);
    const member = conference?.memberByChannel(channel.uuid);
    if (!conference || !member) return fail('CORE_CHANNEL_STATE', `channel ${channel.uuid} is not in a conference`);
    return conference.leave(member.id, 'leave');
  }

  channel(uuid: string): Channel | undefined { return this.#channels.get(uuid); }
  channels(): Channel[] { return [...this.#channels.values()]; }
  bridgeOf(uuid: string): Bridge | undefined { return this.#bridgeByLeg.get(uuid); }
  bridges(): Bridge[] { return [...this.#bridges.values()]; }
  conference(name: string): Conference | undefined { return this.#conferences.get(name); }
  conferences(): Conference[] { return [...this.#conferences.values()]; }
  endpoints(): Endpoint[] { return this.#endpoints.map((e) => e.endpoint); }

  counts(): SwitchCounts {
    return { channels: this.#channels.size, bridges: this.#bridges.size, conferences: this.#conferences.size, originates: this.#attempts.size };
  }

  stats(): SwitchStats {
    return { activeSessions: this.#channels.size, sessionsSinceStartup: this.#sessionsSinceStartup, peakSessions: this.#peak };
  }

  /** Waits until every CDR written so far is stored. */
  flushCdrs(): Promise<void> { return this.#cdr.flush(); }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    for (const attempt of [...this.#attempts]) attempt.abort('SYSTEM_SHUTDOWN');
    this.queues.close();
    for (const conference of this.conferences()) conference.end('shutdown');
    for (const bridge of this.bridges()) bridge.close('shutdown');
    const hangups = this.channels().map((ch) => ch.hangup('SYSTEM_SHUTDOWN'));
    const inTime = await waitAtMost(this.clock, this.#options.shutdownTimeoutMs ?? 10_000, async () => {
      await Promise.all(hangups);
      await this.#cdr.flush();
    });
    if (!inTime) this.log.warn({ channels: this.#channels.size }, 'shutdown timed out');
    this.#channels.clear();
    this.#bridges.clear();
    this.#bridgeByLeg.clear();
    this.#conferences.clear();
    this.#attempts.clear();
    this.#endpoints.length = 0;
    this.router.clear();
  }

  /** Takes a leg out of its bridge and conference before it is bridged or joined elsewhere. */
  #release(leg: Channel, reason: 'replaced'): void {
    this.#bridgeByLeg.get(leg.uuid)?.close(reason);
    const conference = leg.conference === undefined ? undefined : this.#conferences.get(leg.conference);
    const member = conference?.memberByChannel(leg.uuid);
    if (conference && member) conference.leave(member.id, 'moved');
  }
}
