/** API `uuid_answer <uuid>` and `uuid_pre_answer <uuid>` (specs/esl.md §5): `+OK` / `-ERROR`. */
import type { ApiCommand } from './api-command.ts';

export const uuidAnswer: ApiCommand = {
  name: 'uuid_answer',
  usage: '<uuid>',
  async exec(args, ctx) {
    const channel = ctx.sw.channel(args.trim());
    if (!channel) return '-ERROR\n';
    if (channel.answered) return '+OK\n';
    const r = await channel.answer();
    return r.ok ? '+OK\n' : '-ERROR\n';
  },
};

export const uuidPreAnswer: ApiCommand = {
  name: 'uuid_pre_answer',
  usage: '<uuid>',
  async exec(args, ctx) {
    const channel = ctx.sw.channel(args.trim());
    if (!channel) return '-ERROR\n';
    const r = await channel.preAnswer();
    return r.ok ? '+OK\n' : '-ERROR\n';
  },
};
