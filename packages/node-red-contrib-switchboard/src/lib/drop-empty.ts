/**
 * Empty values are left out of verbs and request bodies: undefined, null, empty strings, empty
 * objects and empty arrays. `false` and `0` are values and stay.
 */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * Drops the empty top-level properties of an object. Values the user gave as a whole (a JSON
 * object for `tag`, headers ...) are kept as they are inside.
 */
export function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!isEmpty(v)) out[k] = v;
  return out;
}

/** Sets a dotted path (`synthesizer.vendor`) in an object, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i] as string;
    const next = current[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      current[key] = {};
    }
    current = current[key] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}
