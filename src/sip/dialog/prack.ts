/**
 * RFC 3262 header fields and the UAC side of reliable provisional responses: RSeq (section 7.1) and RAck
 * (section 7.2) parsing and formatting, whether a provisional is reliable (Require: 100rel with an
 * RSeq, section 4), and the per-early-dialog RSeq order check: the first reliable provisional sets the
 * expected number, a retransmission (lower or equal) is not PRACKed again, and one that skips ahead is
 * discarded until the missing ones arrive.
 */
import type { SipMessage, SipResponse } from '../message/index.ts';
import { requires } from './extensions.ts';

export interface RAck {
  rseq: number;
  cseq: number;
  method: string;
}

const MAX_RSEQ = 2 ** 32 - 1;

function parseNumber(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= MAX_RSEQ ? n : undefined;
}

/** The RSeq of a response, or undefined when absent or malformed. */
export function rseqOf(msg: SipMessage): number | undefined {
  const raw = msg.headers.get('rseq');
  return raw === undefined ? undefined : parseNumber(raw.trim());
}

/** The RAck of a PRACK, or undefined when absent or malformed. */
export function rackOf(msg: SipMessage): RAck | undefined {
  const raw = msg.headers.get('rack');
  if (raw === undefined) return undefined;
  const parts = raw.trim().split(/\s+/);
  if (parts.length !== 3) return undefined;
  const rseq = parseNumber(parts[0]!);
  const cseq = parseNumber(parts[1]!);
  if (rseq === undefined || cseq === undefined) return undefined;
  return { rseq, cseq, method: parts[2]! };
}

export function formatRAck(rack: RAck): string {
  return `${rack.rseq} ${rack.cseq} ${rack.method}`;
}

/** Section 4: a provisional (not 100) with Require: 100rel and an RSeq must be PRACKed. */
export function isReliableProvisional(res: SipResponse): boolean {
  return res.status > 100 && res.status < 200 && requires(res, '100rel') && rseqOf(res) !== undefined;
}

export type RSeqVerdict = 'new' | 'retransmission' | 'out-of-order';

/** The RSeq order of the reliable provisionals of one early dialog, seen by the UAC. */
export class RSeqTracker {
  #last: number | undefined;

  check(rseq: number): RSeqVerdict {
    if (this.#last === undefined || rseq === this.#last + 1) {
      this.#last = rseq;
      return 'new';
    }
    return rseq <= this.#last ? 'retransmission' : 'out-of-order';
  }
}
