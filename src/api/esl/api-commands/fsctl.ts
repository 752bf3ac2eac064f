/**
 * API `fsctl <subcommand>` (specs/esl.md §5 fsctl; reply texts of mod_commands ctl_function and the
 * core's switch_core_session_ctl), the subcommands that make sense here:
 * - `pause [inbound|outbound]` / `resume [inbound|outbound]`: core admission's pause flags (without a
 *   direction: everything; inbound: new SIP calls get 503; outbound: originate `-ERR SWITCH_CONGESTION`);
 *   calls in progress go on; `+OK`. `pause_check [inbound|outbound]` (the flag of that scope),
 *   `ready_check`: `true` / `false` (no newline).
 * - `max_sessions [<n>]`, `sps [<n>]`: set (n > 0) or read the core admission limits;
 *   `+OK max sessions: <n>`, `+OK sessions per second: <n>` (0: no limit). `last_sps`: new sessions in
 *   the last whole second.
 * - `loglevel [<level>]`: the server's log level (a number or DISABLE/CONSOLE/.../DEBUG), pino levels
 *   underneath; `+OK log level: <NAME> [<n>]`, `-ERR syntax error, log level not set!`. Without a level
 *   it reads the level (the original sets DISABLE then).
 * - `debug_level [<n>]` (0-10), `min_idle_cpu [<pct>]` (reported, not enforced),
 *   `min_dtmf_duration` / `max_dtmf_duration` / `default_dtmf_duration [<samples>]` (400-192000, the
 *   default used by send_dtmf / uuid_send_dtmf without a duration).
 * - `hupall`: every channel hangs up with MANAGER_REQUEST (a cause word is ignored, as the original).
 * - `api_expansion [on|off]`: `${api(args)}` expansion of app arguments and eval.
 * - `shutdown ...`: refused (`-ERR shutdown is not allowed from the event socket`), the server is stopped
 *   by its own process manager; `shutdown_check`: `false`.
 * - `reclaim_mem`, `sync_clock`: nothing to do; `+OK`, `+OK clock synchronized`.
 * Others: `-ERR Invalid command\nUSAGE: fsctl <syntax>`.
 */
import type { PauseScope, Switch } from '../../../core/index.ts';
import { FS_LOG_INVALID, fsLevelName, parseFsLevel } from '../log-level.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

const SYNTAX = '[pause [inbound|outbound]|resume [inbound|outbound]|pause_check [inbound|outbound]|ready_check|'
  + 'shutdown_check|hupall|max_sessions [num]|sps [num]|last_sps|api_expansion [on|off]|reclaim_mem|sync_clock|'
  + 'min_dtmf_duration [num]|max_dtmf_duration [num]|default_dtmf_duration [num]|min_idle_cpu [num]|'
  + 'loglevel [level]|debug_level [level]]';

function scopeOf(arg: string | undefined): PauseScope {
  const a = (arg ?? '').toLowerCase();
  return a === 'inbound' || a === 'outbound' ? a : 'all';
}

/** C atoi: leading integer, else 0. */
function atoi(text: string | undefined): number {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/** C atof: leading number, else 0. */
function atof(text: string | undefined): number {
  const n = Number.parseFloat(text ?? '');
  return Number.isFinite(n) ? n : 0;
}

function maxSessions(ctx: ApiContext, arg: string | undefined): string {
  const n = atoi(arg);
  if (n > 0) {
    ctx.maxSessions = n;
    ctx.sw.admission.configure({ ...ctx.sw.admission.options, maxSessions: n });
  }
  return `+OK max sessions: ${ctx.maxSessions}\n`;
}

function sps(ctx: ApiContext, arg: string | undefined): string {
  const n = atoi(arg);
  if (n > 0) {
    const { burst: _burst, ...rest } = ctx.sw.admission.options;
    ctx.sw.admission.configure({ ...rest, sessionsPerSecond: n });
  }
  return `+OK sessions per second: ${Math.trunc(ctx.sw.admission.options.sessionsPerSecond ?? 0)}\n`;
}

function logLevel(ctx: ApiContext, arg: string | undefined): string {
  if (arg === undefined) {
    const level = ctx.logLevel.level;
    return `+OK log level: ${fsLevelName(level)} [${level}]\n`;
  }
  const parsed = parseFsLevel(arg);
  if (parsed === undefined || parsed === FS_LOG_INVALID) return '-ERR syntax error, log level not set!\n';
  const level = ctx.logLevel.set(parsed);
  return `+OK log level: ${fsLevelName(level)} [${level}]\n`;
}

function minIdleCpu(ctx: ApiContext, arg: string | undefined): string {
  const d = arg === undefined ? -1 : atof(arg);
  if (d >= 0) ctx.settings.minIdleCpu = d;
  const v = ctx.settings.minIdleCpu;
  return v ? `+OK min idle cpu: ${v.toFixed(2)}%\n` : '+OK min idle cpu: DISABLED\n';
}

function debugLevel(ctx: ApiContext, arg: string | undefined): string {
  const n = arg === undefined ? -1 : atoi(arg);
  if (n > -1) ctx.settings.debugLevel = Math.min(n, 10);
  return `+OK DEBUG level: ${ctx.settings.debugLevel}\n`;
}

function hangupAll(sw: Switch): string {
  for (const ch of sw.channels()) void ch.hangup('MANAGER_REQUEST');
  return '+OK\n';
}

export const fsctl: ApiCommand = {
  name: 'fsctl',
  usage: SYNTAX,
  exec(args, ctx) {
    const [sub, arg] = args.split(' ').filter((w) => w !== '');
    if (sub === undefined) return `-USAGE: ${SYNTAX}\n`;
    const admission = ctx.sw.admission;
    switch (sub.toLowerCase()) {
      case 'pause': admission.setPaused(scopeOf(arg), true); return '+OK\n';
      case 'resume': admission.setPaused(scopeOf(arg), false); return '+OK\n';
      case 'pause_check': return admission.isPaused(scopeOf(arg)) ? 'true' : 'false';
      case 'ready_check': return admission.isPaused('all') || ctx.sw.closed ? 'false' : 'true';
      case 'shutdown_check': return 'false';
      case 'shutdown': return '-ERR shutdown is not allowed from the event socket\n';
      case 'hupall': return hangupAll(ctx.sw);
      case 'max_sessions': return maxSessions(ctx, arg);
      case 'sps': return sps(ctx, arg);
      case 'last_sps': return `+OK last sessions per second: ${ctx.settings.lastSps()}\n`;
      case 'loglevel': return logLevel(ctx, arg);
      case 'debug_level': return debugLevel(ctx, arg);
      case 'min_idle_cpu': return minIdleCpu(ctx, arg);
      case 'max_dtmf_duration': return `+OK max dtmf duration: ${ctx.settings.maxDtmf(atoi(arg))}\n`;
      case 'min_dtmf_duration': return `+OK min dtmf duration: ${ctx.settings.minDtmf(atoi(arg))}\n`;
      case 'default_dtmf_duration': return `+OK default dtmf duration: ${ctx.settings.defaultDtmf(atoi(arg))}\n`;
      case 'api_expansion':
        if (arg !== undefined) ctx.apps.apiExpansion = /^(on|true|yes|1|enabled?|active|allow)$/i.test(arg);
        return `+OK api_expansion is ${ctx.apps.apiExpansion ? 'on' : 'off'} \n`;
      case 'reclaim_mem': return '+OK\n';
      case 'sync_clock': return '+OK clock synchronized\n';
      default: return `-ERR Invalid command\nUSAGE: fsctl ${SYNTAX}\n`;
    }
  },
};
