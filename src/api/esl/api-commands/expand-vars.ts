/**
 * `${name}` / `$${name}` expansion for eval and expand (specs/esl.md §5 eval/expand, §6): `${name}` reads
 * the channel variable when a channel is given, otherwise the global; `$${name}` always the global; an
 * unset name becomes empty. `${name(args)}` API calls are not expanded. Pure.
 */

export function expandVars(text: string, lookup: (name: string, global: boolean) => string | undefined): string {
  return text.replace(/(\$?)\$\{([A-Za-z0-9_.:-]+)\}/g, (_m, dollar: string, name: string) => lookup(name, dollar === '$') ?? '');
}

/** `uuid:<uuid> rest` -> the uuid and the rest; otherwise no uuid. */
export function splitUuidPrefix(text: string): { uuid?: string; rest: string } {
  const m = /^uuid:(\S+)\s*(.*)$/s.exec(text);
  return m ? { uuid: m[1]!, rest: m[2]! } : { rest: text };
}
