/**
 * The application side of one call session: the requestor of the call hook, and the requestors of
 * hooks on another transport (an absolute ws(s):// actionHook in a webhook app, or http(s):// in a
 * WebSocket app, hands the session over: specs/jambonz.md §2.1 "handover"). Relative hooks go to the
 * current requestor. Commands and the final close of a WebSocket app are passed up; close() closes every
 * requestor once (WebSocket code 1000 at the end of a call, 1001 when the call was rejected, §1.1).
 */
import { errorMessage, type Clock, type Logger } from '../../../lib/index.ts';
import type {
  AppCommand, Hook, HookNotifyType, HookRequestType, Requestor, RequestorContext, RequestorFactory, RequestorTransport,
} from '../contract.ts';
import { RuntimeError } from './runtime-error.ts';

export interface AppConnectionEvents {
  command(command: AppCommand): void;
  /** A WebSocket app closed the socket for good (`code` 1000: gracefully). */
  closed(event: { code: number; reason: string }): void;
}

function urlOf(hook: Hook): string {
  return typeof hook === 'string' ? hook : hook.url;
}

/** The transport an absolute hook names; undefined for a relative one. */
export function transportOf(hook: Hook): RequestorTransport | undefined {
  if (typeof hook === 'object' && hook.method?.toUpperCase() === 'WS') return 'ws';
  const url = urlOf(hook);
  if (/^wss?:\/\//i.test(url)) return 'ws';
  if (/^https?:\/\//i.test(url)) return 'http';
  return undefined;
}

/** The origin relative hooks resolve against (the call hook's). */
export function baseUrlOf(hook: Hook | undefined): string | undefined {
  if (!hook) return undefined;
  try {
    return new URL(urlOf(hook)).origin;
  } catch {
    return undefined;
  }
}

export class AppConnection {
  readonly #factory: RequestorFactory | undefined;
  readonly #context: RequestorContext;
  readonly #events: AppConnectionEvents;
  readonly #log: Logger;
  readonly #all: { requestor: Requestor; offs: (() => void)[] }[] = [];
  #current: Requestor | undefined;
  #closed = false;
  #gracefullyClosed = false;

  readonly #clock: Clock;

  constructor(factory: RequestorFactory | undefined, context: RequestorContext, events: AppConnectionEvents, log: Logger, clock: Clock) {
    this.#clock = clock;
    this.#factory = factory;
    this.#context = context;
    this.#events = events;
    this.#log = log;
  }

  /** The transport of the current requestor (`http` until one exists). */
  get transport(): RequestorTransport {
    return this.#current?.transport ?? 'http';
  }

  /** The WebSocket app closed the socket with 1000: no more messages, the call ends when the stack does. */
  get gracefullyClosed(): boolean {
    return this.#gracefullyClosed;
  }

  get hasRequestor(): boolean {
    return this.#current !== undefined;
  }

  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    let requestor: Requestor;
    try {
      requestor = this.#requestorFor(hook);
    } catch (err) {
      return Promise.reject(err instanceof RuntimeError ? err : new RuntimeError('JAMBONZ_NO_REQUESTOR', errorMessage(err), { cause: err }));
    }
    return requestor.request(type, hook, payload);
  }

  /** Sends a notification; over WebSocket the hook is ignored, over HTTP it is required. */
  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void {
    if (this.#closed || this.#gracefullyClosed) return;
    try {
      const requestor = hook === undefined ? this.#current : this.#requestorFor(hook);
      if (!requestor) return;
      if (requestor.transport === 'http' && hook === undefined) return;
      requestor.notify(type, hook, payload);
    } catch (err) {
      this.#log.info({ err: errorMessage(err), type }, 'notification not sent');
    }
  }

  /** Uses a requestor the caller built (tests, or a reused socket). */
  adopt(requestor: Requestor): void {
    this.#add(requestor);
  }

  /**
   * Closes every requestor once. Webhook requestors are closed after `graceMs` so the final status
   * notifications still in flight are delivered (closing aborts what is in flight); sockets at once.
   */
  async close(code = 1000, graceMs = 0): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = this.#all.splice(0);
    this.#current = undefined;
    const closeOne = async (requestor: Requestor): Promise<void> => {
      try {
        await requestor.close(code);
      } catch (err) {
        this.#log.info({ err: errorMessage(err) }, 'requestor close failed');
      }
    };
    await Promise.all(all.map(async ({ requestor, offs }) => {
      for (const off of offs) off();
      if (requestor.transport === 'http' && graceMs > 0) {
        this.#clock.setTimeout(() => void closeOne(requestor), graceMs);
        return;
      }
      await closeOne(requestor);
    }));
  }

  #requestorFor(hook: Hook): Requestor {
    if (this.#closed) throw new RuntimeError('JAMBONZ_CALL_STATE', 'the application connection is closed');
    const wanted = transportOf(hook);
    const current = this.#current;
    if (current && (wanted === undefined || wanted === current.transport)) return current;
    if (!this.#factory) throw new RuntimeError('JAMBONZ_NO_REQUESTOR', 'no requestor is configured for application hooks');
    if (wanted === undefined && !this.#context.baseUrl) {
      throw new RuntimeError('JAMBONZ_NO_REQUESTOR', `relative hook ${urlOf(hook)} without a call hook to resolve it against`);
    }
    const requestor = this.#factory(hook, this.#context);
    this.#add(requestor);
    return requestor;
  }

  #add(requestor: Requestor): void {
    const offs = [
      requestor.on('command', (command) => {
        if (this.#closed || this.#gracefullyClosed) return;
        this.#events.command(command);
      }),
      requestor.on('closed', (event) => {
        if (event.code === 1000) this.#gracefullyClosed = true;
        if (this.#current === requestor) this.#events.closed(event);
      }),
    ];
    this.#all.push({ requestor, offs });
    this.#current = requestor;
  }
}
