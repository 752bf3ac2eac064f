/**
 * `enqueue` (specs/jambonz.md §3.A, §2.4). The work is done by queues/enqueue-call.ts; this is its entry in the
 * verb table.
 */
import { connectOf } from '../dial/connect-services.ts';
import { runEnqueue } from '../queues/enqueue-call.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const enqueue: VerbHandler = {
  name: 'enqueue',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const connect = connectOf(ctx.services);
    if (!connect) {
      ctx.services.notifyError({ msg: 'unsupported verb', details: 'enqueue is not available in this runtime' }, ctx.verb);
      return;
    }
    await runEnqueue(ctx, connect);
  },
};
