/**
 * The outcome of a parallel fork in which no branch answered, chosen as RFC 3261 section 16.7 step 6
 * chooses the best final response of a proxy's response context:
 *
 * - a 6xx from any branch wins (a global failure: the user does not want the call anywhere);
 * - otherwise the lowest response class present (3xx, then 4xx, then 5xx); among 4xx, one of the
 *   responses that invite a retry (401, 407, 415, 420, 484) is preferred; otherwise the first response
 *   of that class to arrive;
 * - a branch with no final response (Timer B/C) counts as 408 (section 16.7 step 2 / 16.8);
 * - a 503 chosen as best is turned into 500 (section 16.7 step 6: a proxy does not pass on a 503,
 *   which would make the caller think the server itself is overloaded).
 *
 * How the fork ended decides the cause: a branch we cancelled (the caller gave up) makes
 * ORIGINATOR_CANCEL, our own no-answer timer is NO_ANSWER, transport failure everywhere is
 * NETWORK_OUT_OF_ORDER; otherwise the chosen status maps through core's Q.850 / SIP table (RFC 3398).
 */
import type { InviteFailureCause } from '../../sip/index.ts';
import { sipStatusToCause, type HangupCause } from '../../core/index.ts';

/** How one branch failed, in the order the failures arrived. */
export interface BranchFailure {
  status: number;
  reason: string;
  cause: InviteFailureCause;
}

export interface ForkFailure {
  cause: HangupCause;
  sipStatus: number;
  reason: string;
}

/** Statuses that a caller can act on by retrying (section 16.7 step 6). */
const RETRYABLE_4XX = new Set([401, 407, 415, 420, 484]);

/** The best final status among the branches' (undefined when there are none). */
export function bestFinalStatus(failures: readonly BranchFailure[]): BranchFailure | undefined {
  const finals = failures.map((f) => (f.cause === 'timeout' ? { ...f, status: 408, reason: 'Request Timeout' } : f));
  const global = finals.find((f) => f.status >= 600);
  if (global) return global;
  let best: BranchFailure | undefined;
  for (const f of finals) {
    if (f.status < 300) continue;
    if (!best || Math.floor(f.status / 100) < Math.floor(best.status / 100)) best = f;
  }
  if (!best) return undefined;
  if (Math.floor(best.status / 100) === 4) best = finals.find((f) => RETRYABLE_4XX.has(f.status)) ?? best;
  return best.status === 503 ? { ...best, status: 500, reason: 'Server Internal Error' } : best;
}

/** The failure the whole fork reports when every branch failed. */
export function forkFailure(failures: readonly BranchFailure[]): ForkFailure {
  if (failures.some((f) => f.cause === 'cancelled')) {
    return { cause: 'ORIGINATOR_CANCEL', sipStatus: 487, reason: 'Request Terminated' };
  }
  if (failures.some((f) => f.cause === 'no-answer')) return { cause: 'NO_ANSWER', sipStatus: 480, reason: 'No Answer' };
  if (failures.length > 0 && failures.every((f) => f.cause === 'transport')) {
    return { cause: 'NETWORK_OUT_OF_ORDER', sipStatus: 503, reason: 'Service Unavailable' };
  }
  const best = bestFinalStatus(failures.filter((f) => f.cause !== 'transport' && f.cause !== 'closed')) ?? bestFinalStatus(failures);
  if (!best) return { cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 500, reason: 'no branch answered' };
  return { cause: sipStatusToCause(best.status), sipStatus: best.status, reason: best.reason };
}
