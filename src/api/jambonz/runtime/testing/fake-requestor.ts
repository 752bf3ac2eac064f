/**
 * Requestors for tests: every request and notification is recorded, replies come from a script, and
 * the test can push commands or close the socket as an application would.
 */
import { TypedEmitter } from '../../../../lib/index.ts';
import type {
  AppCommand, Hook, HookNotifyType, HookRequestType, Requestor, RequestorContext, RequestorEvents, RequestorFactory, RequestorTransport,
} from '../../contract.ts';

export interface Sent {
  type: string;
  hook: string | undefined;
  payload: Record<string, unknown>;
}

export type Script = (type: HookRequestType, hook: string, payload: Record<string, unknown>) => unknown;

function urlOf(hook: Hook | undefined): string | undefined {
  return hook === undefined ? undefined : typeof hook === 'string' ? hook : hook.url;
}

export class FakeRequestor implements Requestor {
  readonly transport: RequestorTransport;
  readonly context: RequestorContext;
  readonly requests: Sent[] = [];
  readonly notifications: Sent[] = [];
  readonly closes: number[] = [];
  readonly #events = new TypedEmitter<{ command: AppCommand; closed: RequestorEvents['closed'] }>();
  script: Script;

  constructor(transport: RequestorTransport, context: RequestorContext, script: Script) {
    this.transport = transport;
    this.context = context;
    this.script = script;
  }

  async request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    const url = urlOf(hook)!;
    this.requests.push({ type, hook: url, payload });
    return this.script(type, url, payload);
  }

  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void {
    this.notifications.push({ type, hook: urlOf(hook), payload });
  }

  on<K extends keyof RequestorEvents>(event: K, listener: (payload: RequestorEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  async close(code = 1000): Promise<void> {
    this.closes.push(code);
  }

  /** The application sends a command. */
  command(command: string, data: unknown, extra: { queueCommand?: boolean; callSid?: string } = {}): void {
    const c: AppCommand = { command, queueCommand: extra.queueCommand ?? false, data, raw: { type: 'command', command, data } };
    if (extra.callSid !== undefined) c.callSid = extra.callSid;
    this.#events.emit('command', c);
  }

  /** The socket closed for good (1000: by the app, gracefully). */
  closedByApp(code: number, reason = ''): void {
    this.#events.emit('closed', { code, reason });
  }

  /** Notifications of one type, payloads only. */
  sent(type: string): Record<string, unknown>[] {
    return this.notifications.filter((n) => n.type === type).map((n) => n.payload);
  }
}

/** A factory whose requestors share one script; the transport follows the hook URL's scheme. */
export function fakeRequestors(script: Script): { factory: RequestorFactory; requestors: FakeRequestor[] } {
  const requestors: FakeRequestor[] = [];
  const factory: RequestorFactory = (hook, context) => {
    const url = urlOf(hook) ?? '';
    const r = new FakeRequestor(/^wss?:/i.test(url) ? 'ws' : 'http', context, script);
    requestors.push(r);
    return r;
  };
  return { factory, requestors };
}
