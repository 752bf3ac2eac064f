/** `alert` (specs/jambonz.md §3.B, §8.10): writes an application alert with `message`; sends no SIP. */
import { asString } from '../verb-data.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const alert: VerbHandler = {
  name: 'alert',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    ctx.services.alert(asString(ctx.verb['message']) ?? '', ctx.verb);
  },
};
