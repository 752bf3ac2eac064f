/**
 * Talk detection on a session's received audio (the same model as the mixer's, for a leg outside a
 * conference): the level is the mean absolute sample; talking starts after `startFrames` frames at or
 * above `startLevel` and stops after `hangoverMs` below `stopLevel`.
 */
import type { TalkDetectionOptions } from '../mixer.ts';

export class TalkDetector {
  talking = false;
  level = 0;
  readonly #startLevel: number;
  readonly #stopLevel: number;
  readonly #startFrames: number;
  readonly #hangoverMs: number;
  readonly #frameMs: number;
  readonly #onChange: (talking: boolean, level: number) => void;
  #above = 0;
  #belowMs = 0;

  constructor(options: TalkDetectionOptions, frameMs: number, onChange: (talking: boolean, level: number) => void) {
    this.#startLevel = options.startLevel ?? 300;
    this.#stopLevel = options.stopLevel ?? 150;
    this.#startFrames = Math.max(1, options.startFrames ?? 2);
    this.#hangoverMs = options.hangoverMs ?? 500;
    this.#frameMs = frameMs;
    this.#onChange = onChange;
  }

  /** One tick of received audio; `audio` false means nothing was received (counts as silence). */
  process(frame: Int16Array, audio: boolean): void {
    let level = 0;
    if (audio) {
      let sum = 0;
      for (let i = 0; i < frame.length; i++) {
        const v = frame[i]!;
        sum += v < 0 ? -v : v;
      }
      level = frame.length > 0 ? sum / frame.length : 0;
    }
    this.level = level;
    if (!this.talking) {
      this.#above = level >= this.#startLevel ? this.#above + 1 : 0;
      if (this.#above >= this.#startFrames) {
        this.talking = true;
        this.#belowMs = 0;
        this.#onChange(true, level);
      }
      return;
    }
    this.#belowMs = level < this.#stopLevel ? this.#belowMs + this.#frameMs : 0;
    if (this.#belowMs >= this.#hangoverMs) {
      this.talking = false;
      this.#above = 0;
      this.#onChange(false, level);
    }
  }
}
