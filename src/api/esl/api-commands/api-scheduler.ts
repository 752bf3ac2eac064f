/**
 * Timed API work of one event-socket server (specs/esl.md §5 sched_hangup, sched_api): one-shot and
 * repeating tasks on the switch clock, each with a numeric task id; a task tied to a channel is dropped
 * when the channel goes away. close() cancels everything.
 */
import type { Clock, TimerHandle } from '../../../lib/index.ts';
import type { Channel } from '../../../core/index.ts';

interface Task {
  id: number;
  timer: TimerHandle;
  off?: () => void;
}

export class ApiScheduler {
  readonly #clock: Clock;
  readonly #tasks = new Map<number, Task>();
  #seq = 0;
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number { return this.#tasks.size; }

  /** Runs `fn` after `delayMs` (and then every `repeatMs` when given); returns the task id. */
  add(delayMs: number, fn: () => void, options: { repeatMs?: number; channel?: Channel } = {}): number {
    const id = ++this.#seq;
    if (this.#closed) return id;
    const arm = (ms: number): TimerHandle => this.#clock.setTimeout(() => {
      const task = this.#tasks.get(id);
      if (!task) return;
      if (options.repeatMs !== undefined && options.repeatMs > 0) task.timer = arm(options.repeatMs);
      else this.#drop(id);
      fn();
    }, Math.max(0, ms));
    const task: Task = { id, timer: arm(delayMs) };
    if (options.channel) task.off = options.channel.on('hangup', () => this.cancel(id));
    this.#tasks.set(id, task);
    return id;
  }

  cancel(id: number): boolean {
    const task = this.#tasks.get(id);
    if (!task) return false;
    task.timer.cancel();
    this.#drop(id);
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#tasks.keys()]) this.cancel(id);
  }

  #drop(id: number): void {
    const task = this.#tasks.get(id);
    this.#tasks.delete(id);
    task?.off?.();
  }
}

/**
 * `+<secs>` (from now), `@<secs>` (repeating), or an epoch in seconds; the delay in ms (and repeat), or
 * undefined when unreadable.
 */
export function parseWhen(text: string, nowMs: number): { delayMs: number; repeatMs?: number } | undefined {
  const m = /^([+@]?)(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[2]);
  if (m[1] === '+') return { delayMs: n * 1000 };
  if (m[1] === '@') return n > 0 ? { delayMs: n * 1000, repeatMs: n * 1000 } : undefined;
  return { delayMs: Math.max(0, n * 1000 - nowMs) };
}
