/**
 * Per-source receive statistics, RFC 3550 appendix A: sequence validation (A.1, in SequenceTracker),
 * loss since the last report and cumulative (A.3), interarrival jitter (A.8), and the LSR/DLSR fields of a
 * report block (6.4.1). Plain numbers, updated per packet without allocation.
 */
import type { ReportBlock } from './rtcp.ts';
import { SequenceTracker, type SeqVerdict } from './sequence-tracker.ts';

export interface LossInterval {
  /** Fraction lost since the previous call, in 1/256 units (0..255). */
  fractionLost: number;
  /** Cumulative lost (expected - received), clamped to 24-bit signed. */
  cumulativeLost: number;
}

/** A.3: the loss fraction over an interval from its expected and received counts, 8-bit fixed point. */
export function fractionLost(expectedInterval: number, receivedInterval: number): number {
  const lostInterval = expectedInterval - receivedInterval;
  if (expectedInterval <= 0 || lostInterval <= 0) return 0;
  return Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
}

/** Clamps a cumulative loss count to the 24-bit signed field of a report block. */
export function clampCumulativeLost(lost: number): number {
  return Math.max(-0x800000, Math.min(0x7fffff, lost));
}

/**
 * A.8: one jitter update. `transitDelta` is the change of relative transit time between two packets,
 * in timestamp units: J += (|D| - J) / 16.
 */
export function updateJitter(jitter: number, transitDelta: number): number {
  const d = transitDelta < 0 ? -transitDelta : transitDelta;
  return jitter + (d - jitter) / 16;
}

export class RtpReceiveStats {
  readonly seq: SequenceTracker;
  /** SSRC of the source these statistics are about. */
  ssrc = 0;
  /** Packets counted by the sequence tracker (valid + misordered + restart) over the source's life. */
  packets = 0;
  /** Payload octets of counted packets. */
  octets = 0;
  /** Interarrival jitter estimate in timestamp units (A.8, not rounded). */
  jitter = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #lastArrivalUnits = 0;
  #lastTimestamp = 0;
  #hasTransit = false;
  /** Middle 32 bits of the last SR's NTP time (0 = none) and when it arrived (local ms). */
  #lastSr = 0;
  #lastSrArrivalMs = 0;

  #clockRate: number;

  constructor(clockRate: number, minSequential?: number) {
    this.#clockRate = clockRate;
    this.seq = new SequenceTracker(minSequential);
  }

  /** RTP clock rate of the source's current payload format (the unit of `jitter`). */
  get clockRate(): number {
    return this.#clockRate;
  }

  /**
   * The source switched to a payload format with another clock rate (re-INVITE): the jitter estimate is
   * converted to the new timestamp unit and the transit reference restarts with the next packet, since
   * the timestamp spacing across the switch mixes two rates (A.8 assumes one clock per source).
   */
  setClockRate(clockRate: number): void {
    if (!(clockRate > 0) || clockRate === this.#clockRate) return;
    this.jitter = (this.jitter * clockRate) / this.#clockRate;
    this.#clockRate = clockRate;
    this.#hasTransit = false;
  }

  /** Forgets the source (a new SSRC starts in probation). */
  reset(ssrc = 0): void {
    this.seq.reset();
    this.ssrc = ssrc >>> 0;
    this.packets = 0;
    this.octets = 0;
    this.jitter = 0;
    this.#expectedPrior = 0;
    this.#receivedPrior = 0;
    this.#hasTransit = false;
    this.#lastSr = 0;
    this.#lastSrArrivalMs = 0;
  }

  /**
   * Accounts one packet that arrived at `arrivalMs` (a monotonic clock in ms) and returns what the
   * sequence tracker made of it. Jitter is updated for every counted packet.
   */
  onPacket(sequenceNumber: number, timestamp: number, arrivalMs: number, payloadOctets: number): SeqVerdict {
    const verdict = this.seq.update(sequenceNumber);
    if (verdict === 'bad' || verdict === 'probation') return verdict;
    if (verdict === 'restart') {
      this.#expectedPrior = 0;
      this.#receivedPrior = 0;
      this.#hasTransit = false;
    }
    this.packets++;
    this.octets += payloadOctets;
    const arrivalUnits = (arrivalMs * this.#clockRate) / 1000;
    if (this.#hasTransit) {
      // D = (Rj - Ri) - (Sj - Si): arrival spacing minus timestamp spacing (modulo-2^32 safe).
      const d = arrivalUnits - this.#lastArrivalUnits - ((timestamp - this.#lastTimestamp) | 0);
      this.jitter = updateJitter(this.jitter, d);
    }
    this.#hasTransit = true;
    this.#lastArrivalUnits = arrivalUnits;
    this.#lastTimestamp = timestamp >>> 0;
    return verdict;
  }

  /** Jitter in milliseconds. */
  get jitterMs(): number {
    return (this.jitter * 1000) / this.#clockRate;
  }

  /** Cumulative lost since the source was validated (A.3; negative with duplicates). */
  get cumulativeLost(): number {
    return this.seq.lost;
  }

  /** Records an SR from this source (its NTP middle 32 bits) for the LSR/DLSR of the next report. */
  onSenderReport(ntpMiddle: number, arrivalMs: number): void {
    this.#lastSr = ntpMiddle >>> 0;
    this.#lastSrArrivalMs = arrivalMs;
  }

  /** A.3 loss over the interval since the previous call; moves the interval forward. */
  takeLossInterval(out: LossInterval = { fractionLost: 0, cumulativeLost: 0 }): LossInterval {
    const expected = this.seq.expected;
    const received = this.seq.received;
    out.fractionLost = fractionLost(expected - this.#expectedPrior, received - this.#receivedPrior);
    out.cumulativeLost = clampCumulativeLost(expected - received);
    this.#expectedPrior = expected;
    this.#receivedPrior = received;
    return out;
  }

  /** True once the source has been validated (a report block about it makes sense). */
  get valid(): boolean {
    return this.seq.started && this.seq.probation === 0;
  }

  /** Builds a report block about this source at `nowMs` (same clock as arrivals); moves the loss interval. */
  reportBlock(nowMs: number): ReportBlock {
    const loss = this.takeLossInterval();
    const dlsr = this.#lastSr === 0 ? 0 : Math.max(0, Math.round(((nowMs - this.#lastSrArrivalMs) * 65536) / 1000));
    return {
      ssrc: this.ssrc,
      fractionLost: loss.fractionLost,
      cumulativeLost: loss.cumulativeLost,
      extendedHighestSeq: this.seq.extendedMax >>> 0,
      jitter: Math.round(this.jitter),
      lastSr: this.#lastSr,
      delaySinceLastSr: dlsr >>> 0,
    };
  }
}
