/**
 * The background gather of `config.bargeIn` (specs/jambonz.md §3.A): runs alongside the verb stack
 * with the bargeIn options (default input speech, no timeout); a result goes to its actionHook, whose
 * reply replaces the application (killing the running verb). `sticky` starts it again after each
 * result; `enable: false` stops it. A foreground gather suspends it while it runs.
 */
import { hookOf, type BargeInOptions, type VerbServices } from './verbs/verb.ts';
import { collect, gatherPayload } from './verbs/gather.ts';

export class SessionBargeIn {
  readonly #services: VerbServices;
  #controller: AbortController | undefined;
  #options: BargeInOptions | undefined;

  constructor(services: VerbServices) {
    this.#services = services;
  }

  get active(): boolean {
    return this.#controller !== undefined;
  }

  set(options: BargeInOptions): void {
    this.stop();
    if (!options.enable) return;
    this.#options = options;
    void this.#run(options);
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#options = undefined;
  }

  /** Pauses a running background gather (a foreground gather takes the input); returns how to resume. */
  suspend(): (() => void) | undefined {
    const options = this.#options;
    if (!options || !this.#controller) return undefined;
    this.stop();
    return () => {
      if (!this.#controller && !this.#services.channel.ended) this.set(options);
    };
  }

  async #run(options: BargeInOptions): Promise<void> {
    const s = this.#services;
    const controller = new AbortController();
    this.#controller = controller;
    // Bounded: each round waits for a caller's input; a round that ends at once (an error) stops it.
    for (let round = 0; round < 10_000; round++) {
      const outcome = await collect(s, options.data, controller.signal, { background: true });
      if (outcome.reason === 'killed' || controller.signal.aborted || s.channel.ended) break;
      if (outcome.reason === 'error') {
        s.notifyError({ msg: 'bargeIn failed', details: outcome.details }, options.data);
        break;
      }
      await s.performAction(hookOf(options.data['actionHook']), gatherPayload(outcome), options.data);
      if (!options.sticky || controller.signal.aborted) break;
    }
    if (this.#controller === controller) {
      this.#controller = undefined;
      this.#options = undefined;
    }
  }
}
