/** APIs `global_getvar [<var>]` and `global_setvar <var>=<value>` (specs/esl.md §5). */
import type { ApiCommand } from './api-command.ts';

export const globalGetvar: ApiCommand = {
  name: 'global_getvar',
  usage: '<var>',
  exec(args, ctx) {
    const name = args.trim();
    if (name === '') return [...ctx.globals].map(([k, v]) => `${k}=${v}\n`).join('');
    return ctx.globals.get(name) ?? '';
  },
};

export const globalSetvar: ApiCommand = {
  name: 'global_setvar',
  usage: '<var>=<value>',
  exec(args, ctx) {
    const text = args.trim();
    const eq = text.indexOf('=');
    if (eq <= 0) return `-USAGE: ${this.usage}\n`;
    const name = text.slice(0, eq).trim();
    const value = text.slice(eq + 1);
    if (value === '') ctx.globals.delete(name);
    else ctx.globals.set(name, value);
    return '+OK';
  },
};
