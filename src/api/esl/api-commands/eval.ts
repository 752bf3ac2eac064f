/**
 * API `eval [uuid:<uuid> ]<text>` and `expand [uuid:<uuid> ]<api> <args>` (specs/esl.md §5): `${var}`
 * expansion against the channel (with `uuid:`, falling back to the globals) or the global variables,
 * `$${var}` always global, `${var:offset[:length]}` substrings and `${api(args)}` calls; eval
 * returns the text (no newline), expand runs the expanded API line.
 */
import { channelVariables } from '../channel-headers.ts';
import { expandVarsAsync, splitUuidPrefix } from './expand-vars.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

async function expanded(text: string, ctx: ApiContext): Promise<string | undefined> {
  const { uuid, rest } = splitUuidPrefix(text);
  let vars: Map<string, string> | undefined;
  if (uuid !== undefined) {
    const channel = ctx.sw.channel(uuid);
    if (!channel) return undefined;
    vars = new Map(channelVariables(channel.snapshot()));
  }
  return expandVarsAsync(rest, (name, global) => (global || !vars ? ctx.globals.get(name) : vars.get(name) ?? ctx.globals.get(name)),
    ctx.apps.apiExpansion ? (command, args) => ctx.run(command, args) : undefined);
}

export const evalApi: ApiCommand = {
  name: 'eval',
  usage: '[uuid:<uuid> ]<expression>',
  async exec(args, ctx) {
    const out = await expanded(args, ctx);
    return out === undefined ? '-ERR No such channel!\n' : out;
  },
};

export const expand: ApiCommand = {
  name: 'expand',
  usage: '[uuid:<uuid> ]<cmd> <args>',
  async exec(args, ctx) {
    const line = await expanded(args, ctx);
    if (line === undefined) return '-ERR No such channel!\n';
    const t = line.trim();
    if (t === '') return `-USAGE: ${this.usage}\n`;
    const i = t.indexOf(' ');
    return ctx.run(i < 0 ? t : t.slice(0, i), i < 0 ? '' : t.slice(i + 1).trim());
  },
};
