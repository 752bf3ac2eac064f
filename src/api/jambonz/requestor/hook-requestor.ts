/**
 * The requestor a call session holds (specs/jambonz.md §2.1 "handover", §1.1): it starts on the
 * transport of the call hook's scheme (http(s) -> webhooks, ws(s) -> WebSocket API) and switches when a
 * hook names another transport (an absolute `ws(s)://` actionHook in a webhook app, an absolute
 * `http(s)://` one in a WebSocket app, or a `ws(s)://` URL other than the open socket's): the request goes
 * to a new requestor for that hook, which becomes the current one; the old one is closed. Relative hooks
 * stay on the current transport. Commands and `closed` of every WebSocket requestor are forwarded.
 */
import type { Logger } from '../../../lib/index.ts';
import { TypedEmitter, errorMessage, silentLogger } from '../../../lib/index.ts';
import type { Hook, HookNotifyType, HookRequestType, Requestor, RequestorEvents } from '../contract.ts';
import type { HookDefaults, HookTarget } from './hook-target.ts';
import { hookUrl, resolveHook } from './hook-target.ts';
import type { RequestorEventMap } from './requestor-events.ts';

/** Builds the requestor for one resolved target. */
export type TransportFactory = (target: HookTarget) => Requestor;

export class HookRequestor implements Requestor {
  readonly #make: TransportFactory;
  readonly #defaults: HookDefaults;
  readonly #log: Logger;
  readonly #events: TypedEmitter<RequestorEventMap>;
  #current: Requestor;
  #currentTarget: HookTarget;
  #unsubscribe: () => void = () => {};
  #closed = false;

  constructor(callHook: Hook, defaults: HookDefaults, make: TransportFactory, log: Logger = silentLogger()) {
    this.#make = make;
    this.#log = log;
    this.#events = new TypedEmitter((err, event) => this.#log.error({ err, event }, 'requestor listener failed'));
    this.#currentTarget = resolveHook(callHook, this.#defaultsFor(callHook, defaults));
    this.#defaults = {
      ...defaults,
      ...(defaults.baseUrl ? {} : { baseUrl: this.#currentTarget.url }),
      ...(this.#currentTarget.username !== undefined ? { username: this.#currentTarget.username } : {}),
      ...(this.#currentTarget.password !== undefined ? { password: this.#currentTarget.password } : {}),
    };
    this.#current = this.#adopt(this.#currentTarget);
  }

  get transport(): Requestor['transport'] {
    return this.#current.transport;
  }

  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    return this.#route(hook).request(type, hook, payload);
  }

  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void {
    let to = this.#current;
    if (hook !== undefined) {
      try {
        to = this.#route(hook);
      } catch (err) {
        this.#log.warn({ err: errorMessage(err), type }, 'notification hook unusable');
        return;
      }
    }
    to.notify(type, hook, payload);
  }

  on<K extends keyof RequestorEvents>(event: K, listener: (payload: RequestorEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(code?: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.#events.removeAllListeners();
    await this.#current.close(code);
  }

  #defaultsFor(hook: Hook, defaults: HookDefaults): HookDefaults {
    const ws = /^wss?:/i.test(hookUrl(hook) ?? '');
    return { ...defaults, defaultRetryCount: defaults.defaultRetryCount ?? (ws ? 5 : 0) };
  }

  /** The requestor that serves `hook`, switching transports when it names another one. */
  #route(hook: Hook): Requestor {
    const url = hookUrl(hook) ?? '';
    if (this.#closed || !/^[a-z][a-z0-9+.-]*:/i.test(url)) return this.#current;
    const target = resolveHook(hook, this.#defaultsFor(hook, this.#defaults));
    const ws = target.scheme === 'ws' || target.scheme === 'wss';
    const same = ws ? this.#current.transport === 'ws' && target.url === this.#currentTarget.url : this.#current.transport === 'http';
    if (same) return this.#current;
    this.#log.info({ from: this.#currentTarget.url, to: target.url }, 'hook switches the application transport');
    const old = this.#current;
    this.#unsubscribe();
    this.#current = this.#adopt(target);
    this.#currentTarget = target;
    old.close().catch(() => {});
    return this.#current;
  }

  #adopt(target: HookTarget): Requestor {
    const r = this.#make(target);
    const offCommand = r.on('command', (c) => this.#events.emit('command', c));
    const offClosed = r.on('closed', (c) => this.#events.emit('closed', c));
    this.#unsubscribe = () => {
      offCommand();
      offClosed();
    };
    return r;
  }
}
