/**
 * `actionHookDelayAction` (specs/jambonz.md §3.A config, gather; feature-server action-hook-delay.js):
 * while an actionHook is unanswered, after `noResponseTimeout` seconds the `actions` (say / play /
 * pause) play to the caller, again after each further `noResponseTimeout` up to `retries` times; after
 * `noResponseGiveUpTimeout` seconds the session gives up on the hook and runs `giveUpActions` instead.
 * A reply stops the filler at once.
 */
import { asArray, asBoolean, asNumber, asRecord, normalizeVerbs, type VerbData } from './verb-data.ts';
import { playUrls, sleep, speak, type VerbServices } from './verbs/index.ts';

export interface DelayOptions {
  noResponseTimeoutMs: number;
  giveUpTimeoutMs: number;
  retries: number;
  actions: VerbData[];
  giveUpActions: VerbData[];
}

/** The options of an `actionHookDelayAction` object; undefined when disabled or unusable. */
export function delayOptionsOf(value: unknown): DelayOptions | undefined {
  const v = asRecord(value);
  if (!v || asBoolean(v['enabled']) === false || (v['enabled'] === undefined && v['enable'] === false)) return undefined;
  const noResponse = asNumber(v['noResponseTimeout']) ?? 0;
  const giveUp = asNumber(v['noResponseGiveUpTimeout']) ?? 0;
  const actions = normalizeVerbs(asArray(v['actions'])).filter((a) => a.verb === 'say' || a.verb === 'play' || a.verb === 'pause');
  const giveUpActions = normalizeVerbs(asArray(v['giveUpActions']));
  if (noResponse <= 0 && giveUp <= 0) return undefined;
  return {
    noResponseTimeoutMs: noResponse * 1000, giveUpTimeoutMs: giveUp * 1000, retries: Math.max(1, asNumber(v['retries']) ?? 1), actions, giveUpActions,
  };
}

export interface DelayHandle {
  /** The hook answered (or failed): stop the filler. */
  stop(): void;
  /** Resolves with the give-up verbs when the give-up timeout passes first. */
  readonly gaveUp: Promise<VerbData[]>;
}

export function startDelay(s: VerbServices, options: DelayOptions): DelayHandle {
  const controller = new AbortController();
  let giveUp!: (verbs: VerbData[]) => void;
  const gaveUp = new Promise<VerbData[]>((resolve) => { giveUp = resolve; });
  const timer = options.giveUpTimeoutMs > 0
    ? s.clock.setTimeout(() => {
      controller.abort();
      giveUp(options.giveUpActions);
    }, options.giveUpTimeoutMs)
    : undefined;
  const filler = async (): Promise<void> => {
    if (options.noResponseTimeoutMs <= 0 || options.actions.length === 0) return;
    for (let round = 0; round < options.retries; round++) {
      if (!(await sleep(s.clock, options.noResponseTimeoutMs, controller.signal))) return;
      for (const action of options.actions) {
        if (controller.signal.aborted || s.channel.ended) return;
        if (action.verb === 'say') await speak(s, action, controller.signal);
        else if (action.verb === 'play') await playUrls(s, action, controller.signal);
        else await sleep(s.clock, (asNumber(action['length']) ?? 0) * 1000, controller.signal);
      }
    }
  };
  void filler().catch((err: unknown) => s.log.warn({ err }, 'actionHookDelayAction filler failed'));
  return {
    gaveUp,
    stop() {
      timer?.cancel();
      controller.abort();
    },
  };
}
