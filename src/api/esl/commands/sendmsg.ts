/**
 * `sendmsg [<uuid>]` + headers (specs/esl.md §2.2 sendmsg, §3.3): messages are queued to the channel
 * and answered `+OK` at once, except on a static (sync) outbound socket for its own channel, where the
 * app runs first and `+OK` follows; unknown uuid `-ERR invalid session id [<uuid>]`. call-command `execute`
 * (execute-app-name, execute-app-arg or a text/plain body, loops, Event-UUID -> Application-UUID,
 * Event-UUID-Name, lead-frames, hold-bleg; `event-lock` needs nothing more, as a channel's messages
 * always run one at a time; `event-lock-pri: true` queues the message ahead of the ordinary ones still
 * waiting), `hangup` (hangup-cause, default NORMAL_CLEARING), `xferext` (repeated
 * `application: <app> <arg>` headers run as an inline extension), `unicast` (UDP audio mirror, see
 * unicast.ts) and `nomedia` (the bridged call of `nomedia-uuid` leaves the media path, see
 * api-commands/uuid-media.ts) are carried out; unknown call-commands are answered `+OK` and logged. A queued execute, once run, fires PRIVATE_COMMAND with the
 * message headers and the channel block.
 */
import { parseHangupCause } from '../../../core/index.ts';
import { channelHeaders } from '../channel-headers.ts';
import { headerValue } from '../framing.ts';
import { detach, runInline } from '../api-commands/uuid-transfer.ts';
import { setMediaPathOf } from '../api-commands/uuid-media.ts';
import { parseUnicast, startUnicast } from '../unicast.ts';
import { reply, type CommandHandler } from './command.ts';

const MAX_LOOPS = 1000;

/**
 * `loops: <n>` (n < 0: until the channel ends); a forever loop stops early when an iteration took less
 * than 0.5 s (§2.2 sendmsg), and never runs more than MAX_LOOPS times.
 */
async function repeat(loops: number, channel: { ended: boolean }, once: () => Promise<unknown>, now: () => number): Promise<void> {
  const forever = !(loops >= 0);
  const times = forever ? MAX_LOOPS : Math.max(1, Math.min(loops, MAX_LOOPS));
  for (let i = 0; i < times && !channel.ended; i++) {
    const started = now();
    await once();
    if (forever && now() - started < 500) return;
  }
}

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
      const rawLoops = Number(h('loops') ?? '1');
      const loops = Number.isFinite(rawLoops) ? Math.trunc(rawLoops) : 1;
      const appUuid = h('event-uuid');
      const appUuidName = h('event-uuid-name');
      const lead = Number(h('lead-frames') ?? '');
      const options = {
        ...(appUuid ? { appUuid } : {}), ...(appUuidName ? { appUuidName } : {}),
        ...(Number.isFinite(lead) && lead > 0 ? { leadFrames: lead } : {}),
        ...((h('hold-bleg') ?? '').toLowerCase() === 'true' ? { holdBleg: true } : {}),
        ...((h('event-lock-pri') ?? '').toLowerCase() === 'true' ? { priority: true } : {}),
      };
      if (sync) {
        await repeat(loops, channel, () => services.apps.run(channel, app, arg ?? '', options), () => services.sw.now());
        return reply('+OK');
      }
      const runs: Promise<unknown>[] = [];
      if (loops < 0) {
        runs.push(repeat(loops, channel, () => services.apps.execute(channel, app, arg ?? '', options), () => services.sw.now()));
      } else {
        for (let i = 0; i < Math.max(1, Math.min(loops, MAX_LOOPS)); i++) runs.push(services.apps.execute(channel, app, arg ?? '', options));
      }
      // A queued message, once processed, is announced by PRIVATE_COMMAND (§2.2 sendmsg).
      void Promise.all(runs).then(() => services.hub.fire({
        name: 'PRIVATE_COMMAND', origin: ['switchboard', 'parse_event', 0],
        headers: [...command.headers.filter(([n]) => n.toLowerCase() !== 'content-length'), ...channelHeaders(channel.snapshot())],
      }));
      return reply('+OK');
    }
    if (callCommand === 'xferext') {
      // An inline extension made of the message's `application: <app> <arg>` headers (§2.2 sendmsg).
      const steps = command.headers.filter(([n]) => n.toLowerCase() === 'application').map(([, v]): [string, string] => {
        const t = v.trim();
        const sp = t.indexOf(' ');
        return sp < 0 ? [t, ''] : [t.slice(0, sp), t.slice(sp + 1)];
      });
      detach(services, channel);
      void runInline(services.apps, channel, steps);
      return reply('+OK');
    }
    if (callCommand === 'unicast') {
      // Answered +OK whatever happens, as the original (the message is carried out by the channel later).
      const spec = parseUnicast(h);
      void startUnicast(channel, spec, services.log).then((r) => {
        if (typeof r === 'string') services.log.warn({ uuid: id, reason: r }, 'sendmsg unicast failed');
      });
      return reply('+OK');
    }
    if (callCommand === 'nomedia') {
      // The channel named by nomedia-uuid (none: nothing happens) leaves the media path, as uuid_media off.
      const target = h('nomedia-uuid')?.trim();
      if (target) {
        void setMediaPathOf(services.sw, target, 'bypassed', services.log).then((ok) => {
          if (!ok) services.log.warn({ uuid: id, nomediaUuid: target }, 'sendmsg nomedia failed');
        });
      } else {
        services.log.info({ uuid: id }, 'sendmsg nomedia without nomedia-uuid; ignored');
      }
      return reply('+OK');
    }
    services.log.info({ uuid: id, callCommand }, 'sendmsg call-command not supported; ignored');
    return reply('+OK');
  },
};
