/**
 * Dial patterns for routing called numbers, in the notation PBX dialplans use (Asterisk extension
 * patterns, which FreeSWITCH users also write as regexes): a leading `_` is optional, and
 *   X = any digit 0-9, N = 2-9, Z = 1-9, [15-7] = one digit from the set,
 *   .  = one or more further characters (a prefix rule), ! = zero or more,
 * any other character stands for itself. Letters X, N, Z are case-insensitive. A pattern matches the
 * whole number: `1NXXNXXXXXX` is an 11-digit NANP number, `9.` is anything dialled after a 9.
 */
import { CoreError } from './core-error.ts';

const SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

export function compileDialPattern(pattern: string): RegExp {
  const body = pattern.startsWith('_') ? pattern.slice(1) : pattern;
  if (body === '') throw new CoreError('CORE_ROUTE_INVALID', 'empty dial pattern');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    switch (c.toUpperCase()) {
      case 'X': out += '[0-9]'; continue;
      case 'N': out += '[2-9]'; continue;
      case 'Z': out += '[1-9]'; continue;
      default: break;
    }
    if (c === '.') {
      out += '.+';
    } else if (c === '!') {
      out += '.*';
    } else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      const set = end < 0 ? '' : body.slice(i + 1, end);
      if (!/^(?:[0-9*#](?:-[0-9])?)+$/.test(set)) {
        throw new CoreError('CORE_ROUTE_INVALID', `bad character class in dial pattern ${pattern}`);
      }
      out += `[${set.replace(/[*#]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else {
      out += c.replace(SPECIAL, (m) => `\\${m}`);
    }
  }
  return new RegExp(`^${out}$`);
}
