/**
 * Verb validation as the original does it (specs/jambonz.md §2.2, §3): the payload must be an array of
 * verbs, each `{verb: name, ...properties}` or `{name: {...properties}}`; synonyms are normalized
 * (`stream` -> `listen`, `s2s` and the `*_s2s` shortcuts -> `llm` with `vendor`); an unknown verb or
 * property, a wrong type or enum value, or a missing required property rejects the whole payload. The
 * property rules are those of @jambonz/verb-specifications 0.1.13 (the validator feature-server 0.9.8
 * uses), called directly. Two checks are added in front: names of nested types (`target`, `synthesizer`
 * ...) and the internal `rest:dial` are not verbs, and verb properties must be an object.
 */
import { createRequire } from 'node:module';
import type { Verb, VerbName } from './verb-types.ts';
import { VERB_NAMES } from './verb-types.ts';

interface VerbSpecLibrary {
  normalizeJambones(logger: { info(...args: unknown[]): void }, payload: unknown): Record<string, unknown>[];
  validateVerb(name: string, data: unknown, logger: { info(...args: unknown[]): void }): void;
}

const library = createRequire(import.meta.url)('@jambonz/verb-specifications') as VerbSpecLibrary;
const quiet = { info: () => {} };
const verbNames: ReadonlySet<string> = new Set(VERB_NAMES);

export type VerbValidation = { ok: true; verbs: Verb[] } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates and normalizes an application's verb array; never throws. */
export function validateVerbs(payload: unknown): VerbValidation {
  if (!Array.isArray(payload)) return { ok: false, error: 'malformed jambonz payload: must be array' };
  if (payload.some((item) => !isRecord(item))) {
    return { ok: false, error: 'malformed jambonz payload: must be array of objects' };
  }
  try {
    const document = library.normalizeJambones(quiet, payload);
    const verbs: Verb[] = [];
    for (const task of document) {
      const name = Object.keys(task)[0] ?? '';
      const data = task[name];
      if (!verbNames.has(name)) return { ok: false, error: `invalid instruction: ${name}` };
      if (data !== undefined && data !== null && !isRecord(data)) {
        return { ok: false, error: `${name}: properties must be an object` };
      }
      library.validateVerb(name, data ?? {}, quiet);
      verbs.push({ verb: name as VerbName, ...(data ?? {}) });
    }
    return { ok: true, verbs };
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, error: 'malformed jambonz payload: nested too deeply' };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Validates one verb (e.g. a nested prompt or a `whisper` command's verb). */
export function validateVerb(verb: unknown): { ok: true; verb: Verb } | { ok: false; error: string } {
  const r = validateVerbs([verb]);
  if (!r.ok) return r;
  const first = r.verbs[0];
  return first ? { ok: true, verb: first } : { ok: false, error: 'malformed jambonz payload: empty verb' };
}
