/**
 * Commands of a session-bound socket (specs/esl.md §1.4, §2.2, §3.4, §3.5): `divert_events on|off`,
 * `linger [<secs>]`, `nolinger`, `getvar <name>` (also of the hung-up channel a lingering socket holds),
 * `resume`. Without a bound session they answer the
 * `not controlling a session` errors.
 */
import { channelVariables } from '../channel-headers.ts';
import { reply, type CommandHandler } from './command.ts';

export const divertEvents: CommandHandler = {
  name: 'divert_events',
  exec(ctx) {
    if (ctx.state.boundUuid === undefined) return reply('-ERR not controlling a session.');
    const value = ctx.arg.trim();
    if (value === '') return reply('-ERR missing value.');
    ctx.state.divert = value.toLowerCase() === 'on';
    return reply(ctx.state.divert ? '+OK events diverted' : '+OK events not diverted');
  },
};

export const linger: CommandHandler = {
  name: 'linger',
  exec(ctx) {
    if (ctx.state.boundUuid === undefined) return reply('-ERR not controlling a session');
    const secs = Number(ctx.arg.trim());
    if (ctx.arg.trim() !== '' && Number.isInteger(secs) && secs > 0) {
      ctx.state.linger = secs;
      return reply(`+OK will linger ${secs} seconds`);
    }
    ctx.state.linger = -1;
    return reply('+OK will linger');
  },
};

export const nolinger: CommandHandler = {
  name: 'nolinger',
  exec(ctx) {
    if (ctx.state.boundUuid === undefined) return reply('-ERR not controlling a session');
    delete ctx.state.linger;
    return reply('+OK will not linger');
  },
};

export const getvar: CommandHandler = {
  name: 'getvar',
  exec(ctx) {
    const id = ctx.state.boundUuid;
    // A lingering socket still reads its hung-up channel (hangup_cause, billsec ...) until it closes.
    const snapshot = id === undefined ? undefined : ctx.services.hub.snapshotOf(id);
    const value = snapshot ? new Map(channelVariables(snapshot)).get(ctx.arg.trim()) : undefined;
    return reply(value === undefined || value === '' ? '-ERR command not found' : value);
  },
};

export const resume: CommandHandler = {
  name: 'resume',
  exec(ctx) {
    if (ctx.state.boundUuid === undefined) return reply('-ERR command not found');
    ctx.services.sw.channel(ctx.state.boundUuid)?.setVariable('socket_resume', 'true');
    return reply('+OK');
  },
};
