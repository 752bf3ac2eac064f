/**
 * Multi-leg dial strings of originate and bridge (specs/esl.md §5 dial-string syntax): `{k=v}` for every
 * leg, `<k=v>` per `:_:` group, `[k=v]` per leg; `,` rings legs at once, `|` tries the next step when
 * the previous one failed, `:_:` runs whole groups at once (enterprise originate). The first leg to answer
 * wins; the others are cancelled (LOSE_RACE), and a leg answering after the winner is hung up. When all
 * fail, the most telling cause is reported (a refusal over NO_ANSWER / cancel). Parsing is pure.
 */
import type { OriginateOptions, OriginateResult, Switch } from '../../core/index.ts';
import { parseDialString } from './dial-string.ts';

export interface DialLeg {
  target: string;
  variables: Record<string, string>;
}

export interface DialGroup {
  variables: Record<string, string>;
  /** Tried in order; the legs of one step ring at once. */
  steps: DialLeg[][];
}

export interface DialPlan {
  variables: Record<string, string>;
  groups: DialGroup[];
}

/** Splits at a separator outside `{}`, `[]`, `<>` and `()`. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if ('{[<('.includes(ch)) depth++;
    else if ('}]>)'.includes(ch) && depth > 0) depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Leading `{...}` (or `<...>`) blocks -> their variables and the rest. */
function takePrefix(text: string, open: '{' | '<'): { variables: Record<string, string>; rest: string } {
  const close = open === '{' ? '}' : '>';
  let rest = text.trim();
  let variables: Record<string, string> = {};
  while (rest.startsWith(open)) {
    const end = rest.indexOf(close);
    if (end < 0) break;
    variables = { ...variables, ...parseDialString(`${open}${rest.slice(1, end)}${close}x`).variables };
    rest = rest.slice(end + 1).trim();
  }
  return { variables, rest };
}

export function parseMultiDial(text: string): DialPlan {
  const top = takePrefix(text, '{');
  const groups: DialGroup[] = [];
  for (const groupText of splitTop(top.rest, ':_:')) {
    const g = takePrefix(groupText, '<');
    const steps: DialLeg[][] = [];
    for (const stepText of splitTop(g.rest, '|')) {
      const legs: DialLeg[] = [];
      for (const legText of splitTop(stepText, ',')) {
        if (legText.trim() === '') continue;
        const leg = parseDialString(legText);
        if (leg.target !== '') legs.push(leg);
      }
      if (legs.length > 0) steps.push(legs);
    }
    if (steps.length > 0) groups.push({ variables: g.variables, steps });
  }
  return { variables: top.variables, groups };
}

/** How many legs a plan can ring (origination_uuid only applies when this is one). */
export function legCount(plan: DialPlan): number {
  return plan.groups.reduce((n, g) => n + g.steps.reduce((m, s) => m + s.length, 0), 0);
}

const WEAK = new Set(['NO_ANSWER', 'ORIGINATOR_CANCEL', 'LOSE_RACE', 'NONE']);

function better(a: OriginateResult | undefined, b: OriginateResult): OriginateResult {
  if (!a || a.ok) return b;
  if (b.ok) return b;
  return WEAK.has(a.cause) && !WEAK.has(b.cause) ? b : a;
}

type Start = (signal: AbortSignal) => Promise<OriginateResult>;

/** Runs attempts at once: the first answer wins, the rest lose the race. */
function race(starts: readonly Start[], outer: AbortSignal | undefined): Promise<OriginateResult> {
  return new Promise((resolve) => {
    const controllers = starts.map(() => new AbortController());
    const onOuter = (): void => {
      const reason: unknown = outer?.reason;
      for (const c of controllers) c.abort(typeof reason === 'string' ? reason : 'ORIGINATOR_CANCEL');
    };
    if (outer?.aborted) onOuter();
    else outer?.addEventListener('abort', onOuter, { once: true });
    let pending = starts.length;
    let winner: OriginateResult | undefined;
    let failure: OriginateResult | undefined;
    const finish = (r: OriginateResult): void => {
      outer?.removeEventListener('abort', onOuter);
      resolve(r);
    };
    starts.forEach((start, i) => {
      void start(controllers[i]!.signal).then((r) => {
        pending--;
        if (r.ok) {
          if (winner) {
            void r.channel.hangup('LOSE_RACE');
          } else {
            winner = r;
            controllers.forEach((c, j) => { if (j !== i) c.abort('LOSE_RACE'); });
            finish(r);
          }
        } else {
          failure = better(failure, r);
        }
        if (pending === 0 && !winner) finish(failure ?? { ok: false, cause: 'NO_ROUTE_DESTINATION' });
      });
    });
    if (starts.length === 0) finish({ ok: false, cause: 'NO_ROUTE_DESTINATION' });
  });
}

/** Places the plan's calls; `optionsFor` turns a leg's merged variables into originate options. */
export function dialPlan(
  sw: Switch, plan: DialPlan, optionsFor: (variables: Record<string, string>) => OriginateOptions, outer?: AbortSignal,
): Promise<OriginateResult> {
  const groupStart = (g: DialGroup): Start => async (signal) => {
    let failure: OriginateResult | undefined;
    for (const step of g.steps) {
      if (signal.aborted) break;
      const r = await race(step.map((leg): Start => (legSignal) => sw.originate(leg.target, {
        ...optionsFor({ ...plan.variables, ...g.variables, ...leg.variables }), signal: legSignal,
      })), signal);
      if (r.ok) return r;
      failure = better(failure, r);
    }
    return failure ?? { ok: false, cause: 'ORIGINATOR_CANCEL' };
  };
  return race(plan.groups.map(groupStart), outer);
}
