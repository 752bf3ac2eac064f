/**
 * Typed shapes of the verbs as the application writes them (specs/jambonz.md §3, property lists of
 * @jambonz/verb-specifications 0.1.13), after validation and synonym normalization. Properties beyond
 * the typed ones stay reachable through the index signature; nested objects (synthesizer, recognizer,
 * bargeIn ...) are typed loosely where the IVR runtime does not need them.
 */
import type { Hook } from '../contract.ts';

/** Every verb name an application may use (synonyms such as `stream` arrive already normalized). */
export const VERB_NAMES = [
  'alert',
  'answer',
  'conference',
  'config',
  'dequeue',
  'dial',
  'dialogflow',
  'dtmf',
  'dub',
  'enqueue',
  'gather',
  'hangup',
  'leave',
  'lex',
  'listen',
  'llm',
  'message',
  'pause',
  'play',
  'rasa',
  'redirect',
  'say',
  'sip:decline',
  'sip:refer',
  'sip:request',
  'tag',
  'transcribe',
] as const;

export type VerbName = (typeof VERB_NAMES)[number];

/** Any validated verb: its name plus its properties. */
export interface Verb {
  verb: VerbName;
  id?: string;
  [property: string]: unknown;
}

export interface Synthesizer {
  vendor: string;
  language?: string;
  voice?: string | Record<string, unknown>;
  label?: string;
  engine?: 'standard' | 'neural' | 'generative' | 'long-form';
  gender?: 'MALE' | 'FEMALE' | 'NEUTRAL';
  options?: Record<string, unknown>;
  fallbackVendor?: string;
  fallbackLanguage?: string;
  fallbackVoice?: string | Record<string, unknown>;
  fallbackLabel?: string;
}

export interface Recognizer {
  vendor: string;
  language?: string;
  label?: string;
  hints?: unknown[];
  hintsBoost?: number;
  altLanguages?: unknown[];
  interim?: boolean;
  singleUtterance?: boolean;
  asrTimeout?: number;
  asrDtmfTerminationDigit?: string;
  minConfidence?: number;
  fastRecognitionTimeout?: number;
  [property: string]: unknown;
}

export interface AnswerVerb extends Verb {
  verb: 'answer';
}
export interface SayVerb extends Verb {
  verb: 'say';
  text?: string | unknown[];
  loop?: number | string;
  synthesizer?: Synthesizer;
  earlyMedia?: boolean;
  disableTtsCache?: boolean;
  stream?: boolean;
  closeStreamOnEmpty?: boolean;
  instructions?: string;
}
export interface PlayVerb extends Verb {
  verb: 'play';
  url: string | unknown[];
  loop?: number | string;
  earlyMedia?: boolean;
  seekOffset?: number | string;
  timeoutSecs?: number | string;
  actionHook?: Hook;
}
export interface PauseVerb extends Verb {
  verb: 'pause';
  length: number;
}
export interface GatherVerb extends Verb {
  verb: 'gather';
  input?: unknown[];
  actionHook?: Hook;
  partialResultHook?: Hook;
  numDigits?: number;
  minDigits?: number;
  maxDigits?: number;
  finishOnKey?: string;
  interDigitTimeout?: number;
  timeout?: number;
  speechTimeout?: number;
  listenDuringPrompt?: boolean;
  bargein?: boolean;
  dtmfBargein?: boolean;
  minBargeinWordCount?: number;
  recognizer?: Recognizer;
  /** Nested prompts: properties of a say / play verb without `verb`. */
  say?: Omit<SayVerb, 'verb'>;
  play?: Omit<PlayVerb, 'verb'>;
  fillerNoise?: Record<string, unknown>;
  actionHookDelayAction?: Record<string, unknown>;
}
export interface HangupVerb extends Verb {
  verb: 'hangup';
  headers?: Record<string, unknown>;
}
export interface RedirectVerb extends Verb {
  verb: 'redirect';
  actionHook: Hook;
  statusHook?: Hook;
}
export interface TagVerb extends Verb {
  verb: 'tag';
  data: Record<string, unknown>;
}
export interface ConfigVerb extends Verb {
  verb: 'config';
  synthesizer?: Synthesizer;
  recognizer?: Recognizer;
  reset?: string | unknown[];
  bargeIn?: Record<string, unknown> & { enable: boolean };
  notifyEvents?: boolean;
  sipRequestWithinDialogHook?: Hook;
  onHoldMusic?: string;
  actionHookDelayAction?: Record<string, unknown>;
  referHook?: Hook;
  earlyMedia?: boolean;
  disableTtsCache?: boolean;
}
export interface SipDeclineVerb extends Verb {
  verb: 'sip:decline';
  status: number;
  reason?: string;
  headers?: Record<string, unknown>;
}
export interface SipRequestVerb extends Verb {
  verb: 'sip:request';
  method: string;
  body?: string;
  headers?: Record<string, unknown>;
  actionHook?: Hook;
}
export interface SipReferVerb extends Verb {
  verb: 'sip:refer';
  referTo: string;
  referredBy?: string;
  referredByDisplayName?: string;
  headers?: Record<string, unknown>;
  actionHook?: Hook;
  eventHook?: Hook;
}
export interface DtmfVerb extends Verb {
  verb: 'dtmf';
  dtmf: string;
  duration?: number;
}
export interface AlertVerb extends Verb {
  verb: 'alert';
  message: string;
}

/** The typed verbs, by name; the others are plain `Verb`. */
export interface VerbsByName {
  answer: AnswerVerb;
  say: SayVerb;
  play: PlayVerb;
  pause: PauseVerb;
  gather: GatherVerb;
  hangup: HangupVerb;
  redirect: RedirectVerb;
  tag: TagVerb;
  config: ConfigVerb;
  'sip:decline': SipDeclineVerb;
  'sip:request': SipRequestVerb;
  'sip:refer': SipReferVerb;
  dtmf: DtmfVerb;
  alert: AlertVerb;
}

export type TypedVerbName = keyof VerbsByName;

/** Narrows a validated verb by name: `if (isVerb(v, 'say')) v.text ...`. */
export function isVerb<K extends TypedVerbName>(verb: Verb, name: K): verb is VerbsByName[K] {
  return verb.verb === name;
}
