/**
 * Applications that run inside the server: a Requestor (contract.ts) whose hooks are answered by a
 * function in this process instead of a webhook server, and a RequestorFactory wrapper that serves the
 * `builtin:<name>` call hooks with it and passes every other hook on.
 */
import type { Hook, HookRequestType, Requestor, RequestorFactory } from '../contract.ts';
import { demoIvrReply, newDemoIvrState } from './demo-ivr.ts';

/** The call hook of the built-in demo application. */
export const BUILTIN_DEMO_HOOK = 'builtin:demo';

type Reply = (type: HookRequestType, hook: string, payload: Record<string, unknown>) => unknown;

class BuiltinRequestor implements Requestor {
  readonly transport = 'http' as const;
  readonly #reply: Reply;
  #closed = false;

  constructor(reply: Reply) {
    this.#reply = reply;
  }

  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the built-in application is closed'));
    return Promise.resolve(this.#reply(type, typeof hook === 'string' ? hook : hook.url, payload));
  }

  notify(): void {}

  on(): () => void {
    return () => {};
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

/** `factory` plus the built-in applications (`builtin:demo`). */
export function withBuiltinApps(factory: RequestorFactory): RequestorFactory {
  return (hook, context) => {
    const url = typeof hook === 'string' ? hook : hook.url;
    if (url === BUILTIN_DEMO_HOOK) {
      const state = newDemoIvrState();
      return new BuiltinRequestor((type, h, payload) => demoIvrReply(state, type, h, payload));
    }
    return factory(hook, context);
  };
}
