/**
 * Small per-leg APIs (specs/esl.md §5): `uuid_ring_ready <uuid>` (180 to an inbound caller),
 * `uuid_deflect <uuid> <sip uri>` (REFER the answered leg elsewhere), `uuid_flush_dtmf <uuid>` (nothing
 * is buffered, so nothing to flush). `+OK` / `-ERR No such channel!` / `-ERR <reason>`.
 */
import { NO_CHANNEL, firstWord, type ApiCommand } from './api-command.ts';

export const uuidRingReady: ApiCommand = {
  name: 'uuid_ring_ready',
  usage: '<uuid>',
  async exec(args, ctx) {
    const channel = ctx.sw.channel(firstWord(args)[0]);
    if (!channel) return NO_CHANNEL;
    const r = await channel.ringing();
    return r.ok ? '+OK\n' : `-ERR ${r.error.message}\n`;
  },
};

export const uuidDeflect: ApiCommand = {
  name: 'uuid_deflect',
  usage: '<uuid> <uri>',
  async exec(args, ctx) {
    const [id, uri] = firstWord(args);
    if (id === '' || uri === '') return `-USAGE: ${this.usage}\n`;
    const channel = ctx.sw.channel(id);
    if (!channel) return NO_CHANNEL;
    const r = await channel.transfer(uri);
    return r.ok ? '+OK:deflect initiated\n' : `-ERR ${r.error.message}\n`;
  },
};

export const uuidFlushDtmf: ApiCommand = {
  name: 'uuid_flush_dtmf',
  usage: '<uuid>',
  exec(args, ctx) {
    return ctx.sw.channel(firstWord(args)[0]) ? '+OK\n' : NO_CHANNEL;
  },
};
