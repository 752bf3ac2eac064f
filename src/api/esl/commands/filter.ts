/**
 * `filter [add] <header> <value>`, `filter delete <header> [<value>]`, `filter delete all`
 * (specs/esl.md §2.2 filter, §1.4 reply texts).
 */
import { reply, type CommandHandler } from './command.ts';

function split(text: string): [string, string | undefined] {
  const i = text.indexOf(' ');
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

export const filter: CommandHandler = {
  name: 'filter',
  exec(ctx) {
    const filters = ctx.state.filters;
    let [word, rest] = split(ctx.arg);
    if (word.toLowerCase() === 'delete') {
      if (rest === undefined || rest.trim() === '') return reply('-ERR invalid syntax');
      const [header, value] = split(rest);
      if (header.toLowerCase() === 'all') {
        filters.length = 0;
        return reply('+OK filter deleted. [all][]');
      }
      for (let i = filters.length - 1; i >= 0; i--) {
        const f = filters[i]!;
        if (f.header.toLowerCase() === header.toLowerCase() && (value === undefined || f.value === value)) filters.splice(i, 1);
      }
      return reply(`+OK filter deleted. [${header}][${value ?? ''}]`);
    }
    if (word.toLowerCase() === 'add' && rest !== undefined) [word, rest] = split(rest);
    if (word === '' || rest === undefined || rest === '') return reply('-ERR invalid syntax');
    filters.push({ header: word, value: rest });
    return reply(`+OK filter added. [${word}]=[${rest}]`);
  },
};
