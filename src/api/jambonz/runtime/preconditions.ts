/**
 * Task preconditions of the original (specs/jambonz.md §3 "Preconditions"): `endpoint` verbs answer
 * first (or send early media when the verb or its nested prompt asks for `earlyMedia`), `stable` verbs
 * are skipped on an unanswered call, `unanswered` verbs on an answered one.
 */
import { asRecord, type VerbData } from './verb-data.ts';
import type { Precondition, VerbHandler } from './verbs/index.ts';

export function preconditionOf(handler: VerbHandler, verb: VerbData): Precondition {
  return typeof handler.precondition === 'function' ? handler.precondition(verb) : handler.precondition;
}

/** Why the verb is skipped, or undefined when it runs. */
export function skipReason(pre: Precondition, answered: boolean): string | undefined {
  if (pre === 'stable' && !answered) return 'the call is not answered';
  if (pre === 'unanswered' && answered) return 'the call is already answered';
  return undefined;
}

/** Whether a verb (or its nested prompt) asks for early media instead of an answer. */
export function earlyMediaOf(verb: VerbData): boolean {
  if (verb['earlyMedia'] === true) return true;
  return asRecord(verb['say'])?.['earlyMedia'] === true || asRecord(verb['play'])?.['earlyMedia'] === true;
}
