/**
 * What every part of the dialog layer shares: the host (clock, timers, transactions), the layer's
 * configuration, a logger and a random source (the glare back-off of RFC 3261 section 14.1 and the
 * Retry-After of section 14.2).
 */
import type { Logger } from '../../lib/index.ts';
import type { Destination } from '../transport/index.ts';
import type { DialogHost } from './dialog-host.ts';

/** RFC 4028 session timer settings. */
export interface SessionTimerConfig {
  /** Whether this layer supports (and advertises) session timers. Default true. */
  enabled: boolean;
  /** Session interval asked for (UAC) or granted at most (UAS), seconds. Default 1800. */
  expires: number;
  /** Smallest interval accepted; at least 90 (RFC 4028 section 4). Default 90. */
  minSE: number;
  /** Who refreshes when the UAS chooses and the UAC supports timers. Default 'uac'. */
  refresher: 'uac' | 'uas';
}

export interface DialogConfig {
  sessionTimer: SessionTimerConfig;
  /** User-Agent / Server header value; none when undefined. */
  userAgent: string | undefined;
  /**
   * Which dialogs send their requests over the flow (connection) they were created on instead of
   * resolving the route set / remote target: 'stream' (TCP, TLS, WS, WSS: the default), 'always', 'never'.
   */
  flowReuse: 'stream' | 'always' | 'never';
  /** How long a request left to the application (`defer()`) may wait for its answer, ms. */
  deferTimeout: number;
}

export interface DialogContext {
  readonly host: DialogHost;
  readonly config: DialogConfig;
  readonly log: Logger;
  /** A number in [0, 1). */
  random(): number;
}

/** The flow a dialog keeps for its requests, per the flowReuse setting, or undefined. */
export function flowFor(config: DialogConfig, destination: Destination | undefined): Destination | undefined {
  if (!destination || config.flowReuse === 'never') return undefined;
  if (config.flowReuse === 'stream' && destination.transport === 'udp') return undefined;
  return destination;
}
