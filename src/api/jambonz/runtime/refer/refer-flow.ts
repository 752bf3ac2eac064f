/**
 * One REFER from the far end handled through a referHook (specs/jambonz.md §2.4 "dial referHook": the
 * REFER is answered 202; the original's `_handleRefer` / dial `handleRefer`): the hook is asked first
 * (call info + `refer_details`); when it fails the REFER is refused with the hook's HTTP status, or 501.
 * Otherwise the REFER is accepted (202 and NOTIFY '100 Trying', RFC 3515 section 2.4.4) and the reply's
 * verbs are handed to `install`; the final NOTIFY (message/sipfrag) tells the referrer the outcome:
 * '200 OK' once the verbs were taken, '603 Declined' when the reply held none (or was invalid). With
 * `notifyFirst` the NOTIFY goes before the verbs are installed (installing them ends the referrer's leg).
 */
import { errorMessage, type Clock, type Logger } from '../../../../lib/index.ts';
import type { RemoteTransfer } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { ValidationResult, VerbData } from '../verb-data.ts';

export interface ReferFlowDeps {
  log: Logger;
  clock: Clock;
  /** Sends the hook (`verb:hook`) with call info already merged into `payload`. */
  request(hook: Hook, payload: Record<string, unknown>): Promise<unknown>;
  validate(payload: unknown): ValidationResult;
  /** An unusable reply (a `jambonz:error` to WS apps). */
  invalid(details: string): void;
}

/** How long the final NOTIFY may wait for its answer before the verbs are installed anyway. */
const NOTIFY_WAIT_MS = 2_000;

export type ReferOutcome = 'refused' | 'installed' | 'no-verbs';

/** The status a failed hook request refuses the REFER with: its own 3xx-6xx HTTP status, else 501. */
export function refusalStatus(err: unknown): number {
  const e = err as { statusCode?: unknown; status?: unknown } | null;
  const code = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
  return code !== undefined && Number.isInteger(code) && code >= 300 && code <= 699 ? code : 501;
}

export async function runReferFlow(deps: ReferFlowDeps, t: RemoteTransfer, hook: Hook, payload: Record<string, unknown>,
  install: (verbs: VerbData[]) => void | Promise<void>, notifyFirst = false): Promise<ReferOutcome> {
  let reply: unknown;
  try {
    reply = await deps.request(hook, payload);
  } catch (err) {
    const status = refusalStatus(err);
    deps.log.info({ err: errorMessage(err), status }, 'referHook failed: REFER refused');
    t.reject(status);
    return 'refused';
  }
  if (!t.accept()) {
    deps.log.info('REFER answered before the referHook replied (timed out): its verbs are not run');
    return 'refused';
  }
  let verbs: VerbData[] = [];
  if (Array.isArray(reply) && reply.length > 0) {
    const r = deps.validate(reply);
    if (r.ok) verbs = r.verbs;
    else deps.invalid(r.error);
  }
  if (verbs.length === 0) {
    deps.log.info('referHook gave no verbs: transfer declined');
    await t.notify(603, 'Declined');
    return 'no-verbs';
  }
  deps.log.info({ verbs: verbs.length }, 'REFER accepted: referHook verbs run');
  if (notifyFirst) {
    let timer: { cancel(): void } | undefined;
    await Promise.race([t.notify(200, 'OK'), new Promise<void>((resolve) => { timer = deps.clock.setTimeout(resolve, NOTIFY_WAIT_MS); })]);
    timer?.cancel();
  }
  await install(verbs);
  if (!notifyFirst) await t.notify(200, 'OK');
  return 'installed';
}
