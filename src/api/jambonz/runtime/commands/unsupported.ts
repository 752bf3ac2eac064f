/**
 * Commands whose feature is not in this release (specs/jambonz.md §1.6):
 * LLM and TTS streaming. Each answers a `jambonz:error`, never silence.
 */
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

export const UNSUPPORTED_COMMANDS = [
  'llm:tool-output',
  'llm:update', 'tts:tokens', 'tts:flush', 'tts:clear',
] as const;

export function unsupportedCommand(name: string): CommandHandler {
  return {
    name,
    exec() {
      throw new RuntimeError('JAMBONZ_UNSUPPORTED', `command ${name} is not supported by this server yet`);
    },
  };
}
