/**
 * Verbs of the original that this release does not run yet (message, llm and vendor bots). Reaching one is never silent: the
 * app gets a `jambonz:error` (WebSocket) and the log an error line, then the next verb runs.
 */
import type { VerbContext, VerbHandler } from './verb.ts';

export const UNSUPPORTED_VERBS = [
  'message', 'llm',
  'dialogflow', 'lex', 'rasa', 'rest:dial',
] as const;

export function unsupportedVerb(name: string): VerbHandler {
  return {
    name,
    precondition: 'none',
    async exec(ctx: VerbContext): Promise<void> {
      ctx.services.notifyError({ msg: 'unsupported verb', details: `${name} is not supported by this server yet` }, ctx.verb);
    },
  };
}
