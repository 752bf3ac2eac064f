/**
 * Payload keys as jambonz sends them (specs/jambonz.md §1.2, §8.4): snake_case recursively, except the
 * keys `customerData`, `sip`, `env_vars` and `args`, which keep their name and their value verbatim.
 */
const VERBATIM = new Set(['customerData', 'sip', 'sip_headers', 'env_vars', 'args']);

/** Converted keys: payloads repeat the same few dozen keys on every call (bounded; cleared when full). */
const converted = new Map<string, string>();
const MAX_CONVERTED = 4096;

export function snakeCase(key: string): string {
  const known = converted.get(key);
  if (known !== undefined) return known;
  const out = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
  if (converted.size >= MAX_CONVERTED) converted.clear();
  converted.set(key, out);
  return out;
}

function convert(value: unknown, depth: number): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (VERBATIM.has(k)) out[k] = v;
    else out[snakeCase(k)] = convert(v, depth + 1);
  }
  return out;
}

/** A copy of `payload` with snake_case keys (verbatim keys excepted). */
export function snakeCaseKeys(payload: Record<string, unknown>): Record<string, unknown> {
  return convert(payload, 0) as Record<string, unknown>;
}
