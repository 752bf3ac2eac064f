/**
 * An N-way audio mixer for conferences and bridges, on linear 16-bit PCM frames at one sample rate
 * (8 or 16 kHz typically; callers resample). Per tick every contributing member's frame, scaled by its
 * input gain, is summed into a 32-bit accumulator; each member hears the total minus its own part
 * (minus-one, so nobody hears their own echo), scaled by its output gain and saturated to 16 bits.
 * Member controls follow what conference APIs expose (FreeSWITCH mod_conference: mute, deaf,
 * volume_in/volume_out levels, start-talking/stop-talking events; jambonz conference verbs).
 *
 * - mute: contributes nothing (talk detection still runs, for "you are muted" prompts).
 * - deaf: hears nothing (its output is silence).
 * - listeners: when set, only those members hear this one (whisper / coaching); the rest of the room
 *   does not. The member itself still hears the room.
 * - gains in dB (linear factor 10^(dB/20)); volumeLevelToDb() maps the -4..4 levels of conference
 *   volume commands to dB in 3 dB steps (an approximation of that scale, which is not specified in dB).
 * - talk detection on the input after gain: the level is the mean absolute sample value (0..32767);
 *   talking starts after `startFrames` frames at or above `startLevel` and stops after `hangoverMs` below
 *   `stopLevel` (hysteresis), reported through `onTalk`.
 *
 * Per tick nothing is allocated: every member owns preallocated input, contribution and output buffers.
 * Members that contribute nothing and hear the plain room at unit gain share one copy of the total.
 */
import { SwitchboardError } from '../lib/index.ts';

export type MixerErrorCode = 'MEDIA_MIXER_CONFIG' | 'MEDIA_MIXER_MEMBER' | 'MEDIA_MIXER_FRAME';

export class MixerError extends SwitchboardError {
  declare readonly code: MixerErrorCode;

  constructor(code: MixerErrorCode, message: string) {
    super(code, message);
  }
}

export interface TalkDetectionOptions {
  /** Mean absolute level that starts talking (default 300, about -40 dBFS). */
  startLevel?: number;
  /** Level under which the hangover runs (default 150). */
  stopLevel?: number;
  /** Consecutive frames at or above startLevel before talking starts (default 2). */
  startFrames?: number;
  /** Time below stopLevel before talking stops (default 500 ms). */
  hangoverMs?: number;
}

export interface MixerOptions {
  /** Sample rate of every member's frames (default 8000). */
  sampleRate?: number;
  frameMs?: number;
  talk?: TalkDetectionOptions;
  /** Talking started or stopped; called inside mix(), must not throw (errors are counted). */
  onTalk?: (member: MixerMember, talking: boolean) => void;
}

export interface MemberOptions {
  mute?: boolean;
  deaf?: boolean;
  inputGainDb?: number;
  outputGainDb?: number;
  /** Only these members hear this one (whisper); absent: everyone does. */
  listeners?: Iterable<MixerMember>;
}

/** dB of a conference volume level -4..4 (3 dB per step; 0 is unity). */
export function volumeLevelToDb(level: number): number {
  return Math.max(-4, Math.min(4, Math.trunc(level))) * 3;
}

const dbToGain = (db: number): number => (db === 0 ? 1 : Math.pow(10, db / 20));

export class MixerMember {
  readonly id: string;
  /** Write one frame here, then set hasInput (or call write()). */
  readonly input: Int16Array;
  hasInput = false;
  /**
   * This member's mix after mix(); read-only and valid until the next mix() (several members may share
   * one buffer, so read `output` again after every mix rather than keeping the reference).
   */
  output: Int16Array;
  /** True when output is all zeros (deaf, or nothing to hear): the caller may skip encoding. */
  outputSilent = true;
  mute: boolean;
  deaf: boolean;
  /** When set, only these members hear this one. */
  listeners: Set<MixerMember> | undefined;
  /** Talk detection state and the last input level (mean absolute sample). */
  talking = false;
  level = 0;
  /** @internal The scaled input of this tick (owned by the mixer). */
  readonly contribution: Int32Array;
  /** @internal This member's own output buffer (output may point to the shared room mix instead). */
  readonly ownOutput: Int16Array;
  /** @internal Whether this member is in this tick's mix. */
  contributes = false;
  /** @internal Linear factors of the dB gains. */
  inputGain = 1;
  outputGain = 1;
  /** @internal Talk detection counters. */
  aboveFrames = 0;
  belowMs = 0;
  #inputGainDb = 0;
  #outputGainDb = 0;

  constructor(id: string, frameSamples: number, options: MemberOptions) {
    this.id = id;
    this.input = new Int16Array(frameSamples);
    this.contribution = new Int32Array(frameSamples);
    this.ownOutput = new Int16Array(frameSamples);
    this.output = this.ownOutput;
    this.mute = options.mute ?? false;
    this.deaf = options.deaf ?? false;
    this.listeners = options.listeners ? new Set(options.listeners) : undefined;
    this.inputGainDb = options.inputGainDb ?? 0;
    this.outputGainDb = options.outputGainDb ?? 0;
  }

  get inputGainDb(): number {
    return this.#inputGainDb;
  }

  set inputGainDb(db: number) {
    this.#inputGainDb = db;
    this.inputGain = dbToGain(db);
  }

  get outputGainDb(): number {
    return this.#outputGainDb;
  }

  set outputGainDb(db: number) {
    this.#outputGainDb = db;
    this.outputGain = dbToGain(db);
  }

  /** Copies one frame of input for the next mix(); throws MEDIA_MIXER_FRAME on a wrong length. */
  write(frame: Int16Array): void {
    if (frame.length !== this.input.length) {
      throw new MixerError('MEDIA_MIXER_FRAME', `frame of ${frame.length} samples, the mixer takes ${this.input.length}`);
    }
    this.input.set(frame);
    this.hasInput = true;
  }
}

export class Mixer {
  readonly sampleRate: number;
  readonly frameMs: number;
  readonly frameSamples: number;
  /** onTalk callbacks that threw. */
  callbackErrors = 0;
  readonly #members: MixerMember[] = [];
  readonly #ids = new Set<string>();
  readonly #total: Int32Array;
  readonly #totalOut: Int16Array;
  #whisperers: MixerMember[] = [];
  #heard: MixerMember[] = [];
  #whisperCount = 0;
  readonly #acc: Int32Array;
  readonly #startLevel: number;
  readonly #stopLevel: number;
  readonly #startFrames: number;
  readonly #hangoverMs: number;
  readonly #onTalk: ((member: MixerMember, talking: boolean) => void) | undefined;

  constructor(options: MixerOptions = {}) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.frameMs = options.frameMs ?? 20;
    this.frameSamples = (this.sampleRate * this.frameMs) / 1000;
    if (!Number.isInteger(this.frameSamples) || this.frameSamples <= 0) {
      throw new MixerError('MEDIA_MIXER_CONFIG', `${this.frameMs} ms at ${this.sampleRate} Hz is not a whole number of samples`);
    }
    this.#total = new Int32Array(this.frameSamples);
    this.#totalOut = new Int16Array(this.frameSamples);
    this.#acc = new Int32Array(this.frameSamples);
    const t = options.talk ?? {};
    this.#startLevel = t.startLevel ?? 300;
    this.#stopLevel = t.stopLevel ?? 150;
    this.#startFrames = Math.max(1, t.startFrames ?? 2);
    this.#hangoverMs = t.hangoverMs ?? 500;
    this.#onTalk = options.onTalk;
  }

  get size(): number {
    return this.#members.length;
  }

  members(): readonly MixerMember[] {
    return this.#members;
  }

  /** Adds a member; throws MEDIA_MIXER_MEMBER when the id is taken. */
  add(id: string, options: MemberOptions = {}): MixerMember {
    if (this.#ids.has(id)) throw new MixerError('MEDIA_MIXER_MEMBER', `member ${id} is already in the mixer`);
    const m = new MixerMember(id, this.frameSamples, options);
    this.#ids.add(id);
    this.#members.push(m);
    if (this.#whisperers.length < this.#members.length) {
      this.#whisperers = new Array<MixerMember>(this.#members.length * 2);
      this.#heard = new Array<MixerMember>(this.#members.length * 2);
    }
    return m;
  }

  /** Removes a member (and drops it from others' listener sets). Idempotent. */
  remove(member: MixerMember): void {
    const i = this.#members.indexOf(member);
    if (i < 0) return;
    this.#members.splice(i, 1);
    this.#ids.delete(member.id);
    for (const m of this.#members) m.listeners?.delete(member);
  }

  /** Removes everyone. */
  close(): void {
    this.#members.length = 0;
    this.#ids.clear();
  }

  /** Mixes one tick: reads every member's input (then clears hasInput), writes every member's output. */
  mix(): void {
    const members = this.#members;
    const n = this.frameSamples;
    const total = this.#total;
    total.fill(0);
    let whisperCount = 0;
    for (let k = 0; k < members.length; k++) {
      const m = members[k]!;
      const level = m.hasInput ? this.#contribute(m) : 0;
      m.hasInput = false;
      m.level = level;
      this.#detectTalk(m, level);
      m.contributes = level > 0 && !m.mute;
      if (!m.contributes) continue;
      if (m.listeners) {
        this.#whisperers[whisperCount++] = m;
        continue;
      }
      const c = m.contribution;
      for (let i = 0; i < n; i++) total[i]! += c[i]!;
    }
    this.#whisperCount = whisperCount;
    let totalSilent = true;
    const totalOut = this.#totalOut;
    for (let i = 0; i < n; i++) {
      const v = total[i]!;
      if (v !== 0) totalSilent = false;
      totalOut[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    for (let k = 0; k < members.length; k++) this.#render(members[k]!, totalSilent);
  }

  /** Scales the input into the member's contribution; returns its mean absolute level. */
  #contribute(m: MixerMember): number {
    const n = this.frameSamples;
    const input = m.input;
    const c = m.contribution;
    const g = m.inputGain;
    let sum = 0;
    if (g === 1) {
      for (let i = 0; i < n; i++) {
        const v = input[i]!;
        c[i] = v;
        sum += v < 0 ? -v : v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = Math.round(input[i]! * g);
        c[i] = v;
        sum += v < 0 ? -v : v;
      }
    }
    return sum / n;
  }

  /** Collects into #heard the whisperers `m` hears this tick; returns how many. */
  #collectHeard(m: MixerMember): number {
    let count = 0;
    for (let w = 0; w < this.#whisperCount; w++) {
      const s = this.#whisperers[w]!;
      if (s !== m && s.listeners!.has(m)) this.#heard[count++] = s;
    }
    return count;
  }

  #render(m: MixerMember, totalSilent: boolean): void {
    const n = this.frameSamples;
    if (m.deaf) {
      if (!m.outputSilent) m.ownOutput.fill(0);
      m.output = m.ownOutput;
      m.outputSilent = true;
      return;
    }
    const ownInTotal = m.contributes && m.listeners === undefined;
    const heard = this.#whisperCount > 0 ? this.#collectHeard(m) : 0;
    if (!ownInTotal && heard === 0 && m.outputGain === 1) {
      m.output = this.#totalOut; // the plain room, shared
      m.outputSilent = totalSilent;
      return;
    }
    const acc = this.#acc;
    acc.set(this.#total);
    if (ownInTotal) {
      const own = m.contribution;
      for (let i = 0; i < n; i++) acc[i]! -= own[i]!;
    }
    for (let h = 0; h < heard; h++) {
      const c = this.#heard[h]!.contribution;
      for (let i = 0; i < n; i++) acc[i]! += c[i]!;
    }
    const out = m.ownOutput;
    const g = m.outputGain;
    let silent = true;
    for (let i = 0; i < n; i++) {
      let v = acc[i]!;
      if (g !== 1) v = Math.round(v * g);
      if (v !== 0) silent = false;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    m.output = out;
    m.outputSilent = silent;
  }

  #detectTalk(m: MixerMember, level: number): void {
    if (!m.talking) {
      m.aboveFrames = level >= this.#startLevel ? m.aboveFrames + 1 : 0;
      if (m.aboveFrames >= this.#startFrames) {
        m.talking = true;
        m.belowMs = 0;
        this.#emitTalk(m, true);
      }
      return;
    }
    m.belowMs = level < this.#stopLevel ? m.belowMs + this.frameMs : 0;
    if (m.belowMs >= this.#hangoverMs) {
      m.talking = false;
      m.aboveFrames = 0;
      this.#emitTalk(m, false);
    }
  }

  #emitTalk(m: MixerMember, talking: boolean): void {
    if (!this.#onTalk) return;
    try {
      this.#onTalk(m, talking);
    } catch {
      this.callbackErrors++;
    }
  }
}
