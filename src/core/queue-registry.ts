/**
 * The switch's registry of call queues (DESIGN.md: the Switch owns channels, bridges, conferences,
 * queues): a queue exists while a call waits in it or a dequeuer waits on it, and is dropped when it
 * empties. close() empties every queue (waiting calls leave with `shutdown`). Idempotent.
 */
import { CallQueue, type QueueSnapshot, type QueueTicket } from './queue.ts';
import type { Channel } from './channel.ts';

export class QueueRegistry {
  readonly #queues = new Map<string, CallQueue>();
  readonly #now: () => number;
  #closed = false;

  constructor(now: () => number) {
    this.#now = now;
  }

  get size(): number { return this.#queues.size; }

  get(name: string): CallQueue | undefined { return this.#queues.get(name); }

  list(): QueueSnapshot[] { return [...this.#queues.values()].map((q) => q.snapshot()); }

  /** The queue of `name`, created on first use. */
  queue(name: string): CallQueue {
    let q = this.#queues.get(name);
    if (!q) {
      q = new CallQueue(name, this.#now, (empty) => {
        if (this.#queues.get(empty.name) === empty) this.#queues.delete(empty.name);
      });
      this.#queues.set(name, q);
    }
    return q;
  }

  /** Puts a channel in the queue (undefined once the registry is closed). */
  enqueue(name: string, channel: Channel, priority = 999): QueueTicket | undefined {
    if (this.#closed || channel.ended) return undefined;
    return this.queue(name).add(channel, priority);
  }

  close(): void {
    this.#closed = true;
    for (const q of [...this.#queues.values()]) q.close();
    this.#queues.clear();
  }
}
