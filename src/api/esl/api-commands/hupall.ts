/**
 * API `hupall [<cause>] [<var> <val>]` (specs/esl.md §5, §7): no cause, NONE or 0 -> MANAGER_REQUEST;
 * an unknown name -> NORMAL_CLEARING.
 */
import { parseHangupCause, type HangupCause } from '../../../core/index.ts';
import type { ApiCommand } from './api-command.ts';

export const hupall: ApiCommand = {
  name: 'hupall',
  usage: '<cause> [<var> <value>]',
  exec(args, ctx) {
    const [causeText, name, value] = args.trim().split(/\s+/);
    let cause: HangupCause = 'MANAGER_REQUEST';
    if (causeText && causeText.toUpperCase() !== 'NONE' && causeText !== '0') cause = parseHangupCause(causeText) ?? 'NORMAL_CLEARING';
    for (const ch of ctx.sw.channels()) {
      if (name !== undefined && ch.getVariable(name) !== value) continue;
      void ch.hangup(cause);
    }
    if (name !== undefined) return `+OK hangup all channels matching [${name}]=[${value ?? ''}] with cause: ${cause}\n`;
    return `+OK hangup all channels with cause ${cause}\n`;
  },
};
