/**
 * `leave` (specs/jambonz.md §3.A): takes the call out of its queue (result `leave`). It acts inside an
 * enqueue waitHook reply (dial/nested-verbs.ts ends the wait there); reached in the call's own verb
 * list, where no enqueue is waiting, it does nothing but log.
 */
import type { VerbContext, VerbHandler } from './verb.ts';

export const leave: VerbHandler = {
  name: 'leave',
  precondition: 'none',
  async exec(ctx: VerbContext): Promise<void> {
    ctx.log.info('leave: the call is not waiting in a queue');
  },
};
