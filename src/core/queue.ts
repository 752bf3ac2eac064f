/**
 * A call queue, as jambonz's enqueue / dequeue verbs use one (specs/jambonz.md §3.A enqueue, dequeue):
 * channels wait in priority order (lower first, then first come first served); a waiting call's
 * ticket resolves once when it leaves the queue: taken by a dequeuer (`bridged`, with the taker), the
 * caller hung up (`hangup`), it asked to leave (`leave`), or the switch shut down (`shutdown`).
 * Positions are 0-based. Pure apart from the hangup subscription; time comes from `now()`.
 */
import type { Channel } from './channel.ts';

export type QueueLeaveReason = 'bridged' | 'hangup' | 'leave' | 'error' | 'shutdown';

export interface QueueOutcome {
  reason: QueueLeaveReason;
  /** The channel that took the call (reason `bridged`). */
  by?: Channel;
}

export interface QueueSnapshot {
  name: string;
  size: number;
  createdAt: number;
  members: { uuid: string; priority: number; enqueuedAt: number; position: number }[];
}

export class QueueTicket {
  readonly channel: Channel;
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly seq: number;
  readonly outcome: Promise<QueueOutcome>;
  #resolve!: (o: QueueOutcome) => void;
  #settled: QueueOutcome | undefined;
  readonly #queue: CallQueue;

  constructor(queue: CallQueue, channel: Channel, priority: number, enqueuedAt: number, seq: number) {
    this.#queue = queue;
    this.channel = channel;
    this.priority = priority;
    this.enqueuedAt = enqueuedAt;
    this.seq = seq;
    this.outcome = new Promise((resolve) => { this.#resolve = resolve; });
  }

  get queue(): CallQueue { return this.#queue; }
  get settled(): QueueOutcome | undefined { return this.#settled; }
  /** 0-based position, -1 once out of the queue. */
  get position(): number { return this.#queue.positionOf(this.channel.uuid); }

  /** Leaves the queue (idempotent: the first outcome stays). */
  leave(reason: QueueLeaveReason, by?: Channel): void {
    if (this.#settled) return;
    this.#settled = by ? { reason, by } : { reason };
    this.#queue.remove(this);
    this.#resolve(this.#settled);
  }
}

export class CallQueue {
  readonly name: string;
  readonly createdAt: number;
  readonly #now: () => number;
  readonly #tickets: QueueTicket[] = [];
  readonly #offs = new Map<QueueTicket, () => void>();
  readonly #waiters = new Set<() => void>();
  readonly #onEmpty: (q: CallQueue) => void;
  #seq = 0;

  constructor(name: string, now: () => number, onEmpty: (q: CallQueue) => void) {
    this.name = name;
    this.#now = now;
    this.createdAt = now();
    this.#onEmpty = onEmpty;
  }

  get size(): number { return this.#tickets.length; }
  /** True while dequeuers wait on this queue. */
  get hasWaiters(): boolean { return this.#waiters.size > 0; }

  add(channel: Channel, priority: number): QueueTicket {
    const ticket = new QueueTicket(this, channel, priority, this.#now(), this.#seq++);
    let i = this.#tickets.length;
    while (i > 0 && this.#tickets[i - 1]!.priority > priority) i--;
    this.#tickets.splice(i, 0, ticket);
    this.#offs.set(ticket, channel.on('hangup', () => ticket.leave('hangup')));
    for (const wake of [...this.#waiters]) wake();
    return ticket;
  }

  positionOf(uuid: string): number {
    return this.#tickets.findIndex((t) => t.channel.uuid === uuid);
  }

  /** The first waiting call, or the one of `uuid`; it leaves the queue as `bridged` to `by`. */
  take(by: Channel, uuid?: string): QueueTicket | undefined {
    const ticket = uuid === undefined ? this.#tickets.find((t) => !t.channel.ended) : this.#tickets.find((t) => t.channel.uuid === uuid);
    if (!ticket || ticket.channel.ended) return undefined;
    ticket.leave('bridged', by);
    return ticket;
  }

  /** Resolves when a call joins (or at once when one waits); false when `signal` aborted first. */
  waitForCall(signal: AbortSignal): Promise<boolean> {
    if (this.#tickets.length > 0) return Promise.resolve(true);
    if (signal.aborted) {
      this.#maybeEmpty();
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        this.#waiters.delete(wake);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
        if (!value) this.#maybeEmpty();
      };
      const wake = (): void => done(true);
      const onAbort = (): void => done(false);
      this.#waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  remove(ticket: QueueTicket): void {
    const i = this.#tickets.indexOf(ticket);
    if (i >= 0) this.#tickets.splice(i, 1);
    this.#offs.get(ticket)?.();
    this.#offs.delete(ticket);
    if (!ticket.settled) ticket.leave('error');
    this.#maybeEmpty();
  }

  snapshot(): QueueSnapshot {
    return {
      name: this.name, size: this.size, createdAt: this.createdAt,
      members: this.#tickets.map((t, position) => ({ uuid: t.channel.uuid, priority: t.priority, enqueuedAt: t.enqueuedAt, position })),
    };
  }

  /** Every waiting call leaves with `shutdown`. */
  close(): void {
    for (const t of [...this.#tickets]) t.leave('shutdown');
    for (const wake of [...this.#waiters]) wake();
  }

  #maybeEmpty(): void {
    if (this.#tickets.length === 0 && this.#waiters.size === 0) this.#onEmpty(this);
  }
}
