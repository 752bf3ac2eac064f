/**
 * What an endpoint does for a channel when an application acts on it: the signalling half of a leg.
 * The SIP endpoint maps these to responses and requests (ring -> 180, progress -> 183 with SDP,
 * answer -> 200, hangup -> a final response, CANCEL or BYE with a Reason header, hold -> re-INVITE,
 * transfer -> REFER or a 3xx); a WebRTC endpoint maps them to its own messages. Far-end events travel
 * the other way, through the Channel's remote*() methods.
 */
import { errorMessage, type Logger } from '../lib/index.ts';
import { OK, fail, type OpResult } from './core-error.ts';
import type { HangupCause } from './hangup-cause.ts';

/** A driver operation's result: done, or the far end / endpoint refused. */
/** Progress of a transfer the far end accepted (REFER: the NOTIFY sipfrag status lines, RFC 3515). */
export interface TransferProgress {
  status: number;
  reason: string;
  /** The referred call got its final response. */
  final: boolean;
}

export interface TransferOptions {
  onProgress?(progress: TransferProgress): void;
}

export type DriverResult = { ok: true } | { ok: false; cause?: HangupCause; sipStatus?: number; reason?: string };

export interface RingOptions {
  /** Extra headers for the provisional response (the endpoint decides which it honours). */
  headers?: Readonly<Record<string, string>>;
}

export interface ProgressOptions {
  /** true: early media (183 with SDP); false: a 183 without media. */
  earlyMedia: boolean;
  headers?: Readonly<Record<string, string>>;
}

export interface AnswerOptions {
  headers?: Readonly<Record<string, string>>;
}

export interface DriverHangupOptions {
  /** The status to send when the leg is not answered yet (from the cause table unless overridden). */
  sipStatus: number;
  /** Q.850 value for a Reason header. */
  q850: number;
  /** Reason phrase override. */
  reason?: string;
  headers?: Readonly<Record<string, string>>;
  /** Whether the leg was answered (BYE) or not (final response / CANCEL). */
  answered: boolean;
}

export interface InfoMessage {
  /** The in-dialog method (default INFO; also MESSAGE, NOTIFY, OPTIONS). */
  method?: string;
  contentType: string;
  body: string;
  headers?: Readonly<Record<string, string>>;
}

/** An in-dialog request from the far end that is not media control (SIP INFO, MESSAGE, NOTIFY). */
export interface InDialogRequest {
  method: string;
  contentType?: string;
  body: string;
  headers: Readonly<Record<string, string>>;
  /**
   * Answers the request with `status` instead of the endpoint's default (200); only while the request
   * event is being emitted. Absent when the endpoint does not let the owner choose.
   */
  respond?(status: number): void;
}

/**
 * A transfer the far end asks for (SIP REFER, RFC 3515): the leg's owner takes it while the event is
 * emitted (take() returns false when another listener took it first), then answers it later: accept()
 * (202 Accepted and a first NOTIFY '100 Trying'), reject(status), and reports the outcome with
 * notify() (message/sipfrag; 200 or more is final). Untaken, the endpoint refuses it.
 */
export interface RemoteTransfer {
  /** The Refer-To value as received. */
  readonly referTo: string;
  /** The Refer-To URI's user part, or the number of a tel: URI ('' when none). */
  readonly referToUser: string;
  /** The Referred-By value, when present. */
  readonly referredBy?: string;
  /** The Referred-By URI's user part, when present. */
  readonly referredByUser?: string;
  /** Request headers (names as spelled on the wire, first value of each). */
  readonly headers: Readonly<Record<string, string>>;
  take(): boolean;
  /** false when the request could no longer be accepted (already answered, e.g. timed out). */
  accept(): boolean;
  reject(status: number): void;
  notify(status: number, reason?: string): Promise<void>;
}

/**
 * Moves two bridged legs' media out of the server (`bypass`: each party is sent the other's session
 * description, RTP flows between them) or back into it (`anchor`: fresh local media on both legs, the
 * endpoint attaches it to the channels). Both legs must belong to the same endpoint.
 */
export interface MediaPathRequest {
  mode: 'bypass' | 'anchor';
  /** The driver of the leg bridged to this one; both legs change together (absent: `anchor` of this leg alone). */
  peer?: ChannelDriver;
}

export interface ChannelDriver {
  /** Tell the caller it rings (inbound). */
  ring(options: RingOptions): Promise<DriverResult>;
  /** Session progress, with or without early media (inbound). */
  progress(options: ProgressOptions): Promise<DriverResult>;
  /** Accept the call (inbound). */
  answer(options: AnswerOptions): Promise<DriverResult>;
  /**
   * End the leg from this side. Called once, only for local hangups (a far-end hangup was already
   * signalled). Core waits a bounded time for it, then destroys the channel regardless.
   */
  hangup(cause: HangupCause, options: DriverHangupOptions): Promise<void>;
  /** An in-dialog message (SIP INFO). */
  sendInfo?(message: InfoMessage): Promise<DriverResult>;
  /** Put the far end on hold, or take it off. */
  hold?(on: boolean): Promise<DriverResult>;
  /** Ask the far end to call somewhere else (REFER after answer, 302 before). */
  transfer?(target: string, options?: TransferOptions): Promise<DriverResult>;
  /** Media bypass of this leg and its bridged peer (see MediaPathRequest); absent: not possible. */
  mediaPath?(request: MediaPathRequest): Promise<DriverResult>;
  /** Called once when the channel is destroyed, for cleanup; must not throw (errors are logged). */
  close?(): void;
}

/**
 * Runs a driver operation as a result: a refusal becomes CORE_DRIVER_FAILED with the driver's reason,
 * and so does a throw or rejection (logged), so a broken endpoint never throws into an application.
 */
export async function callDriver(op: string, call: () => Promise<DriverResult>, log: Logger): Promise<OpResult> {
  try {
    const r = await call();
    if (r.ok) return OK;
    const why = r.reason ?? r.cause ?? (r.sipStatus !== undefined ? String(r.sipStatus) : 'refused');
    return fail('CORE_DRIVER_FAILED', `${op}: ${why}`);
  } catch (err) {
    log.warn({ err, op }, 'driver operation failed');
    return fail('CORE_DRIVER_FAILED', `${op} failed: ${errorMessage(err)}`, err);
  }
}
