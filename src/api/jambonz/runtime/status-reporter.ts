/**
 * Call status notifications of one session (specs/jambonz.md §1.3 `call:status`, §2.5): every status
 * change with the call info; over the socket for WebSocket apps (only once `session:new` went out, the
 * status hook being ignored), else to the call status hook. The final status carries `duration` (answered
 * calls) and `call_termination_by`.
 */
import type { Channel, HangupCause } from '../../../core/index.ts';
import type { Hook } from '../contract.ts';
import type { AppConnection } from './app-connection.ts';
import type { CallInfo, CallStatus } from './call-info.ts';
import { finalStatusOf } from './call-status.ts';
import { snakeCaseKeys } from './snake-case.ts';

export class StatusReporter {
  /** Where webhook apps get statuses (`redirect.statusHook` and REST updates replace it). */
  hook: Hook | undefined;
  /** A WebSocket app's socket carries statuses once session:new was sent. */
  sessionStarted = false;
  readonly #callInfo: CallInfo;
  readonly #conn: AppConnection;
  #final = false;

  constructor(callInfo: CallInfo, conn: AppConnection, hook: Hook | undefined) {
    this.#callInfo = callInfo;
    this.#conn = conn;
    this.hook = hook;
  }

  get finalSent(): boolean {
    return this.#final;
  }

  /** A status change before the end of the call. */
  report(status: CallStatus, sipStatus: number): void {
    if (this.#final) return;
    this.#callInfo.setStatus(status, sipStatus);
    this.send();
  }

  /** Sends the current call info as it is. */
  send(): void {
    const payload = snakeCaseKeys(this.#callInfo.toJSON());
    if (this.#conn.transport === 'ws') {
      if (this.sessionStarted) this.#conn.notify('call:status', undefined, payload);
    } else if (this.hook) {
      this.#conn.notify('call:status', this.hook, payload);
    }
  }

  /** The call hung up: the final status, once. */
  final(channel: Channel, h: { cause: HangupCause; sipStatus?: number; by: 'local' | 'remote' }): void {
    if (this.#final) return;
    this.#final = true;
    const f = finalStatusOf({
      direction: channel.direction, answered: channel.answered, cause: h.cause, by: h.by,
      ...(h.sipStatus !== undefined ? { sipStatus: h.sipStatus } : {}),
    });
    const info = this.#callInfo;
    info.setStatus(f.callStatus, f.sipStatus, f.sipReason);
    info.callTerminationBy = f.terminationBy;
    if (channel.answered) {
      const answeredAt = channel.times.answered ?? channel.times.created;
      const endedAt = channel.times.hangup ?? answeredAt;
      info.duration = Math.max(0, Math.round((endedAt - answeredAt) / 1000));
    }
    this.send();
  }
}
