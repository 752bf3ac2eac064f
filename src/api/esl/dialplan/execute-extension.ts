/**
 * `execute_extension <extension> [<dialplan>] [<context>]` (specs/esl.md §6; FreeSWITCH
 * mod_dptools): hunts the extension in the configured dialplan (the channel's context when none is
 * named) and runs what it finds at once, in order, then returns to the caller's application list.
 * `-ERR` when no dialplan serves the context or nothing matched.
 */
import type { AppFn } from '../apps.ts';
import { dialplanOf } from './registry.ts';

export const executeExtensionApp: AppFn = async (ch, arg, runner) => {
  const [ext, , contextArg] = arg.trim().split(/\s+/).filter((w) => w !== '');
  const dialplan = dialplanOf(runner);
  if (ext === undefined || !dialplan) return '-ERR';
  const context = contextArg ?? ch.getVariable('context') ?? dialplan.inboundContext;
  if (!dialplan.knows(context)) return '-ERR';
  const steps = dialplan.steps(ch, ext, context);
  if (steps.length === 0) return '-ERR';
  for (const step of steps) {
    if (ch.ended) break;
    await runner.run(ch, step.app, step.data);
  }
  return '_none_';
};
