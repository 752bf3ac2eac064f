/**
 * `sendmsg [<uuid>]` + headers (specs/esl.md §2.2 sendmsg, §3.3): messages are queued to the channel
 * and answered `+OK` at once, except on a static (sync) outbound socket for its own channel, where the
 * app runs first and `+OK` follows; unknown uuid `-ERR invalid session id [<uuid>]`. call-command `execute`
 * (execute-app-name, execute-app-arg or a text/plain body, loops, Event-UUID -> Application-UUID,
 * Event-UUID-Name) and `hangup` (hangup-cause, default NORMAL_CLEARING) are carried out; other
 * call-commands are accepted and logged.
 */
import { parseHangupCause } from '../../../core/index.ts';
import { headerValue } from '../framing.ts';
import { reply, type CommandHandler } from './command.ts';

export const sendmsg: CommandHandler = {
  name: 'sendmsg',
  async exec(ctx) {
    const { command, services, state } = ctx;
    const id = ctx.arg.trim() || headerValue(command.headers, 'session-id')?.trim() || ctx.state.boundUuid || '';
    const channel = services.sw.channel(id);
    if (!channel) return reply(`-ERR invalid session id [${id}]`);
    const h = (name: string): string | undefined => headerValue(command.headers, name);
    const callCommand = (h('call-command') ?? '').toLowerCase();
    // A static (sync) outbound socket runs its own channel's messages right here, and replies after
    // the app returned (§3.3); `async: true` queues anyway.
    const sync = state.outbound !== undefined && !state.outbound.async && channel.uuid === state.boundUuid
      && (h('async') ?? '').toLowerCase() !== 'true';
    if (callCommand === 'hangup') {
      void channel.hangup(parseHangupCause(h('hangup-cause') ?? 'NORMAL_CLEARING') ?? 'NORMAL_CLEARING');
      return reply('+OK');
    }
    if (callCommand === 'execute') {
      const app = h('execute-app-name') ?? '';
      let arg = h('execute-app-arg');
      if (arg === undefined && (h('content-type') ?? '').toLowerCase() === 'text/plain') arg = command.body ?? '';
      const loops = Number(h('loops') ?? '1');
      const appUuid = h('event-uuid');
      const appUuidName = h('event-uuid-name');
      const options = { ...(appUuid ? { appUuid } : {}), ...(appUuidName ? { appUuidName } : {}) };
      const times = loops < 0 ? 1 : Math.max(1, Math.min(loops, 1000));
      if (sync) {
        for (let i = 0; i < times && !channel.ended; i++) await services.apps.run(channel, app, arg ?? '', options);
        return reply('+OK');
      }
      for (let i = 0; i < times; i++) void services.apps.execute(channel, app, arg ?? '', options);
      return reply('+OK');
    }
    services.log.info({ uuid: id, callCommand }, 'sendmsg call-command not supported; ignored');
    return reply('+OK');
  },
};
