/**
 * A small mustache-style renderer for property values: `{{call.from}}`, `{{{payload}}}` and
 * `{{& flow.greeting}}` are replaced by the value at that dotted path of the view. Nothing is
 * HTML-escaped (values go into JSON verbs, not pages), objects are rendered as JSON and missing
 * values as the empty string. Sections and partials are not supported.
 */

const TAG = /\{\{\{\s*([^{}]*?)\s*\}\}\}|\{\{\s*&?\s*([^{}]*?)\s*\}\}/g;

export function hasTemplate(text: string): boolean {
  TAG.lastIndex = 0;
  return TAG.test(text);
}

/** Looks up a dotted path (`a.b.0.c`) in a value; `.` alone is the value itself. */
export function lookupPath(view: unknown, path: string): unknown {
  if (path === '.' || path === '') return view;
  let current: unknown = view;
  for (const part of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderTemplate(template: string, view: unknown): string {
  return template.replace(TAG, (_all, triple: string | undefined, double: string | undefined) =>
    stringify(lookupPath(view, (triple ?? double ?? '').trim())),
  );
}

/** Renders every string inside a JSON-like value (objects and arrays are copied). */
export function renderDeep(value: unknown, view: unknown): unknown {
  if (typeof value === 'string') return hasTemplate(value) ? renderTemplate(value, view) : value;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, view));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, view);
    return out;
  }
  return value;
}
