/**
 * Originate arguments (specs/esl.md §5 originate and the dial-string syntax below it): splitting on
 * spaces with single quotes grouping, the `{k=v,...}` variable prefix (with `\,` escapes), and the
 * `&app(args)` application form. Pure.
 */

/**
 * Splits on spaces; single quotes group (and are removed); spaces inside parentheses do not split, so
 * `&socket(127.0.0.1:8084 async full)` stays one argument.
 */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  let has = false;
  for (const ch of text) {
    if (ch === "'") {
      quoted = !quoted;
      has = true;
    } else if (ch === ' ' && !quoted && depth === 0) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      if (!quoted && ch === '(') depth++;
      else if (!quoted && ch === ')' && depth > 0) depth--;
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

export interface DialString {
  target: string;
  variables: Record<string, string>;
}

/** `{a=1,b=2}[c=3]sofia/internal/1000@host` -> target + variables (per-leg `[...]` merged in). */
export function parseDialString(text: string): DialString {
  let rest = text.trim();
  const variables: Record<string, string> = {};
  for (;;) {
    const open = rest[0];
    const close = open === '{' ? '}' : open === '[' ? ']' : open === '<' ? '>' : undefined;
    if (!close) break;
    const end = rest.indexOf(close);
    if (end < 0) break;
    const body = rest.slice(1, end);
    for (const pair of body.split(/(?<!\\),/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      variables[pair.slice(0, eq).trim()] = pair.slice(eq + 1).replace(/\\,/g, ',').replace(/^'(.*)'$/, '$1');
    }
    rest = rest.slice(end + 1);
  }
  return { target: rest, variables };
}

/** `&playback(/tmp/a.wav)` -> { app, arg }; anything else is an extension. */
export function parseAppForm(text: string): { app: string; arg: string } | undefined {
  const m = /^&([A-Za-z0-9_]+)(?:\((.*)\))?$/s.exec(text);
  if (!m) return undefined;
  return { app: m[1]!, arg: m[2] ?? '' };
}
