/**
 * The verb stack of a session (specs/jambonz.md §1.5-1.7): what runs next, replaced as a whole by hook
 * replies and `queueCommand: false` commands (each replacement is a new generation with its own abort
 * signal, so waits of the old application give up), extended by `queueCommand: true`, and an idle wait
 * that ends when verbs arrive or the call ends.
 */
import type { VerbData } from './verb-data.ts';

/**
 * The abort reason of an application's signal: one shared value, so that ending a verb does not build
 * an error object (and its stack) per call.
 */
export const APP_SUPERSEDED: Error = new Error('the application was replaced or the call ended');

export class VerbStack {
  #verbs: VerbData[] = [];
  #generation = 0;
  #app = new AbortController();
  #wake: (() => void) | undefined;
  #ended = false;

  get pending(): readonly VerbData[] { return this.#verbs; }
  get generation(): number { return this.#generation; }
  /** Aborted when the application is replaced or the call ends. */
  get signal(): AbortSignal { return this.#app.signal; }

  next(): VerbData | undefined {
    return this.#verbs.shift();
  }

  replace(verbs: readonly VerbData[]): void {
    this.#generation++;
    this.#app.abort(APP_SUPERSEDED);
    this.#app = new AbortController();
    this.#verbs = [...verbs];
    this.#wake?.();
  }

  queue(verbs: readonly VerbData[]): void {
    this.#verbs.push(...verbs);
    this.#wake?.();
  }

  /** The call ended: waits end, the current application's signal aborts. */
  end(): void {
    this.#ended = true;
    this.#app.abort(APP_SUPERSEDED);
    this.#wake?.();
  }

  /** Wakes an idle wait without adding verbs (the app closed its socket). */
  poke(): void {
    this.#wake?.();
  }

  /** Resolves when verbs are there, the call ended, or poke(). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      if (this.#ended || this.#verbs.length > 0) done();
    });
  }
}

const ABORTED = new Error('aborted');

/** The promise's outcome, or a rejection as soon as the signal aborts (the promise keeps running). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(ABORTED);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
