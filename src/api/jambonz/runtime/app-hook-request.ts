/**
 * A hook request whose reply may become the call's application (specs/jambonz.md §1.3 `verb:hook` and
 * `session:redirect`, §2.3 actionHook replies, §3.A `actionHookDelayAction` and `fillerNoise`): while
 * the request is out the caller may hear filler noise or the delay actions; a reply that is a verb array
 * replaces the stack, an empty one leaves it (or, for a redirect, empties it), an unusable one or a
 * failed request is reported through the host. A reply that comes after the application was replaced
 * (another hook, a command, giveUpActions) or after the call ended is dropped.
 */
import { errorMessage } from '../../../lib/index.ts';
import type { Hook, HookRequestType } from '../contract.ts';
import { delayOptionsOf, startDelay } from './action-hook-delay.ts';
import type { CallInfo } from './call-info.ts';
import { fillerNoiseOf, startFillerNoise } from './filler-noise.ts';
import { snakeCaseKeys } from './snake-case.ts';
import type { ValidationResult, VerbData } from './verb-data.ts';
import { untilAborted, type VerbStack } from './verb-stack.ts';
import type { VerbServices } from './verbs/index.ts';

/** What a hook request needs of its call session. */
export interface AppHookHost {
  readonly services: VerbServices;
  readonly stack: VerbStack;
  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown>;
  validate(payload: unknown): ValidationResult;
  replaceApplication(verbs: VerbData[]): void;
  /** The request failed or its reply is unusable. */
  failed(details: string, verb: VerbData | undefined): void;
}

/** The body of a verb's hook: the call info, the verb's results and its `verb_id`, in snake case. */
export function hookPayload(callInfo: CallInfo, results: Record<string, unknown>, verb: VerbData): Record<string, unknown> {
  return snakeCaseKeys({ ...callInfo.toJSON(), ...results, ...(verb.id !== undefined ? { verb_id: verb.id } : {}) });
}

/** Sends a hook whose reply may replace the application; resolves once handled, never rejects. */
export async function requestAppHook(
  host: AppHookHost, type: HookRequestType, hook: Hook, payload: Record<string, unknown>, verb: VerbData | undefined, replaceOnEmpty = false,
): Promise<void> {
  const { services: s, stack } = host;
  const generation = stack.generation;
  const delayOptions = delayOptionsOf(verb?.['actionHookDelayAction'] ?? s.settings.actionHookDelayAction);
  const delay = type === 'verb:hook' && delayOptions ? startDelay(s, delayOptions) : undefined;
  const filler = type === 'verb:hook' ? fillerNoiseOf(verb?.['fillerNoise'], s.settings.fillerNoise) : undefined;
  const noise = filler ? startFillerNoise(s.channel, s.clock, s.log, filler) : undefined;
  let gaveUp = false;
  void delay?.gaveUp.then((verbs) => {
    gaveUp = true;
    if (generation !== stack.generation || s.channel.ended) return;
    s.log.info('actionHook gave no reply in time: giveUpActions');
    host.replaceApplication(verbs);
  });
  const appSignal = stack.signal;
  let reply: unknown;
  try {
    reply = await untilAborted(host.request(type, hook, payload), appSignal);
  } catch (err) {
    delay?.stop();
    noise?.stop();
    if (gaveUp || appSignal.aborted) return;
    host.failed(`${type} ${typeof hook === 'string' ? hook : hook.url} failed: ${errorMessage(err)}`, verb);
    return;
  }
  delay?.stop();
  noise?.stop();
  if (gaveUp || generation !== stack.generation || s.channel.ended) return;
  if (reply === undefined || reply === null || reply === '' || (Array.isArray(reply) && reply.length === 0)) {
    if (replaceOnEmpty) host.replaceApplication([]);
    return;
  }
  const r = host.validate(reply);
  if (!r.ok) {
    host.failed(`invalid actionHook response: ${r.error}`, verb);
    return;
  }
  s.log.info({ verbs: r.verbs.length }, 'application replaced by hook reply');
  host.replaceApplication(r.verbs);
}
