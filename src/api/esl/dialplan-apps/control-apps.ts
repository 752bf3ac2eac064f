/**
 * Dialplan applications around call control and variables (specs/esl.md §6): `transfer
 * [-bleg|-both] <exten> [<dialplan> [<context>]]` (the configured dialplan when it owns the context, else core routing again;
 * `inline` runs `app:arg,...`),
 * `sched_hangup +<secs>|<epoch> [<cause>]` (default ALLOTTED_TIMEOUT), `wait_for_answer`, `break`,
 * `hold` / `unhold`, `multiset [^^<d>]<v>=<x> <v2>=<y>`, `log [<level>] <message>`, `info [<level>]`
 * (the channel data, as uuid_dump, to the server log), `event Header=value,...` (fires
 * CHANNEL_APPLICATION, or the type named by Event-Name, with the channel block) and `sched_transfer
 * +<secs>|<epoch> <exten> [<dialplan> [<context>]]` (a transfer on the switch clock, dropped at hangup).
 */
import { parseHangupCause, type Channel } from '../../../core/index.ts';
import { detach, runInline } from '../api-commands/uuid-transfer.ts';
import { dialplanOf } from '../dialplan/index.ts';
import type { AppFn, AppRunner } from '../apps.ts';
import { channelHeaders } from '../channel-headers.ts';
import { canonicalEventName } from '../event-names.ts';
import type { EventHeader } from '../esl-event.ts';

function moveTo(runner: AppRunner, ch: Channel, dest: string, dialplan: string | undefined, context?: string): void {
  detach({ sw: runner.sw, apps: runner }, ch);
  ch.setVariable('transfer_destination', dest);
  // The configured dialplan takes `<dest> [XML [<context>]]` when it owns the context (the leg's own when none is named).
  if (dialplan?.toLowerCase() !== 'inline' && dialplanOf(runner)?.transfer(ch, dest, context) === true) return;
  if (dialplan?.toLowerCase() === 'inline') {
    void runInline(runner, ch, dest.split(/(?<!\\),/).map((step): [string, string] => {
      const colon = step.indexOf(':');
      return [(colon < 0 ? step : step.slice(0, colon)).trim(), colon < 0 ? '' : step.slice(colon + 1).replace(/\\,/g, ',')];
    }));
    return;
  }
  void runner.sw.route(ch, { destination: dest });
}

export const transferApp: AppFn = async (ch, arg, runner) => {
  const w = arg.trim().split(/\s+/).filter((x) => x !== '');
  let leg = 'aleg';
  if (w[0] === '-bleg' || w[0] === '-both') leg = w.shift()!.slice(1);
  const [dest, dialplan, context] = w;
  if (dest === undefined) return '-ERR';
  const partner = ch.bridgedTo === undefined ? undefined : runner.sw.channel(ch.bridgedTo);
  if (leg !== 'aleg' && partner) moveTo(runner, partner, dest, dialplan, context);
  if (leg !== 'bleg') moveTo(runner, ch, dest, dialplan, context);
  return '_none_';
};

export const schedHangupApp: AppFn = async (ch, arg, runner) => {
  const [when = '', causeText] = arg.trim().split(/\s+/);
  const m = /^(\+?)(\d+)$/.exec(when);
  if (!m) return '-ERR';
  const ms = m[1] === '+' ? Number(m[2]) * 1000 : Math.max(0, Number(m[2]) * 1000 - runner.sw.now());
  const cause = parseHangupCause(causeText ?? 'ALLOTTED_TIMEOUT') ?? 'ALLOTTED_TIMEOUT';
  const timer = runner.sw.clock.setTimeout(() => void ch.hangup(cause), ms);
  ch.on('hangup', () => timer.cancel());
  return '_none_';
};

/** `sched_transfer +<secs>|<epoch> <exten> [<dialplan> [<context>]]`: transfer later, unless hung up before. */
export const schedTransferApp: AppFn = async (ch, arg, runner) => {
  const [when = '', dest, dialplan, context] = arg.trim().split(/\s+/);
  const m = /^(\+?)(\d+)$/.exec(when);
  if (!m || dest === undefined) return '-ERR';
  const ms = m[1] === '+' ? Number(m[2]) * 1000 : Math.max(0, Number(m[2]) * 1000 - runner.sw.now());
  const timer = runner.sw.clock.setTimeout(() => { if (!ch.ended) moveTo(runner, ch, dest, dialplan, context); }, ms);
  ch.on('hangup', () => timer.cancel());
  return '_none_';
};

export const waitForAnswer: AppFn = async (ch) => {
  if (ch.answered || ch.ended) return '_none_';
  await new Promise<void>((resolve) => {
    const offs = [ch.on('answered', () => done()), ch.on('hangup', () => done())];
    function done(): void {
      for (const off of offs) off();
      resolve();
    }
  });
  return '_none_';
};

export const breakApp: AppFn = async (ch) => {
  ch.stopPlayback();
  return '_none_';
};

export const holdApp: AppFn = async (ch) => ((await ch.hold(true)).ok ? '_none_' : '-ERR');
export const unholdApp: AppFn = async (ch) => ((await ch.hold(false)).ok ? '_none_' : '-ERR');

export const multiset: AppFn = async (ch, arg) => {
  let text = arg.trim();
  let sep = ' ';
  const m = /^\^\^(.)/.exec(text);
  if (m) {
    sep = m[1]!;
    text = text.slice(3);
  }
  for (const pair of text.split(sep)) {
    const eq = pair.indexOf('=');
    if (eq > 0) ch.setVariable(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return '_none_';
};

const LOG_LEVELS: Readonly<Record<string, 'error' | 'warn' | 'info' | 'debug'>> = {
  console: 'info', alert: 'error', crit: 'error', err: 'error', error: 'error', warning: 'warn', notice: 'info', info: 'info', debug: 'debug',
};

export const logApp: AppFn = async (ch, arg) => {
  const t = arg.trim();
  const sp = t.indexOf(' ');
  const first = (sp < 0 ? t : t.slice(0, sp)).toLowerCase();
  const level = LOG_LEVELS[first];
  // A single word, or an unknown level word, is logged at DEBUG (the unknown word dropped).
  const message = sp < 0 ? t : t.slice(sp + 1);
  ch.log[sp < 0 ? 'debug' : level ?? 'debug'](message);
  return '_none_';
};

export const info: AppFn = async (ch, arg) => {
  const level = LOG_LEVELS[arg.trim().toLowerCase()] ?? 'info';
  const lines = channelHeaders(ch.snapshot(), { extended: true }).map(([n, v]) => `${n}: [${typeof v === 'string' ? v : v.join('|:')}]`);
  ch.log[level](`CHANNEL_DATA:\n${lines.join('\n')}`);
  return '_none_';
};

export const eventApp: AppFn = async (ch, arg, runner) => {
  const extra: EventHeader[] = [];
  let name = 'CHANNEL_APPLICATION';
  let subclass: string | undefined;
  for (const pair of arg.split(/(?<!\\),/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).replace(/\\,/g, ',');
    if (key.toLowerCase() === 'event-name') name = canonicalEventName(value) ?? name;
    else if (key.toLowerCase() === 'event-subclass') subclass = value;
    else extra.push([key, value]);
  }
  if (subclass !== undefined) name = 'CUSTOM';
  runner.hub.fire({
    name, origin: ['switchboard', 'event_function', 0], ...(subclass === undefined ? {} : { subclass }),
    headers: [...channelHeaders(ch.snapshot(), { extended: true }), ...extra],
  });
  return '_none_';
};
