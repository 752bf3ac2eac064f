/**
 * `${...}` expansion for eval, expand and app arguments (specs/esl.md §5 eval/expand, §6, §10
 * "Injection"): `${name}` reads the channel variable when a channel is given, otherwise the global;
 * `$${name}` always the global; an unset name becomes empty. `${name:offset}` / `${name:offset:length}`
 * take a substring (a negative offset counts from the end). `${api(args)}` runs the API `api` with the
 * (expanded) args and puts its output in place, without a trailing newline; without an API runner (or
 * with the sync form) it becomes empty. Braces nest: `${a_${b}}` expands `${b}` first. Pure apart from
 * the callbacks.
 */

export type VarLookup = (name: string, global: boolean) => string | undefined;
export type ApiCaller = (command: string, args: string) => Promise<string>;

/** At most this many `${}` expansions in one text (a guard against runaway nesting). */
const MAX_EXPANSIONS = 1000;

/** `name:offset[:length]` -> the substring rule, else undefined. */
function substring(inner: string): { name: string; offset: number; length?: number } | undefined {
  const m = /^([^:()]+):(-?\d+)(?::(-?\d+))?$/.exec(inner);
  if (!m) return undefined;
  return { name: m[1]!, offset: Number(m[2]), ...(m[3] === undefined ? {} : { length: Number(m[3]) }) };
}

function cut(value: string, offset: number, length: number | undefined): string {
  let v = value;
  if (offset >= 0) v = offset >= v.length ? '' : v.slice(offset);
  else if (-offset <= v.length) v = v.slice(v.length + offset);
  if (length !== undefined && length > 0 && length < v.length) v = v.slice(0, length);
  return v;
}

/** Where the `}` matching the `${` that opens at `start` is (braces nest), or -1. */
function closing(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

async function expandInner(inner: string, global: boolean, lookup: VarLookup, callApi: ApiCaller | undefined): Promise<string> {
  const call = /^([A-Za-z0-9_]+)\(([\s\S]*)\)$/.exec(inner);
  if (call && !global) {
    if (!callApi) return '';
    return (await callApi(call[1]!, call[2]!.trim())).replace(/\n$/, '');
  }
  const sub = substring(inner);
  if (sub) return cut(lookup(sub.name, global) ?? '', sub.offset, sub.length);
  return lookup(inner, global) ?? '';
}

async function expandText(text: string, lookup: VarLookup, callApi: ApiCaller | undefined, budget: { left: number }): Promise<string> {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) break;
    const global = at > 0 && text[at - 1] === '$' && text[at - 2] !== '$';
    const end = closing(text, at + 1);
    if (end < 0 || budget.left-- <= 0) break;
    out += text.slice(i, global ? at - 1 : at);
    const inner = await expandText(text.slice(at + 2, end), lookup, callApi, budget);
    out += await expandInner(inner, global, lookup, callApi);
    i = end + 1;
  }
  return out + text.slice(i);
}

/** Expands `${}` forms, running `${api(args)}` through callApi. */
export function expandVarsAsync(text: string, lookup: VarLookup, callApi?: ApiCaller): Promise<string> {
  if (!text.includes('${')) return Promise.resolve(text);
  return expandText(text, lookup, callApi, { left: MAX_EXPANSIONS });
}

/** `${name}`, `$${name}` and `${name:offset[:length]}`; `${api(args)}` becomes empty. */
export function expandVars(text: string, lookup: VarLookup): string {
  return text.replace(/(\$?)\$\{([A-Za-z0-9_.:-]+)\}/g, (_m, dollar: string, inner: string) => {
    const sub = substring(inner);
    if (sub) return cut(lookup(sub.name, dollar === '$') ?? '', sub.offset, sub.length);
    return lookup(inner, dollar === '$') ?? '';
  });
}

/**
 * A leading `%[name=value,...]` (specs/esl.md §6: scoped variables for one execution) -> the variables
 * and the rest of the argument; without one, no variables. A `]` or `,` inside a value cannot be written.
 */
export function splitScope(arg: string): { scope?: Record<string, string>; rest: string } {
  if (!arg.startsWith('%[')) return { rest: arg };
  const end = arg.indexOf(']');
  if (end < 0) return { rest: arg };
  const scope: Record<string, string> = {};
  for (const pair of arg.slice(2, end).split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) scope[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return { scope, rest: arg.slice(end + 1) };
}

/** `uuid:<uuid> rest` -> the uuid and the rest; otherwise no uuid. */
export function splitUuidPrefix(text: string): { uuid?: string; rest: string } {
  const m = /^uuid:(\S+)\s*(.*)$/s.exec(text);
  return m ? { uuid: m[1]!, rest: m[2]! } : { rest: text };
}
