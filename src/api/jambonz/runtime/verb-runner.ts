/**
 * Runs one verb of a call session at a time (specs/jambonz.md §3 "Preconditions", §1.6 `verb:status`;
 * the original's CallSession.exec loop body): looks the verb up in the table of verbs/, answers or skips
 * as its precondition says (answering first when it needs media), reports `starting` / `finished`, and keeps the running verb so that a new
 * application (hook reply, command, hangup) can kill it.
 */
import type { Channel } from '../../../core/index.ts';
import { errorMessage, type Logger } from '../../../lib/index.ts';
import { earlyMediaOf, preconditionOf, skipReason } from './preconditions.ts';
import type { SessionBargeIn } from './session-barge-in.ts';
import type { VerbData } from './verb-data.ts';
import { APP_SUPERSEDED } from './verb-stack.ts';
import { VERBS, type VerbContext, type VerbHandler, type VerbServices } from './verbs/index.ts';

/**
 * Answers an inbound call for a verb that needs media, or sends early media when the verb asks for it;
 * false when the call is gone or the answer failed.
 */
export async function ensureMedia(ch: Channel, log: Logger, earlyMedia: boolean): Promise<boolean> {
  if (ch.ended) return false;
  if (ch.answered) return true;
  if (ch.direction !== 'inbound') return true;
  if (earlyMedia) {
    if (ch.state === 'early') return true;
    const r = await ch.preAnswer();
    if (!r.ok) log.info({ err: r.error.message }, 'early media failed');
    return r.ok && !ch.ended;
  }
  const r = await ch.answer();
  if (!r.ok) log.info({ err: r.error.message }, 'answer failed');
  return r.ok && !ch.ended;
}

interface Running {
  handler: VerbHandler;
  ctx: VerbContext;
  controller: AbortController;
}

export class VerbRunner {
  readonly #services: VerbServices;
  readonly #bargeIn: SessionBargeIn;
  #current: Running | undefined;

  constructor(services: VerbServices, bargeIn: SessionBargeIn) {
    this.#services = services;
    this.#bargeIn = bargeIn;
  }

  /** The name of the verb running now. */
  get current(): string | undefined { return this.#current?.ctx.verb.verb; }

  /** Runs `verb` to its end (or until killed); never rejects. */
  async execute(verb: VerbData): Promise<void> {
    const services = this.#services;
    const handler = VERBS.get(verb.verb);
    if (!handler) {
      services.notifyError({ msg: 'invalid verb', details: `unknown verb ${verb.verb}` }, verb);
      return;
    }
    const pre = preconditionOf(handler, verb);
    if (pre === 'endpoint' && !(await services.ensureMedia(earlyMediaOf(verb)))) return;
    const skip = skipReason(pre, services.channel.answered);
    if (skip) {
      services.log.info({ verb: verb.verb }, `verb skipped: ${skip}`);
      return;
    }
    if (services.channel.ended) return;
    const controller = new AbortController();
    // The verb's child logger is made on first use: most verbs never log.
    let verbLog: Logger | undefined;
    const sessionLog = services.log;
    const ctx: VerbContext = {
      services, verb, signal: controller.signal,
      get log() { return (verbLog ??= sessionLog.child({ verb: verb.verb })); },
    };
    this.#current = { handler, ctx, controller };
    const id = verb.id;
    services.notifyStatus({ event: 'starting', ...(id !== undefined ? { id } : {}), name: verb.verb });
    const resumeBargeIn = verb.verb === 'gather' ? this.#bargeIn.suspend() : undefined;
    try {
      await handler.exec(ctx);
    } catch (err) {
      ctx.log.error({ err }, 'verb failed');
      services.notifyError({ msg: 'verb failed', details: errorMessage(err) }, verb);
    } finally {
      if (this.#current?.ctx === ctx) this.#current = undefined;
      resumeBargeIn?.();
      services.notifyStatus({ event: 'finished', ...(id !== undefined ? { id } : {}), name: verb.verb });
    }
  }

  /** Kills the running verb, if any: its own kill(), then its abort signal. */
  kill(): void {
    const c = this.#current;
    if (!c) return;
    this.#current = undefined;
    try {
      c.handler.kill?.(c.ctx);
    } catch (err) {
      this.#services.log.warn({ err }, 'verb kill failed');
    }
    c.controller.abort(APP_SUPERSEDED);
  }
}
