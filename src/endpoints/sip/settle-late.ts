/**
 * When a worker-side session or room closes, the stop events of its recordings still follow (a WAV is
 * finished asynchronously), so an outcome is settled from `closed` only as a fallback: at once when the
 * worker itself went away (nothing else will come), otherwise after a grace period.
 */
import { WORKER_EXITED } from '../../media/index.ts';

const GRACE_MS = 5000;

export function settleLate(reason: string, settle: () => void): void {
  if (reason === WORKER_EXITED) {
    settle();
    return;
  }
  setTimeout(settle, GRACE_MS).unref();
}
