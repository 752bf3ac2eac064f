/**
 * Variable applications (specs/esl.md §6): `set_global <var>=<value>` (a global variable, as the API
 * global_setvar; an empty value removes it) and `push` / `unshift <var>=<value>`, which append / prepend
 * to an array variable in the original's encoding `ARRAY::a|:b|:c` (a plain value becomes the first
 * element; an unset variable takes the bare value).
 */
import type { AppFn } from '../apps.ts';

const ARRAY_PREFIX = 'ARRAY::';
const ARRAY_SEPARATOR = '|:';

function splitPair(arg: string): [string, string] | undefined {
  const eq = arg.indexOf('=');
  if (eq <= 0) return undefined;
  return [arg.slice(0, eq).trim(), arg.slice(eq + 1)];
}

/** The elements of an array variable (a plain value is one element; unset or empty is none). */
export function arrayElements(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return value.startsWith(ARRAY_PREFIX) ? value.slice(ARRAY_PREFIX.length).split(ARRAY_SEPARATOR) : [value];
}

/** Encodes elements as the original stores them: one element bare, more as `ARRAY::a|:b`. */
export function encodeArray(elements: readonly string[]): string {
  return elements.length === 1 ? elements[0]! : `${ARRAY_PREFIX}${elements.join(ARRAY_SEPARATOR)}`;
}

export const setGlobal: AppFn = async (_ch, arg, runner) => {
  const pair = splitPair(arg.trim());
  if (!pair) return '-ERR';
  const [name, value] = pair;
  if (value === '') runner.globals.delete(name);
  else runner.globals.set(name, value);
  return '_none_';
};

function arrayApp(front: boolean): AppFn {
  return async (ch, arg) => {
    const pair = splitPair(arg.trim());
    if (!pair) return '-ERR';
    const [name, value] = pair;
    const elements = arrayElements(ch.getVariable(name));
    if (front) elements.unshift(value);
    else elements.push(value);
    ch.setVariable(name, encodeArray(elements));
    return '_none_';
  };
}

export const push: AppFn = arrayApp(false);
export const unshift: AppFn = arrayApp(true);
