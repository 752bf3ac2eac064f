/**
 * Verbs as the runtime executes them: `{verb, ...properties}` objects (specs/jambonz.md §2.2). An
 * application may also write `{"say": {...}}`; both shapes are normalized to the first. The full
 * validation (properties, types, enums) is the injected validator's job; without one, the built-in
 * check below accepts well-formed verb objects and rejects everything else.
 */
export interface VerbData {
  verb: string;
  id?: string;
  [property: string]: unknown;
}

export type ValidationResult = { ok: true; verbs: VerbData[] } | { ok: false; error: string };

/** Validates an application's verb array (same contract as the validation module's `validateVerbs`). */
export type ValidateVerbs = (payload: unknown) => ValidationResult;

/** Verb names accepted as synonyms (§3 "Synonyms normalized before validation"). */
const SYNONYMS: Record<string, string> = { stream: 'listen', s2s: 'llm' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One verb in either shape to `{verb, ...}`; undefined when it is neither. */
export function normalizeVerb(item: unknown): VerbData | undefined {
  if (!isRecord(item)) return undefined;
  if (typeof item['verb'] === 'string') {
    const name = item['verb'];
    return { ...item, verb: SYNONYMS[name] ?? name };
  }
  const keys = Object.keys(item);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  const body = item[name];
  if (!isRecord(body)) return undefined;
  return { ...body, verb: SYNONYMS[name] ?? name };
}

/** The structural check used when no validator is injected. */
export const basicValidate: ValidateVerbs = (payload) => {
  if (!Array.isArray(payload)) return { ok: false, error: 'malformed jambonz payload: must be array' };
  const verbs: VerbData[] = [];
  for (const [i, item] of payload.entries()) {
    const verb = normalizeVerb(item);
    if (!verb) return { ok: false, error: `malformed jambonz payload: item ${i} is not a verb` };
    verbs.push(verb);
  }
  return { ok: true, verbs };
};

/** Normalizes what the injected validator returned (it may keep either shape). */
export function normalizeVerbs(list: readonly unknown[]): VerbData[] {
  const out: VerbData[] = [];
  for (const item of list) {
    const v = normalizeVerb(item);
    if (v) out.push(v);
  }
  return out;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function asBoolean(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** Custom SIP headers from an app object: string values only. */
export function asHeaders(v: unknown): Record<string, string> | undefined {
  const r = asRecord(v);
  if (!r) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(r)) {
    if (typeof val === 'string' || typeof val === 'number') out[k] = String(val);
  }
  return out;
}
