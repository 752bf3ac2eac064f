/**
 * The dials in progress, by the A leg's call sid, so that commands and REST updates aimed at a call
 * can reach its dial (specs/jambonz.md §1.6 `redirect {child_call_hook, child_call}`; §2.6
 * `child_call_hook`). A dial registers itself while it rings or is bridged and
 * unregisters when it ends.
 */
import type { Channel, RemoteTransfer } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { VerbData } from '../verb-data.ts';

export interface ActiveDial {
  /** The A leg's call sid. */
  readonly callSid: string;
  /** The answered B leg, once there is one. */
  readonly child: Channel | undefined;
  /** Gives the B leg its own application (inline verbs or a hook); the dial ends, both legs stay up. */
  adoptChild(app: { verbs: VerbData[] } | { hook: Hook }): boolean;
  /** Plays say/play verbs to the bridged B leg only (`whisper`); false when no B leg is bridged. */
  whisper?(verbs: readonly VerbData[]): boolean;
  /** Takes a REFER the A leg received while this dial runs (when the dial has a referHook); false: not taken. */
  takeRefer?(transfer: RemoteTransfer): boolean;
}

export class ActiveDials {
  readonly #dials = new Map<string, ActiveDial>();

  get size(): number { return this.#dials.size; }

  add(dial: ActiveDial): () => void {
    this.#dials.set(dial.callSid, dial);
    return () => {
      if (this.#dials.get(dial.callSid) === dial) this.#dials.delete(dial.callSid);
    };
  }

  get(callSid: string): ActiveDial | undefined {
    return this.#dials.get(callSid);
  }

}
