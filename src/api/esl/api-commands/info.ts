/** Small informational APIs (specs/esl.md §5): `hostname`, `switchname`, `create_uuid`, `echo`, `msleep`. */
import { uuid } from '../../../lib/index.ts';
import type { ApiCommand } from './api-command.ts';

export const hostname: ApiCommand = { name: 'hostname', usage: '', exec: (_a, ctx) => ctx.hub.identity.hostname };
export const switchname: ApiCommand = { name: 'switchname', usage: '', exec: (_a, ctx) => ctx.hub.identity.switchname };
export const createUuid: ApiCommand = { name: 'create_uuid', usage: '', exec: () => uuid() };
export const echo: ApiCommand = { name: 'echo', usage: '<text>', exec: (args) => args };
export const msleep: ApiCommand = {
  name: 'msleep',
  usage: '<ms>',
  exec: (args, ctx) => new Promise((resolve) => { ctx.sw.clock.setTimeout(() => resolve('+OK'), Number(args) || 0); }),
};
