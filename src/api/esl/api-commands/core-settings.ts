/**
 * Run-time settings that FreeSWITCH keeps in its core and `fsctl` reads or changes (compatibility
 * source: switch_core.c switch_core_session_ctl, switch_core_{min,max,default}_dtmf_duration; specs/esl.md
 * §5 fsctl): debug level, minimum idle CPU, the DTMF duration bounds in 8 kHz samples, and the
 * sessions-per-second count of the last whole second (from core's channel.created events).
 */
import type { Switch } from '../../../core/index.ts';

/** switch_types.h SWITCH_{MIN,MAX,DEFAULT}_DTMF_DURATION, in samples at 8 kHz. */
export const DTMF_BOUNDS = { min: 400, max: 192_000, default: 2000 } as const;

export class CoreSettings {
  /** `fsctl debug_level`: 0-10. */
  debugLevel = 0;
  /** `fsctl min_idle_cpu`: percent; 0 disabled. Reported only: the server does not refuse calls on CPU. */
  minIdleCpu = 0;
  readonly dtmf = { min: DTMF_BOUNDS.min as number, max: DTMF_BOUNDS.max as number, default: DTMF_BOUNDS.default as number };
  readonly #now: () => number;
  readonly #off: () => void;
  #second = -1;
  #count = 0;
  #last = 0;

  constructor(sw: Switch) {
    this.#now = () => sw.now();
    this.#off = sw.bus.on('channel.created', () => {
      this.#roll();
      this.#count++;
    });
  }

  /** New sessions in the last whole second. */
  lastSps(): number {
    this.#roll();
    return this.#last;
  }

  /** switch_core_max_dtmf_duration: n > 0 sets (clamped to the bounds, lowering min if needed). */
  maxDtmf(n: number): number {
    if (n > 0) {
      const d = clampDtmf(n);
      this.dtmf.max = d;
      if (d < this.dtmf.min) this.dtmf.min = d;
    }
    return this.dtmf.max;
  }

  /** switch_core_min_dtmf_duration: n > 0 sets (clamped, raising max if needed). */
  minDtmf(n: number): number {
    if (n > 0) {
      const d = clampDtmf(n);
      this.dtmf.min = d;
      if (d > this.dtmf.max) this.dtmf.max = d;
    }
    return this.dtmf.min;
  }

  /** switch_core_default_dtmf_duration: n > 0 sets (clamped, widening min / max if needed). */
  defaultDtmf(n: number): number {
    if (n > 0) {
      const d = clampDtmf(n);
      this.dtmf.default = d;
      if (d < this.dtmf.min) this.dtmf.min = d;
      if (d > this.dtmf.max) this.dtmf.max = d;
    }
    return this.dtmf.default;
  }

  /** Whether `fsctl default_dtmf_duration` changed the built-in default. */
  get defaultDtmfChanged(): boolean {
    return this.dtmf.default !== DTMF_BOUNDS.default;
  }

  /** The default digit length in ms (8 kHz samples / 8). */
  get defaultDtmfMs(): number {
    return this.dtmf.default / 8;
  }

  close(): void {
    this.#off();
  }

  #roll(): void {
    const sec = Math.floor(this.#now() / 1000);
    if (sec === this.#second) return;
    this.#last = sec === this.#second + 1 ? this.#count : 0;
    this.#second = sec;
    this.#count = 0;
  }
}

function clampDtmf(n: number): number {
  return Math.min(DTMF_BOUNDS.max, Math.max(DTMF_BOUNDS.min, Math.trunc(n)));
}
