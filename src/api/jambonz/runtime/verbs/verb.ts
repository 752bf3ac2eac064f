/**
 * The shape of a verb handler (DESIGN.md house style 6: data plus a handler, one per file, registered
 * in a table) and the services a running verb gets from its call session. Preconditions follow the
 * original's task preconditions (specs/jambonz.md §3): `endpoint` verbs answer the call first (or send
 * early media), `stable` verbs are skipped on an unanswered call, `unanswered` verbs on an answered one.
 */
import type { ZodType } from 'zod';
import type { Channel } from '../../../../core/index.ts';
import type { Clock, Logger } from '../../../../lib/index.ts';
import type { Hook } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import type { FillerNoise } from '../filler-noise.ts';
import type { Recognizer, RecognizerSettings, Synthesizer, SynthesizerSettings } from '../speech.ts';
import type { VerbData } from '../verb-data.ts';

export type Precondition = 'endpoint' | 'stable' | 'unanswered' | 'none';

/** Session-wide settings the `config` verb changes. */
export interface SessionSettings {
  synthesizer: SynthesizerSettings;
  recognizer: RecognizerSettings;
  notifyEvents: boolean;
  onHoldMusic?: string;
  sipRequestWithinDialogHook?: Hook;
  referHook?: Hook;
  actionHookDelayAction?: Record<string, unknown>;
  disableTtsCache?: boolean;
  /** `config.fillerNoise` (filler-noise.ts); absent when off. */
  fillerNoise?: FillerNoise;
}

/** Background gather started by `config.bargeIn`. */
export interface BargeInOptions {
  enable: boolean;
  sticky: boolean;
  data: VerbData;
}

export interface VerbServices {
  readonly channel: Channel;
  readonly clock: Clock;
  readonly log: Logger;
  readonly callInfo: CallInfo;
  readonly transport: 'http' | 'ws';
  readonly settings: SessionSettings;
  readonly synthesizer: Synthesizer | undefined;
  readonly recognizer: Recognizer | undefined;
  /** Answers the call (or sends early media when `earlyMedia`); false when the call is gone. */
  ensureMedia(earlyMedia: boolean): Promise<boolean>;
  /** Calls an actionHook with call info + results; a non-empty verb array replaces the remaining verbs. */
  performAction(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData): Promise<void>;
  /** Calls an event hook (partialResultHook, eventHook); its reply is not used. */
  notifyHook(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData): void;
  /** `verb:status` (only when config.notifyEvents is on, WS apps). */
  notifyStatus(payload: Record<string, unknown>, verb?: VerbData): void;
  /** `jambonz:error` to a WS app; a log line in every case. */
  notifyError(payload: Record<string, unknown>, verb?: VerbData): void;
  /** Fetches a new application from `hook` (`session:redirect`) and makes it the verb stack. */
  redirect(hook: Hook): Promise<void>;
  setCustomerData(data: Record<string, unknown>): void;
  setStatusHook(hook: Hook): void;
  /** Resets `synthesizer` / `recognizer` to the application's defaults. */
  resetSpeech(what: 'synthesizer' | 'recognizer'): void;
  /** Starts (or stops) the background gather of config.bargeIn. */
  setBargeIn(options: BargeInOptions): void;
  /** Writes an application alert (the `alert` verb). */
  alert(message: string, verb: VerbData): void;
}

export interface VerbContext {
  readonly services: VerbServices;
  readonly verb: VerbData;
  /** Aborted when the verb is killed (stack replaced, call ended). */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface VerbHandler {
  readonly name: string;
  readonly schema?: ZodType;
  readonly precondition: Precondition | ((verb: VerbData) => Precondition);
  exec(ctx: VerbContext): Promise<void>;
  /** Extra work when killed, besides the abort signal. */
  kill?(ctx: VerbContext): void;
}

/** A hook specifier from verb data: a URL string or `{url, method, username, password}`. */
export function hookOf(value: unknown): Hook | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { url?: unknown }).url === 'string') {
    const v = value as Record<string, unknown>;
    const hook: { url: string; method?: string; username?: string; password?: string } = { url: v['url'] as string };
    if (typeof v['method'] === 'string') hook.method = v['method'];
    if (typeof v['username'] === 'string') hook.username = v['username'];
    if (typeof v['password'] === 'string') hook.password = v['password'];
    return hook;
  }
  return undefined;
}

/** Resolves when the signal aborts (at once when it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Waits `ms` on the clock; resolves false when aborted first. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
