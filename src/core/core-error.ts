/**
 * Typed errors of the call core, with stable codes listed in docs/errors.md. Call outcomes (busy, no
 * answer, rejected) are never errors: they are hangup causes in result values. These codes describe an
 * operation that could not be done (a channel already gone, no media, an illegal state change) and
 * usually travel inside a `{ ok: false, error }` result rather than being thrown.
 */
import { SwitchboardError } from '../lib/index.ts';

export type CoreErrorCode =
  /** A channel state change the state machine does not allow (a bug in the caller). */
  | 'CORE_STATE_TRANSITION'
  /** The channel has hung up (or is hanging up); the operation cannot apply any more. */
  | 'CORE_CHANNEL_GONE'
  /** The operation does not fit the channel's state or direction (answering an outbound leg). */
  | 'CORE_CHANNEL_STATE'
  /** A channel uuid that is already registered. */
  | 'CORE_DUPLICATE_UUID'
  /** The channel has no media attached yet. */
  | 'CORE_NO_MEDIA'
  /** The media layer threw or failed while doing what was asked. */
  | 'CORE_MEDIA_FAILED'
  /** The leg's media flows directly between the parties (media bypass): nothing to play, record or listen to. */
  | 'CORE_MEDIA_BYPASSED'
  /** The endpoint's driver threw or reported a failure. */
  | 'CORE_DRIVER_FAILED'
  /** The driver does not implement an optional operation (hold, transfer, INFO). */
  | 'CORE_NOT_SUPPORTED'
  /** An endpoint without a name or target scheme, or one whose scheme another endpoint already serves. */
  | 'CORE_ENDPOINT_INVALID'
  /** No endpoint serves the target's scheme. */
  | 'CORE_NO_ENDPOINT'
  /** An endpoint broke the originate contract (a second leg, a leg after the attempt ended). */
  | 'CORE_ORIGINATE_STATE'
  /** Bridging a channel with itself. */
  | 'CORE_BRIDGE_INVALID'
  /** A conference is at its participant limit. */
  | 'CORE_CONFERENCE_FULL'
  /** A conference is locked against new members. */
  | 'CORE_CONFERENCE_LOCKED'
  /** No conference room factory was configured. */
  | 'CORE_CONFERENCE_MEDIA'
  /** No member with that id in the conference. */
  | 'CORE_CONFERENCE_MEMBER'
  /** A routing rule with no condition, contradicting conditions or a bad dial pattern. */
  | 'CORE_ROUTE_INVALID'
  /** The switch is closed. */
  | 'CORE_SWITCH_CLOSED'
  /** Unusable admission limits or switch options. */
  | 'CORE_CONFIG';

export class CoreError extends SwitchboardError {
  declare readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The result of an operation on a channel, bridge or conference: done, or why not. */
export type OpResult = { ok: true } | { ok: false; error: CoreError };

export const OK: OpResult = Object.freeze({ ok: true });

export function fail(code: CoreErrorCode, message: string, cause?: unknown): { ok: false; error: CoreError } {
  return { ok: false, error: new CoreError(code, message, cause === undefined ? undefined : { cause }) };
}
