/**
 * An Endpoint for tests whose outbound calls follow a script: each behaviour creates the leg with a
 * FakeDriver and FakeMedia and plays the far end on the switch's clock (ring, answer, busy ...).
 */
import type { Clock } from '../../lib/index.ts';
import type { Channel, Endpoint, EndpointOriginateOutcome, EndpointOriginateRequest, HangupCause } from '../index.ts';
import { FakeDriver } from './fake-driver.ts';
import { FakeMedia } from './fake-media.ts';

export interface FakeLeg {
  channel: Channel;
  driver: FakeDriver;
  media: FakeMedia;
}

export type Behaviour = (request: EndpointOriginateRequest, endpoint: FakeEndpoint) => Promise<EndpointOriginateOutcome>;

export class FakeEndpoint implements Endpoint {
  readonly name: string;
  readonly schemes: readonly string[];
  readonly requests: EndpointOriginateRequest[] = [];
  readonly legs: FakeLeg[] = [];
  readonly clock: Clock;
  behaviour: Behaviour;

  constructor(clock: Clock, options: { name?: string; schemes?: string[]; behaviour?: Behaviour } = {}) {
    this.clock = clock;
    this.name = options.name ?? 'fake';
    this.schemes = options.schemes ?? ['fake:'];
    this.behaviour = options.behaviour ?? answerAfter(0);
  }

  originate(_target: string, request: EndpointOriginateRequest): Promise<EndpointOriginateOutcome> {
    this.requests.push(request);
    return this.behaviour(request, this);
  }

  /** Creates the leg the way a real endpoint would before sending its request. */
  leg(request: EndpointOriginateRequest): FakeLeg {
    const driver = new FakeDriver();
    const media = new FakeMedia(`out-${this.legs.length}`);
    const channel = request.createChannel(driver, { name: `${this.name}/${request.target}` });
    channel.attachMedia(media);
    const leg = { channel, driver, media };
    this.legs.push(leg);
    return leg;
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    if (ms <= 0) return resolve(true);
    const t = clock.setTimeout(() => resolve(true), ms);
    signal.addEventListener('abort', () => { t.cancel(); resolve(false); }, { once: true });
  });
}

/** Rings for `ringMs` (optionally with early media), then answers. */
export function answerAfter(ringMs: number, options: { earlyMedia?: boolean } = {}): Behaviour {
  return async (req, ep) => {
    const { channel } = ep.leg(req);
    channel.remoteRinging();
    if (options.earlyMedia) channel.remoteProgress({ earlyMedia: true });
    if (!(await sleep(ep.clock, ringMs, req.signal))) return { ok: false, cause: 'ORIGINATOR_CANCEL' };
    return { ok: true };
  };
}

/** Rings for `ringMs`, then the far end refuses with `status`. */
export function refuseAfter(ringMs: number, cause: HangupCause, status: number): Behaviour {
  return async (req, ep) => {
    const { channel } = ep.leg(req);
    channel.remoteRinging();
    if (!(await sleep(ep.clock, ringMs, req.signal))) return { ok: false, cause: 'ORIGINATOR_CANCEL' };
    return { ok: false, cause, sipStatus: status, reason: `status ${status}` };
  };
}

/** Rings until core gives up. */
export function ringForever(): Behaviour {
  return async (req, ep) => {
    ep.leg(req).channel.remoteRinging();
    await sleep(ep.clock, Number.MAX_SAFE_INTEGER, req.signal);
    return { ok: false, cause: 'ORIGINATOR_CANCEL' };
  };
}

/** Throws (synchronously, or after creating the leg). */
export function explode(afterLeg = false): Behaviour {
  return (req, ep) => {
    if (afterLeg) ep.leg(req);
    throw new Error('endpoint exploded');
  };
}
