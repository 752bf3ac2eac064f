/**
 * Which configured dialplan serves an application runner: the `transfer` app and `execute_extension`
 * look it up to honour `<dialplan> <context>` (specs/esl.md §6).
 */
import type { AppRunner } from '../apps.ts';
import type { ConfigDialplan } from './config-dialplan.ts';

const DIALPLANS = new WeakMap<AppRunner, ConfigDialplan>();

export function attachDialplan(runner: AppRunner, dialplan: ConfigDialplan): () => void {
  DIALPLANS.set(runner, dialplan);
  return () => {
    if (DIALPLANS.get(runner) === dialplan) DIALPLANS.delete(runner);
  };
}

export function dialplanOf(runner: AppRunner): ConfigDialplan | undefined {
  return DIALPLANS.get(runner);
}
