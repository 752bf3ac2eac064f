/**
 * The key casing of every payload jambonz sends to an application (specs/jambonz.md §1.2, §8.4): keys are
 * converted to snake_case recursively, except that the keys `customerData`, `sip`, `env_vars` and `args`
 * are kept as written and their values copied verbatim. The conversion of one key follows the
 * `to-snake-case` rules the original uses: a key with separators (`-`, `_`, `.`, `:`, other non-word
 * characters) is split at them; a camelCase key is split before each upper-case letter, and a run of
 * upper-case letters after a lower-case one is split letter by letter (`callSID` -> `call_s_i_d`); a key
 * that is all upper case is only lower-cased (`URL` -> `url`). Arrays stay arrays.
 */

/** The keys whose name and value are passed through unchanged. */
export const SNAKE_CASE_VERBATIM_KEYS: readonly string[] = ['customerData', 'sip', 'sip_headers', 'env_vars', 'args'];

const HAS_SPACE = /\s/;
const HAS_SEPARATOR = /[_\-.:]/;
const HAS_CAMEL = /[a-z][A-Z]|[A-Z][a-z]/;
const SEPARATORS = /[\W_]+(.|$)/g;
const CAMEL_RUN = /(.)([A-Z]+)/g;

function splitSeparators(s: string): string {
  return s.replace(SEPARATORS, (_m, next: string) => (next ? ` ${next}` : ''));
}

function toWords(key: string): string {
  if (HAS_SPACE.test(key)) return key.toLowerCase();
  if (HAS_SEPARATOR.test(key)) return (splitSeparators(key) || key).toLowerCase();
  if (HAS_CAMEL.test(key)) {
    return key
      .replace(CAMEL_RUN, (_m, prev: string, uppers: string) => `${prev} ${uppers.toLowerCase().split('').join(' ')}`)
      .toLowerCase();
  }
  return key.toLowerCase();
}

/** Converted keys: payloads repeat the same few dozen keys on every call (bounded; cleared when full). */
const converted = new Map<string, string>();
const MAX_CONVERTED = 4096;

/** One key in snake_case (`callSid` -> `call_sid`, `X-Reason` -> `x_reason`, `dtmfHook` -> `dtmf_hook`). */
export function snakeCase(key: string): string {
  const known = converted.get(key);
  if (known !== undefined) return known;
  const out = splitSeparators(toWords(key)).trim().replace(/\s/g, '_');
  if (converted.size >= MAX_CONVERTED) converted.clear();
  converted.set(key, out);
  return out;
}

/**
 * A copy of `value` with every object key in snake_case, except the verbatim keys (and everything under
 * them). Primitives are returned as they are; cycles are cut (a repeated object becomes `null`).
 */
export function snakeCaseKeys(value: unknown, verbatim: readonly string[] = SNAKE_CASE_VERBATIM_KEYS): unknown {
  return convert(value, new Set(verbatim), new WeakSet());
}

function convert(value: unknown, verbatim: ReadonlySet<string>, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return null;
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item) => convert(item, verbatim, seen));
  } else {
    const obj: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (verbatim.has(key)) obj[key] = v;
      else obj[snakeCase(key)] = convert(v, verbatim, seen);
    }
    out = obj;
  }
  seen.delete(value);
  return out;
}
