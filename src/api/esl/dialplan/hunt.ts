/**
 * The dialplan hunter (compatibility source: FreeSWITCH mod_dialplan_xml, dialplan_hunt / parse_exten;
 * specs/esl.md §6 transfer and execute_extension): pure logic, no I/O. The extensions of one context are
 * tried in order; in each, the conditions are tried in order. A condition tests a caller field
 * (destination_number, caller_id_number ...) or a `${variable}` expansion against a regular expression;
 * on a match its actions are collected with `$1`..`$9` (and `$0`) replaced by the captures, on a miss its
 * anti-actions. `break` (default on-false) decides whether the extension goes on to its next condition.
 * An extension matches when its last tried condition matched; the hunt stops at the first matching
 * extension unless it has `continue: true`. Actions and anti-actions accumulate over the whole hunt (also
 * from extensions that did not match, as the original does), then run in order. `inline` set / unset /
 * export actions take effect during the hunt, so later conditions see them, and are not run again.
 */

export type BreakMode = 'on-false' | 'on-true' | 'always' | 'never';

export interface DialplanAction {
  app: string;
  data?: string;
  /** Run during the hunt (set, unset, export only), before later conditions are tested. */
  inline?: boolean;
}

export interface DialplanCondition {
  /** A caller field name, or a string with `${var}` references; absent: the condition always holds. */
  field?: string;
  /** A regular expression; absent: matches any value. */
  expression?: string;
  break?: BreakMode;
  actions?: readonly DialplanAction[];
  antiActions?: readonly DialplanAction[];
}

export interface DialplanExtension {
  name: string;
  /** Keep hunting after this extension matched. */
  continue?: boolean;
  conditions: readonly DialplanCondition[];
}

export type DialplanContexts = Readonly<Record<string, readonly DialplanExtension[]>>;

/** The caller fields a condition may name (FreeSWITCH caller profile field names). */
export const CALLER_FIELDS = [
  'destination_number', 'caller_id_number', 'caller_id_name', 'ani', 'aniii', 'rdnis', 'network_addr',
  'username', 'context', 'dialplan', 'source', 'chan_name', 'uuid',
] as const;
export type CallerField = (typeof CALLER_FIELDS)[number];

export interface HuntInput {
  fields: Readonly<Partial<Record<CallerField, string>>>;
  /** Channel variables (then globals), for `${var}` in fields and inline data. */
  variables: Readonly<Record<string, string>>;
}

export interface HuntStep {
  app: string;
  data: string;
  /** The extension the step came from. */
  extension: string;
}

export interface HuntResult {
  /** The applications to run, in order (captures substituted; `${var}` left for run time). */
  steps: HuntStep[];
  /** Variables set (or unset: undefined) by inline actions, in order. */
  inlineVariables: [name: string, value: string | undefined][];
  /** Names of the extensions that matched. */
  matched: string[];
}

const INLINE_APPS = new Set(['set', 'unset', 'export']);

/** `${name}` from the variables, else the caller fields; unknown names expand to nothing. */
export function expandSimple(text: string, input: HuntInput, vars: ReadonlyMap<string, string>): string {
  if (!text.includes('${')) return text;
  return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => vars.get(name) ?? input.fields[name as CallerField] ?? '');
}

/** Replaces `$0`..`$9` by the regex captures (a missing group is empty). */
export function substituteCaptures(text: string, captures: readonly string[]): string {
  if (captures.length === 0 || !text.includes('$')) return text;
  return text.replace(/\$(\d)(?!\{)/g, (_m, d: string) => captures[Number(d)] ?? '');
}

function fieldValue(field: string, input: HuntInput, vars: ReadonlyMap<string, string>): string {
  if (field.includes('${')) return expandSimple(field, input, vars);
  return input.fields[field as CallerField] ?? '';
}

/** Compiles an expression; throws a SyntaxError on a bad one (checked when the config loads). */
export function compileExpression(expression: string): RegExp {
  return new RegExp(expression);
}

interface Collector {
  steps: HuntStep[];
  inline: [string, string | undefined][];
  vars: Map<string, string>;
}

function collect(c: Collector, ext: string, actions: readonly DialplanAction[] | undefined, captures: readonly string[], input: HuntInput): void {
  for (const a of actions ?? []) {
    const data = substituteCaptures(a.data ?? '', captures);
    const app = a.app.trim().toLowerCase();
    if (a.inline === true && INLINE_APPS.has(app)) {
      const expanded = expandSimple(data, input, c.vars);
      const eq = expanded.indexOf('=');
      if (app === 'unset') {
        c.vars.delete(expanded.trim());
        c.inline.push([expanded.trim(), undefined]);
      } else if (eq > 0) {
        const name = expanded.slice(0, eq).replace(/^nolocal:/, '');
        const value = expanded.slice(eq + 1);
        c.vars.set(name, value);
        c.inline.push([name, value]);
      }
      continue;
    }
    c.steps.push({ app: a.app.trim(), data, extension: ext });
  }
}

/** Runs the hunt of one context; unknown contexts yield nothing. */
export function huntDialplan(extensions: readonly DialplanExtension[] | undefined, input: HuntInput): HuntResult {
  const c: Collector = { steps: [], inline: [], vars: new Map(Object.entries(input.variables)) };
  const matched: string[] = [];
  for (const ext of extensions ?? []) {
    let proceed = false;
    for (const cond of ext.conditions) {
      const mode = cond.break ?? 'on-false';
      let captures: string[] = [];
      if (cond.field === undefined) {
        proceed = true;
      } else {
        const value = fieldValue(cond.field, input, c.vars);
        const m = cond.expression === undefined ? [value] : compileExpression(cond.expression).exec(value);
        proceed = m !== null;
        if (m) captures = m.map((g) => g ?? '');
      }
      if (proceed) {
        collect(c, ext.name, cond.actions, captures, input);
        if (mode === 'on-true' || mode === 'always') break;
      } else {
        collect(c, ext.name, cond.antiActions, [], input);
        if (mode === 'on-false' || mode === 'always') break;
      }
    }
    if (ext.conditions.length === 0) proceed = false;
    if (proceed) {
      matched.push(ext.name);
      if (ext.continue !== true) break;
    }
  }
  return { steps: c.steps, inlineVariables: c.inline, matched };
}
