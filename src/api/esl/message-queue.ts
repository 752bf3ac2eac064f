/**
 * A channel's queue of sendmsg messages (specs/esl.md §2.2 sendmsg; compatibility source:
 * switch_core_session_queue_private_event with its priority flag): one message runs at a time; the next
 * starts when the running one ends or releases the queue (an app that parks the channel). A message
 * sent with `event-lock-pri: true` goes before every ordinary message still waiting (after earlier
 * priority ones), so it runs right after the message running now.
 */
type Start = (release: () => void) => Promise<unknown>;

interface Waiting {
  priority: boolean;
  begin(): void;
}

interface Queue {
  busy: boolean;
  waiting: Waiting[];
}

export class MessageQueues {
  readonly #queues = new Map<string, Queue>();

  /**
   * Queues `start` on the key's queue; resolves (or rejects) as its promise does. `release` (given to
   * start) lets the next message begin; it is called for it when the promise settles. Idempotent.
   */
  enqueue<T>(key: string, priority: boolean, start: (release: () => void) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let queue = this.#queues.get(key);
      if (!queue) {
        queue = { busy: false, waiting: [] };
        this.#queues.set(key, queue);
      }
      const q = queue;
      const item: Waiting = {
        priority,
        begin: () => {
          let released = false;
          const release = (): void => {
            if (released) return;
            released = true;
            queueMicrotask(() => this.#next(key, q));
          };
          let run: Promise<T>;
          try {
            run = (start as Start)(release) as Promise<T>;
          } catch (err) {
            run = Promise.reject(err);
          }
          run.then(resolve, reject).finally(release);
        },
      };
      if (priority) {
        const at = q.waiting.findIndex((w) => !w.priority);
        q.waiting.splice(at < 0 ? q.waiting.length : at, 0, item);
      } else {
        q.waiting.push(item);
      }
      if (!q.busy) {
        q.busy = true;
        queueMicrotask(() => this.#next(key, q));
      }
    });
  }

  /** Messages waiting (not running) on a key. */
  waiting(key: string): number {
    return this.#queues.get(key)?.waiting.length ?? 0;
  }

  #next(key: string, q: Queue): void {
    const item = q.waiting.shift();
    if (!item) {
      q.busy = false;
      if (this.#queues.get(key) === q) this.#queues.delete(key);
      return;
    }
    item.begin();
  }
}
