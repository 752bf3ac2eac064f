/**
 * Storage of call detail records behind one interface, so the memory, SQLite and Redis implementations
 * are interchangeable. Every method returns a promise (remote stores are asynchronous); lists are newest
 * first.
 */
import type { CdrDirection, CdrRecord } from './cdr-record.ts';

export interface CdrFilter {
  direction?: CdrDirection;
  /** Hangup cause name, exact. */
  hangupCause?: string;
  /** Created at or after this epoch millisecond. */
  since?: number;
  /** Created before this epoch millisecond. */
  until?: number;
  /** Caller number, exact. */
  callerNumber?: string;
  /** Destination, exact. */
  destination?: string;
  /** true: only answered legs; false: only unanswered legs. */
  answered?: boolean;
  /** Legs created by this parent leg. */
  parentUuid?: string;
}

export interface CdrStore {
  /** Stores a record; a second record with the same uuid replaces the first. */
  add(record: CdrRecord): Promise<void>;
  get(uuid: string): Promise<CdrRecord | undefined>;
  /** Records matching every given filter field, newest first, at most `limit` (default 100). */
  list(filter?: CdrFilter, limit?: number): Promise<CdrRecord[]>;
  /** Number of records held. */
  count(): Promise<number>;
}

export const DEFAULT_CDR_LIST_LIMIT = 100;

/** True when `record` passes every field of `filter` (shared by the implementations). */
export function matchesCdrFilter(record: CdrRecord, filter: CdrFilter): boolean {
  if (filter.direction !== undefined && record.direction !== filter.direction) return false;
  if (filter.hangupCause !== undefined && record.hangupCause !== filter.hangupCause) return false;
  if (filter.since !== undefined && record.createdAt < filter.since) return false;
  if (filter.until !== undefined && record.createdAt >= filter.until) return false;
  if (filter.callerNumber !== undefined && record.caller.number !== filter.callerNumber) return false;
  if (filter.destination !== undefined && record.destination !== filter.destination) return false;
  if (filter.answered !== undefined && (record.answeredAt !== undefined) !== filter.answered) return false;
  if (filter.parentUuid !== undefined && record.parentUuid !== filter.parentUuid) return false;
  return true;
}
