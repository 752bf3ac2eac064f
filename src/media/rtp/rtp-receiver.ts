/**
 * The receiving side of one RTP stream (RFC 3550 sections 8.2 and appendix A.1): it follows one SSRC at
 * a time. A different SSRC is adopted after `switchAfter` consecutive packets from it (a B2BUA or
 * re-INVITE that changed the far end), or at once when it is the SSRC the signalling announced; until
 * then such packets are 'foreign' and dropped, so a stray stream interleaved with the real one cannot take
 * over. On a change the statistics restart for the new source (the loss counted so far is retired into
 * `lostTotal`).
 */
import type { RtpPacketView } from './rtp-packet.ts';
import { RtpReceiveStats } from './rtp-stats.ts';
import type { SeqVerdict } from './sequence-tracker.ts';

export interface RtpReceiverOptions {
  clockRate: number;
  /** Consecutive packets from a new SSRC before it replaces the current one (default 2). */
  switchAfter?: number;
  /** An SSRC announced by signalling (a=ssrc): adopted on its first packet. */
  expectedSsrc?: number;
  /** A.1 probation length (default 2). */
  minSequential?: number;
}

/** SeqVerdict for the current source, 'ssrc-change' for the first packet of an adopted source, or 'foreign'. */
export type RtpReceiveVerdict = SeqVerdict | 'ssrc-change' | 'foreign';

export class RtpReceiver {
  readonly stats: RtpReceiveStats;
  readonly switchAfter: number;
  expectedSsrc: number | undefined;
  /** The SSRC being followed; undefined before the first packet. */
  ssrc: number | undefined;
  ssrcChanges = 0;
  /** Packets dropped because they came from another SSRC. */
  foreign = 0;
  #candidate = 0;
  #candidateCount = 0;
  #lostRetired = 0;

  constructor(options: RtpReceiverOptions) {
    this.stats = new RtpReceiveStats(options.clockRate, options.minSequential);
    this.switchAfter = Math.max(1, options.switchAfter ?? 2);
    this.expectedSsrc = options.expectedSsrc === undefined ? undefined : options.expectedSsrc >>> 0;
  }

  /** Lost packets over every source followed so far. */
  get lostTotal(): number {
    return this.#lostRetired + this.stats.cumulativeLost;
  }

  /** The stream's payload format now runs at `clockRate` (a re-INVITE changed codec). */
  setClockRate(clockRate: number): void {
    this.stats.setClockRate(clockRate);
  }

  /** Forgets the current source (e.g. after a re-INVITE changed the remote). */
  reset(expectedSsrc?: number): void {
    this.#lostRetired += this.stats.cumulativeLost;
    this.stats.reset();
    this.ssrc = undefined;
    this.#candidateCount = 0;
    this.expectedSsrc = expectedSsrc === undefined ? undefined : expectedSsrc >>> 0;
  }

  /** Accounts a parsed packet that arrived at `arrivalMs`. */
  receive(packet: RtpPacketView, arrivalMs: number): RtpReceiveVerdict {
    const ssrc = packet.ssrc;
    if (ssrc !== this.ssrc) {
      if (this.ssrc !== undefined && ssrc !== this.expectedSsrc) {
        if (ssrc === this.#candidate && this.#candidateCount > 0) this.#candidateCount++;
        else {
          this.#candidate = ssrc;
          this.#candidateCount = 1;
        }
        if (this.#candidateCount < this.switchAfter) {
          this.foreign++;
          return 'foreign';
        }
      }
      const first = this.ssrc === undefined;
      this.#lostRetired += this.stats.cumulativeLost;
      this.stats.reset(ssrc);
      this.ssrc = ssrc;
      this.#candidateCount = 0;
      if (!first) this.ssrcChanges++;
      const verdict = this.stats.onPacket(packet.sequenceNumber, packet.timestamp, arrivalMs, packet.payloadLength);
      return first ? verdict : 'ssrc-change';
    }
    this.#candidateCount = 0;
    return this.stats.onPacket(packet.sequenceNumber, packet.timestamp, arrivalMs, packet.payloadLength);
  }
}
