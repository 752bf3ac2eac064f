/**
 * Named timers on the injected clock for one owner (a dialog, an INVITE): re-arming a name cancels the
 * previous timer, `clear()` cancels all of them (every owner calls it when it ends, so nothing outlives
 * it), and an exception thrown by a timer callback is logged instead of reaching the clock.
 */
import { errorMessage, type Clock, type Logger, type TimerHandle } from '../../lib/index.ts';

export class TimerSet {
  readonly #clock: Clock;
  readonly #log: Logger;
  /** Created with the first timer: many owners never arm one. */
  #timers: Map<string, TimerHandle> | undefined;
  #closed = false;

  constructor(clock: Clock, log: Logger) {
    this.#clock = clock;
    this.#log = log;
  }

  /** Arms timer `name` to run `fn` after `ms`; ignored once the set is cleared for good. */
  set(name: string, ms: number, fn: () => void): void {
    if (this.#closed) return;
    this.cancel(name);
    const timers = (this.#timers ??= new Map());
    const handle = this.#clock.setTimeout(() => {
      if (timers.get(name) !== handle) return;
      timers.delete(name);
      try {
        fn();
      } catch (err) {
        this.#log.error({ err: errorMessage(err), timer: name }, 'dialog timer callback threw');
      }
    }, Math.max(0, ms));
    timers.set(name, handle);
  }

  cancel(name: string): void {
    const handle = this.#timers?.get(name);
    if (!handle) return;
    handle.cancel();
    this.#timers?.delete(name);
  }

  has(name: string): boolean {
    return this.#timers?.has(name) ?? false;
  }

  get size(): number {
    return this.#timers?.size ?? 0;
  }

  /** Cancels every timer; with `forever`, later set() calls are ignored. */
  clear(forever = true): void {
    const timers = this.#timers;
    if (timers) {
      for (const handle of timers.values()) handle.cancel();
      timers.clear();
    }
    if (forever) this.#closed = true;
  }
}
