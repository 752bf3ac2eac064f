/** `tag` (specs/jambonz.md §3.A, §8.10): `data` becomes `customerData` on later hooks, replacing it. */
import { asRecord } from '../verb-data.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const tag: VerbHandler = {
  name: 'tag',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    const data = asRecord(ctx.verb['data']);
    if (!data) {
      ctx.services.notifyError({ msg: 'invalid verb', details: 'tag: data must be an object' }, ctx.verb);
      return;
    }
    ctx.services.setCustomerData(data);
  },
};
