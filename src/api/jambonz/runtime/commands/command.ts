/**
 * The shape of an application command handler (specs/jambonz.md §1.6; DESIGN.md house style 6): one
 * per file, registered in the command table. Handlers act on the session the command targets and throw
 * RuntimeError for unusable data; the dispatcher turns that into a `jambonz:error`.
 */
import type { AppCommand } from '../../contract.ts';
import type { CallSession } from '../call-session.ts';

export interface CommandHandler {
  readonly name: string;
  /**
   * The command may name the B leg of the session's dial in `callSid` (a leg with no session of its
   * own): the dispatcher then runs it on the dialing session, which finds the leg by `command.callSid`.
   */
  readonly reachesDialLeg?: boolean;
  exec(session: CallSession, data: unknown, command: AppCommand): void | Promise<void>;
}
