/**
 * The event source of one event-socket server: maps core bus events to FreeSWITCH events, stamps the
 * standard headers (one Event-Sequence counter), fires the socket's own events (BACKGROUND_JOB, API,
 * CHANNEL_EXECUTE*, sendevent injections) and the periodic HEARTBEAT (specs/esl.md §4.4, default 20 s),
 * and hands every event to the registered listeners in generation order. A lingering socket may hold a
 * hung-up channel's session (holdSession): its destroy events wait until the linger ends (§11.4).
 */
import { errorMessage, type Logger, type TimerHandle } from '../../lib/index.ts';
import type { ChannelSnapshot, Switch } from '../../core/index.ts';
import type { EslEvent } from './esl-event.ts';
import { mapBusEvent } from './event-map.ts';
import { EventStamper, type EventDraft, type Identity } from './event-stamp.ts';
import { formatUptime } from './uptime.ts';

export type HubListener = (event: EslEvent) => void;

/** The channel a CHANNEL_DESTROY or CHANNEL_STATE CS_DESTROY draft is about, else undefined. */
function destroyOf(d: EventDraft): string | undefined {
  const get = (name: string): string | undefined => {
    const v = d.headers.find(([n]) => n === name)?.[1];
    return typeof v === 'string' ? v : undefined;
  };
  if (d.name === 'CHANNEL_DESTROY' || (d.name === 'CHANNEL_STATE' && get('Channel-State') === 'CS_DESTROY')) return get('Unique-ID');
  return undefined;
}
/** Takes an event queued to a channel (a socket with divert_events on); true when taken. */
export type SessionListener = (uuid: string, event: EslEvent) => boolean;

export interface HubOptions {
  identity: Identity;
  log: Logger;
  /** HEARTBEAT period (default 20 000 ms; 0 disables). */
  heartbeatMs?: number;
  version: string;
  maxSessions: number;
  /** New sessions in the last whole second (HEARTBEAT Session-Per-Sec-Last); 0 when absent. */
  lastSps?: () => number;
}

export class EventHub {
  readonly stamper: EventStamper;
  readonly startedAt: number;
  readonly #sw: Switch;
  readonly #log: Logger;
  readonly #options: HubOptions;
  readonly #listeners = new Set<HubListener>();
  readonly #sessionListeners = new Set<SessionListener>();
  /** Last snapshot of each channel (for events about legs already gone, e.g. UNBRIDGE after hangup). */
  readonly #last = new Map<string, ChannelSnapshot>();
  /** Channels held by lingering sockets, with their destroy events waiting. */
  readonly #held = new Map<string, EventDraft[]>();
  readonly #offBus: () => void;
  #heartbeat: TimerHandle | undefined;
  #closed = false;

  constructor(sw: Switch, options: HubOptions) {
    this.#sw = sw;
    this.#log = options.log;
    this.#options = options;
    this.startedAt = sw.now();
    this.stamper = new EventStamper(options.identity, () => sw.now());
    this.#offBus = sw.bus.onAny((event) => {
      const p = event.payload as { channel?: ChannelSnapshot };
      if (p.channel) this.#last.set(p.channel.uuid, p.channel);
      const lookup = (uuid: string): ChannelSnapshot | undefined => this.#sw.channel(uuid)?.snapshot() ?? this.#last.get(uuid);
      const drafts = mapBusEvent(event, { lookup, hostname: options.identity.hostname, now: sw.now() });
      if (event.name === 'channel.destroyed' && !this.#held.has(event.payload.channel.uuid)) this.#last.delete(event.payload.channel.uuid);
      for (const d of drafts) {
        const held = this.#held.get(destroyOf(d) ?? '');
        if (held) held.push(d);
        else this.fire(d);
      }
    });
    this.#arm();
  }

  get identity(): Identity { return this.stamper.identity; }

  /**
   * Keeps a hung-up channel's session while a lingering socket holds it (§3.5, §11.4): its CHANNEL_DESTROY
   * and CHANNEL_STATE CS_DESTROY wait, and its last snapshot stays readable (snapshotOf), until the
   * returned release function runs (idempotent); then the waiting events fire.
   */
  holdSession(uuid: string): () => void {
    if (this.#held.has(uuid)) return () => undefined;
    const waiting: EventDraft[] = [];
    this.#held.set(uuid, waiting);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held.delete(uuid);
      if (!this.#sw.channel(uuid)) this.#last.delete(uuid);
      for (const d of waiting) this.fire(d);
    };
  }

  /** A live channel's snapshot, or the last one of a channel a lingering socket still holds. */
  snapshotOf(uuid: string): ChannelSnapshot | undefined {
    return this.#sw.channel(uuid)?.snapshot() ?? (this.#held.has(uuid) ? this.#last.get(uuid) : undefined);
  }

  /** Subscribes; returns the unsubscribe function. */
  listen(listener: HubListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Subscribes to events queued to channels; returns the unsubscribe function. */
  listenSession(listener: SessionListener): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  /**
   * Queues an event to a channel (sendevent with a live Unique-ID, §2.2): a socket controlling it with
   * divert_events on receives it; otherwise nothing consumes it. True when a socket took it.
   */
  queueToSession(uuid: string, event: EslEvent): boolean {
    if (this.#closed) return false;
    for (const l of [...this.#sessionListeners]) {
      try {
        if (l(uuid, event)) return true;
      } catch (err) {
        this.#log.warn({ err: errorMessage(err) }, 'session event listener failed');
      }
    }
    return false;
  }

  /** Stamps and delivers an event. */
  fire(draft: EventDraft): EslEvent {
    const event = this.stamper.stamp(draft);
    this.deliver(event);
    return event;
  }

  /** Delivers an already built event (sendevent). */
  deliver(event: EslEvent): void {
    if (this.#closed) return;
    for (const l of [...this.#listeners]) {
      try {
        l(event);
      } catch (err) {
        this.#log.warn({ err: errorMessage(err) }, 'event listener failed');
      }
    }
  }

  heartbeatDraft(): EventDraft {
    const up = this.#sw.now() - this.startedAt;
    const stats = this.#sw.stats();
    return {
      name: 'HEARTBEAT',
      origin: ['switchboard', 'heartbeat', 0],
      headers: [
        ['Event-Info', 'System Ready'],
        ['Up-Time', formatUptime(up)],
        ['FreeSWITCH-Version', this.#options.version],
        ['Uptime-msec', String(Math.floor(up))],
        ['Session-Count', String(stats.activeSessions)],
        ['Max-Sessions', String(this.#options.maxSessions)],
        ['Session-Per-Sec', String(Math.trunc(this.#sw.admission.options.sessionsPerSecond ?? 30))],
        ['Session-Per-Sec-Last', String(this.#options.lastSps?.() ?? 0)],
        ['Session-Per-Sec-Max', '0'],
        ['Session-Per-Sec-FiveMin', '0'],
        ['Session-Since-Startup', String(stats.sessionsSinceStartup)],
        ['Session-Peak-Max', String(stats.peakSessions)],
        ['Session-Peak-FiveMin', String(stats.peakSessions)],
        ['Idle-CPU', '100.000000'],
      ],
    };
  }

  #arm(): void {
    const ms = this.#options.heartbeatMs ?? 20_000;
    if (ms <= 0 || this.#closed) return;
    this.#heartbeat = this.#sw.clock.setTimeout(() => {
      this.fire(this.heartbeatDraft());
      // The heartbeat task re-schedules itself (§4.4): RE_SCHEDULE with its next run time.
      this.fire({
        name: 'RE_SCHEDULE', origin: ['switchboard', 'heartbeat', 0],
        headers: [['Task-ID', '1'], ['Task-Desc', 'heartbeat'], ['Task-Group', 'core'], ['Task-Runtime', String(Math.floor((this.#sw.now() + ms) / 1000))]],
      });
      this.#arm();
    }, ms);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#heartbeat?.cancel();
    this.#offBus();
    this.#listeners.clear();
    this.#sessionListeners.clear();
    this.#last.clear();
  }
}
