/**
 * Waiting for someone else's promise at most a bounded time on the injected clock, so a driver or
 * endpoint that never answers cannot keep a channel (or the switch's shutdown) alive forever.
 */
import type { Clock } from '../lib/index.ts';

/** Resolves true when `work` settled in time (fulfilled or rejected), false on timeout; never rejects. */
export async function waitAtMost(clock: Clock, ms: number, work: () => Promise<unknown>, onError?: (err: unknown) => void): Promise<boolean> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  const settled = Promise.resolve()
    .then(work)
    .then(
      () => true as const,
      (err: unknown) => {
        onError?.(err);
        return true as const;
      },
    );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    timer?.cancel();
  }
}
