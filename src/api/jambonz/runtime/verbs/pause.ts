/** `pause` (specs/jambonz.md §3.A): waits `length` seconds; does not answer the call (§8.8). */
import { asNumber } from '../verb-data.ts';
import { sleep, type VerbContext, type VerbHandler } from './verb.ts';

export const pause: VerbHandler = {
  name: 'pause',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    const seconds = asNumber(ctx.verb['length']) ?? 0;
    if (seconds > 0) await sleep(ctx.services.clock, seconds * 1000, ctx.signal);
  },
};
