/**
 * One outbound call attempt, as FreeSWITCH's originate (switch_ivr_originate.c) and a jambonz dial
 * target behave: the endpoint creates the leg and reports the far end; the attempt resolves with the
 * answered channel, or with the hangup cause when the far end refused (USER_BUSY, CALL_REJECTED ...),
 * nobody answered in time (NO_ANSWER), the caller cancelled (ORIGINATOR_CANCEL), the switch shut down
 * (SYSTEM_SHUTDOWN) or the endpoint broke (NORMAL_TEMPORARY_FAILURE). It never rejects.
 */
import { errorMessage, type Clock, type Logger } from '../lib/index.ts';
import type { ChannelDriver } from './channel-driver.ts';
import type { Channel, ChannelInit } from './channel.ts';
import { CoreError } from './core-error.ts';
import type { Endpoint, EndpointOriginateOutcome, EndpointOriginateRequest, OutboundChannelInit } from './endpoint.ts';
import type { Party } from './event-bus.ts';
import { isHangupCause, type HangupCause } from './hangup-cause.ts';

export interface OriginateOptions {
  callerId?: Partial<Party>;
  /** The number called (default: what the endpoint derives from the target). */
  destination?: string;
  /** Give up after this long without answer: NO_ANSWER (default 60 s, FreeSWITCH originate_timeout). */
  timeoutMs?: number;
  variables?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  /** Accept early media from the far end (default true). */
  earlyMedia?: boolean;
  /** Force the leg's uuid (FreeSWITCH origination_uuid). */
  uuid?: string;
  /** The leg this call is made for (a dial A-leg); recorded as the new leg's parent. */
  parent?: Channel;
  /** Aborting cancels the attempt: ORIGINATOR_CANCEL, or the abort reason when it is a hangup cause. */
  signal?: AbortSignal;
  /** Digest credentials passed to the endpoint only (not kept in the leg's variables). */
  auth?: { username: string; password: string };
  /** Called as soon as the leg exists, before answer (to follow its progress or bridge early media). */
  onChannel?: (channel: Channel) => void;
}

export type OriginateFailure = {
  ok: false;
  cause: HangupCause;
  sipStatus?: number;
  reason?: string;
  /** The leg's uuid, when one was created (its CDR carries the details). */
  uuid?: string;
  /** Set when the switch or the endpoint failed rather than the far end. */
  error?: CoreError;
};

export type OriginateResult = { ok: true; channel: Channel } | OriginateFailure;

export interface OriginateDeps {
  clock: Clock;
  log: Logger;
  /** Creates and registers a channel. */
  createChannel(init: ChannelInit): Channel;
}

export class OriginateAttempt {
  readonly uuid: string;
  readonly done: Promise<OriginateResult>;
  readonly #endpoint: Endpoint;
  readonly #target: string;
  readonly #options: OriginateOptions;
  readonly #deps: OriginateDeps;
  readonly #controller = new AbortController();
  readonly #cleanups: (() => void)[] = [];
  #resolve!: (result: OriginateResult) => void;
  #settled = false;
  #channel: Channel | undefined;

  constructor(endpoint: Endpoint, target: string, uuid: string, options: OriginateOptions, deps: OriginateDeps) {
    this.uuid = uuid;
    this.#endpoint = endpoint;
    this.#target = target;
    this.#options = options;
    this.#deps = deps;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get settled(): boolean {
    return this.#settled;
  }

  start(defaultTimeoutMs: number): this {
    const o = this.#options;
    const timeoutMs = o.timeoutMs ?? defaultTimeoutMs;
    if (o.signal?.aborted) {
      this.#giveUp('ORIGINATOR_CANCEL');
      return this;
    }
    const timer = this.#deps.clock.setTimeout(() => this.#giveUp('NO_ANSWER'), timeoutMs);
    this.#cleanups.push(() => timer.cancel());
    if (o.signal) {
      const signal = o.signal;
      // A hangup cause as the abort reason names why (LOSE_RACE for the losers of a simultaneous ring).
      const onAbort = (): void => {
        const reason: unknown = signal.reason;
        this.#giveUp(typeof reason === 'string' && isHangupCause(reason) ? reason : 'ORIGINATOR_CANCEL');
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    const request: EndpointOriginateRequest = {
      uuid: this.uuid,
      target: this.#target,
      callerId: { number: o.callerId?.number ?? '', name: o.callerId?.name ?? '', ...(o.callerId?.uri ? { uri: o.callerId.uri } : {}) },
      ...(o.destination !== undefined ? { destination: o.destination } : {}),
      variables: { ...o.variables },
      headers: { ...o.headers },
      earlyMedia: o.earlyMedia ?? true,
      timeoutMs,
      signal: this.#controller.signal,
      ...(o.parent?.media ? { parentMedia: o.parent.media } : {}),
      ...(o.auth ? { auth: o.auth } : {}),
      createChannel: (driver, init) => this.#create(driver, init),
    };
    Promise.resolve()
      .then(() => this.#endpoint.originate(this.#target, request))
      .then((outcome) => this.#outcome(outcome), (err: unknown) => this.#crashed(err))
      .catch((err: unknown) => this.#deps.log.error({ err, uuid: this.uuid }, 'originate bookkeeping failed'));
    return this;
  }

  /** Ends the attempt from this side (switch shutdown). */
  abort(cause: HangupCause): void {
    this.#giveUp(cause);
  }

  #create(driver: ChannelDriver, init: OutboundChannelInit = {}): Channel {
    if (this.#settled || this.#channel) {
      throw new CoreError('CORE_ORIGINATE_STATE', `originate ${this.uuid}: ${this.#settled ? 'attempt already ended' : 'leg already created'}`);
    }
    const o = this.#options;
    const destination = o.destination ?? init.callee?.number ?? this.#target;
    const channelInit: ChannelInit = {
      uuid: this.uuid,
      direction: 'outbound',
      endpoint: this.#endpoint.name,
      caller: { ...o.callerId },
      callee: { number: destination, ...init.callee },
      destination,
      variables: { ...o.variables, ...init.variables },
      driver,
    };
    if (init.name !== undefined) channelInit.name = init.name;
    if (o.parent) channelInit.parentUuid = o.parent.uuid;
    const channel = this.#deps.createChannel(channelInit);
    this.#channel = channel;
    this.#cleanups.push(
      channel.on('answered', () => this.#settle({ ok: true, channel })),
      channel.on('hangup', ({ cause, sipStatus }) => this.#fail(cause, sipStatus)),
    );
    if (o.onChannel) {
      try {
        o.onChannel(channel);
      } catch (err) {
        this.#deps.log.warn({ err, channelId: channel.uuid }, 'originate onChannel listener failed');
      }
    }
    return channel;
  }

  #outcome(outcome: EndpointOriginateOutcome): void {
    const channel = this.#channel;
    if (outcome.ok) {
      if (!channel) {
        this.#crashed(new CoreError('CORE_ORIGINATE_STATE', `endpoint ${this.#endpoint.name} reported an answer without a leg`));
      } else if (!channel.ended) {
        channel.remoteAnswered();
      }
      return;
    }
    this.#fail(outcome.cause, outcome.sipStatus, outcome.reason);
    if (channel && !channel.ended) {
      void channel.remoteHangup(outcome.cause, outcome.sipStatus === undefined ? {} : { sipStatus: outcome.sipStatus });
    }
  }

  #crashed(err: unknown): void {
    this.#deps.log.warn({ err, target: this.#target, uuid: this.uuid }, 'endpoint originate failed');
    const error = err instanceof CoreError ? err : new CoreError('CORE_DRIVER_FAILED', `originate failed: ${errorMessage(err)}`, { cause: err });
    this.#fail('NORMAL_TEMPORARY_FAILURE', undefined, undefined, error);
    this.#controller.abort();
    const channel = this.#channel;
    if (channel && !channel.ended) void channel.hangup('NORMAL_TEMPORARY_FAILURE');
  }

  #giveUp(cause: HangupCause): void {
    if (this.#settled) return;
    this.#fail(cause);
    this.#controller.abort();
    const channel = this.#channel;
    if (channel && !channel.ended) void channel.hangup(cause);
  }

  #fail(cause: HangupCause, sipStatus?: number, reason?: string, error?: CoreError): void {
    const result: OriginateFailure = { ok: false, cause };
    if (sipStatus !== undefined) result.sipStatus = sipStatus;
    if (reason !== undefined) result.reason = reason;
    if (this.#channel) result.uuid = this.#channel.uuid;
    if (error) result.error = error;
    this.#settle(result);
  }

  #settle(result: OriginateResult): void {
    if (this.#settled) return;
    this.#settled = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#resolve(result);
  }
}
