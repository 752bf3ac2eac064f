/**
 * RTP sequence number validation and extension, RFC 3550 appendix A.1: a source is valid after
 * MIN_SEQUENTIAL in-order packets (probation); 16-bit wrap-around is counted in `cycles`; a jump of
 * MAX_DROPOUT or more is treated as bad unless the next packet follows it (then the source restarted
 * and the statistics are re-initialised); older packets within MAX_MISORDER are misordered or duplicates.
 */

export const RTP_SEQ_MOD = 0x10000;
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;

/** Signed distance a - b between two 16-bit sequence numbers, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return ((a - b) << 16) >> 16;
}

/** (seq + n) mod 2^16. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) & 0xffff;
}

/**
 * What a packet did to the tracker (constant strings):
 * - 'valid': in order or ahead within MAX_DROPOUT; counted.
 * - 'misordered': not newer than the highest seen (reordered or duplicate) within MAX_MISORDER; counted.
 * - 'probation': the source is not yet validated; not counted.
 * - 'bad': a large jump; not counted (the next packet decides whether the source restarted).
 * - 'restart': the packet after a bad one followed it: statistics restarted from here; counted.
 */
export type SeqVerdict = 'valid' | 'misordered' | 'probation' | 'bad' | 'restart';

export class SequenceTracker {
  /** Highest sequence number seen (16 bits). */
  maxSeq = 0;
  /** Count of sequence number wraps, shifted left by 16 (cycles * 2^16) as in A.1. */
  cycles = 0;
  baseSeq = 0;
  badSeq = RTP_SEQ_MOD + 1;
  probation = MIN_SEQUENTIAL;
  /** Packets counted since the last (re)initialisation. */
  received = 0;
  /** Extended sequence number of the last packet passed to update() (for 'valid', 'misordered', 'restart'). */
  lastExtended = 0;
  #started = false;

  constructor(readonly minSequential: number = MIN_SEQUENTIAL) {
    this.probation = minSequential;
  }

  /** True once a first packet was seen. */
  get started(): boolean {
    return this.#started;
  }

  /** Forgets everything: the next packet starts a new source in probation. */
  reset(): void {
    this.#started = false;
    this.maxSeq = 0;
    this.cycles = 0;
    this.baseSeq = 0;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.probation = this.minSequential;
    this.received = 0;
    this.lastExtended = 0;
  }

  /** The extended highest sequence number received (cycles + max_seq). */
  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  /** Packets expected since the base (A.3): extended max - base + 1. */
  get expected(): number {
    return !this.#started || this.probation > 0 ? 0 : this.extendedMax - this.baseSeq + 1;
  }

  /** Cumulative packets lost (A.3): expected - received; negative with duplicates. */
  get lost(): number {
    return this.expected - this.received;
  }

  /** Re-initialises on `seq` as the new base (A.1 init_seq). */
  init(seq: number): void {
    this.#started = true;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.lastExtended = seq;
  }

  /** Feeds one packet's sequence number (A.1 update_seq). */
  update(seq: number): SeqVerdict {
    seq &= 0xffff;
    if (!this.#started) {
      this.init(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = this.minSequential;
    }
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.init(seq);
          this.received++;
          return 'valid';
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
      }
      return 'probation';
    }
    if (udelta === 0) {
      // A repeat of the highest: A.1 counts it (the in-order branch); reported as misordered.
      this.lastExtended = this.cycles + seq;
      this.received++;
      return 'misordered';
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
      this.lastExtended = this.cycles + seq;
      this.received++;
      return 'valid';
    }
    if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a jump: the source restarted without telling us.
        this.init(seq);
        this.received++;
        return 'restart';
      }
      this.badSeq = (seq + 1) & 0xffff;
      return 'bad';
    }
    // Duplicate or reordered within MAX_MISORDER: the extended number is in the current or previous cycle.
    this.lastExtended = this.cycles + seq - (seq > this.maxSeq ? RTP_SEQ_MOD : 0);
    this.received++;
    return 'misordered';
  }
}
