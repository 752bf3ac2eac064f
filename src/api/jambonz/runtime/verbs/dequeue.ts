/**
 * `dequeue` (specs/jambonz.md §3.A, §2.4). The work is done by queues/dequeue-call.ts; this is its entry in the
 * verb table.
 */
import { connectOf } from '../dial/connect-services.ts';
import { runDequeue } from '../queues/dequeue-call.ts';
import type { VerbContext, VerbHandler } from './verb.ts';

export const dequeue: VerbHandler = {
  name: 'dequeue',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const connect = connectOf(ctx.services);
    if (!connect) {
      ctx.services.notifyError({ msg: 'unsupported verb', details: 'dequeue is not available in this runtime' }, ctx.verb);
      return;
    }
    await runDequeue(ctx, connect);
  },
};
