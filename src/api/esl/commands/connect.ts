/**
 * `connect` (specs/esl.md §3.2): on a socket that controls a channel, answers with the header-only
 * CHANNEL_DATA frame of outbound/connect-frame.ts (no command/reply of its own). Elsewhere:
 * `-ERR command not found`.
 */
import { connectFrame } from '../outbound/connect-frame.ts';
import { reply, type CommandHandler } from './command.ts';

export const connect: CommandHandler = {
  name: 'connect',
  exec(ctx) {
    const { state, services } = ctx;
    const channel = state.boundUuid === undefined ? undefined : services.sw.channel(state.boundUuid);
    if (!channel) return reply('-ERR command not found');
    if (state.outbound) state.outbound.connected = true;
    const standard = services.hub.stamper.standard('CHANNEL_DATA', ['switchboard', 'socket_function', 0]);
    const mode = { async: state.outbound?.async ?? true, full: state.outbound?.full ?? true };
    return { kind: 'frame', data: connectFrame(standard, channel.snapshot(), mode) };
  },
};
