/**
 * API `fsctl <subcommand>` (specs/esl.md §5 fsctl), the subcommands that make sense here, with the
 * original's reply texts:
 * - `pause [inbound|outbound]` / `resume [inbound|outbound]`: new sessions are refused (503 from the SIP
 *   endpoint, SWITCH_CONGESTION to originate) while calls in progress go on; `+OK`. Both directions
 *   pause together: core admission has one gate. `pause_check [inbound|outbound]` / `ready_check`:
 *   `true` / `false`.
 * - `max_sessions [<n>]`, `sps [<n>]`: set (n > 0) or read the core admission limits;
 *   `+OK max sessions: <n>`, `+OK sessions per second: <n>` (0: no limit).
 * - `api_expansion [on|off]`: `${api(args)}` expansion of app arguments and eval; `+OK api_expansion is ON|OFF`.
 * - `shutdown ...`: refused (`-ERR shutdown is not allowed from the event socket`), the server is stopped
 *   by its own process manager; `shutdown_check`: `false`.
 * - `reclaim_mem`, `sync_clock`: nothing to do; `+OK`, `+OK clock synchronized`.
 * Others: `-ERR INVALID COMMAND\nUSAGE: fsctl <syntax>` (no newline at the end, as the original).
 */
import type { Switch } from '../../../core/index.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

const SYNTAX = '[pause [inbound|outbound]|resume [inbound|outbound]|pause_check [inbound|outbound]|ready_check|'
  + 'shutdown_check|max_sessions [num]|sps [num]|api_expansion [on|off]|reclaim_mem|sync_clock]';

/** The admission limits set aside while paused, by switch. */
const paused = new WeakMap<Switch, { maxSessions?: number }>();

function isPaused(sw: Switch): boolean {
  return paused.has(sw);
}

function pause(sw: Switch): void {
  if (isPaused(sw)) return;
  const current = sw.admission.options;
  paused.set(sw, current.maxSessions === undefined ? {} : { maxSessions: current.maxSessions });
  sw.admission.configure({ ...current, maxSessions: 0 });
}

function resume(sw: Switch): void {
  const saved = paused.get(sw);
  if (!saved) return;
  paused.delete(sw);
  const { maxSessions: _paused, ...rest } = sw.admission.options;
  sw.admission.configure({ ...rest, ...saved });
}

function maxSessions(ctx: ApiContext, arg: string | undefined): string {
  const n = Number.parseInt(arg ?? '', 10);
  if (n > 0) {
    ctx.maxSessions = n;
    const saved = paused.get(ctx.sw);
    if (saved) saved.maxSessions = n;
    else ctx.sw.admission.configure({ ...ctx.sw.admission.options, maxSessions: n });
  }
  return `+OK max sessions: ${ctx.maxSessions}\n`;
}

function sps(ctx: ApiContext, arg: string | undefined): string {
  const n = Number.parseInt(arg ?? '', 10);
  if (n > 0) {
    const { burst: _burst, ...rest } = ctx.sw.admission.options;
    ctx.sw.admission.configure({ ...rest, sessionsPerSecond: n });
  }
  return `+OK sessions per second: ${Math.trunc(ctx.sw.admission.options.sessionsPerSecond ?? 0)}\n`;
}

export const fsctl: ApiCommand = {
  name: 'fsctl',
  usage: SYNTAX,
  exec(args, ctx) {
    const [sub, arg] = args.split(' ').filter((w) => w !== '');
    if (sub === undefined) return `-USAGE: ${SYNTAX}\n`;
    switch (sub.toLowerCase()) {
      case 'pause': pause(ctx.sw); return '+OK\n';
      case 'resume': resume(ctx.sw); return '+OK\n';
      case 'pause_check': return isPaused(ctx.sw) ? 'true' : 'false';
      case 'ready_check': return isPaused(ctx.sw) || ctx.sw.closed ? 'false' : 'true';
      case 'shutdown_check': return 'false';
      case 'shutdown': return '-ERR shutdown is not allowed from the event socket\n';
      case 'max_sessions': return maxSessions(ctx, arg);
      case 'sps': return sps(ctx, arg);
      case 'api_expansion':
        if (arg !== undefined) ctx.apps.apiExpansion = /^(on|true|yes|1|enabled?|active|allow)$/i.test(arg);
        return `+OK api_expansion is ${ctx.apps.apiExpansion ? 'ON' : 'OFF'}\n`;
      case 'reclaim_mem': return '+OK\n';
      case 'sync_clock': return '+OK clock synchronized\n';
      default: return `-ERR INVALID COMMAND\nUSAGE: fsctl ${SYNTAX}`;
    }
  },
};
