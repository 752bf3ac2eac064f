/**
 * Verb validation of the jambonz-compatible API (specs/jambonz.md §2.2, §3).
 *
 * Contract:
 * - `validateVerbs(payload: unknown)`: `{ok: true, verbs}` with every verb as `{verb, ...properties}`
 *   (either input form accepted, synonyms normalized: `stream` -> `listen`, `s2s` / `*_s2s` -> `llm`
 *   with `vendor`), or `{ok: false, error}` with the original's message (`invalid instruction: foo`,
 *   `say: unknown property bar`, `pause: missing value for length`, `malformed jambonz payload: must be
 *   array` ...). The whole payload is rejected on the first problem. An empty array is valid here; the
 *   caller decides whether an empty app is an error (it is for `session:new`).
 * - `validateVerb(verb)`: the same for one verb.
 * - Types: `Verb` (any verb), `VerbName`, per-verb interfaces for the IVR verbs and `isVerb(v, name)`
 *   to narrow. Nested objects inside typed verbs are checked by the same rules, not re-typed deeply.
 */
export type { VerbValidation } from './validate-verbs.ts';
export { validateVerb, validateVerbs } from './validate-verbs.ts';
export type {
  AlertVerb,
  AnswerVerb,
  ConfigVerb,
  DtmfVerb,
  GatherVerb,
  HangupVerb,
  PauseVerb,
  PlayVerb,
  Recognizer,
  RedirectVerb,
  SayVerb,
  SipDeclineVerb,
  SipReferVerb,
  SipRequestVerb,
  Synthesizer,
  TagVerb,
  TypedVerbName,
  Verb,
  VerbName,
  VerbsByName,
} from './verb-types.ts';
export { VERB_NAMES, isVerb } from './verb-types.ts';
