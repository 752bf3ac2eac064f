/**
 * The call detail record: one per channel (call leg), written when the channel is destroyed. The fields
 * follow what FreeSWITCH's CDR modules and CHANNEL_HANGUP_COMPLETE carry (start/answer/end stamps,
 * duration, billsec, hangup_cause, hangup_cause_q850, sip_term_status, bridged leg) and what jambonz
 * reports for a finished call (call_sid, direction, from, to, duration, sip_status, termination side).
 * Times are epoch milliseconds; durations are whole seconds (as FreeSWITCH reports them) plus milliseconds.
 */

export type CdrDirection = 'inbound' | 'outbound';

export interface CdrParty {
  number: string;
  name: string;
  uri?: string;
}

/** Media counters of the leg at the moment it ended (RTP and DTMF). */
export interface CdrMediaStats {
  codec?: string;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  packetsLost: number;
  jitterMs?: number;
  mos?: number;
  dtmfIn?: number;
  dtmfOut?: number;
}

export interface CdrRecord {
  /** The channel's uuid (FreeSWITCH Unique-ID, jambonz call_sid). */
  uuid: string;
  direction: CdrDirection;
  /** Channel name, e.g. `sip/1000@10.0.0.5`. */
  name: string;
  /** The endpoint that carried the leg (`sip`, `webrtc`). */
  endpoint: string;
  caller: CdrParty;
  callee: CdrParty;
  destination: string;
  /** The authenticated user the leg belongs to, when known. */
  user?: string;
  /** The leg that created this one (originate from a call, dial B-leg). */
  parentUuid?: string;
  createdAt: number;
  progressAt?: number;
  answeredAt?: number;
  endedAt: number;
  /** Whole seconds from creation to hangup (FreeSWITCH `duration`). */
  duration: number;
  /** Whole seconds from answer to hangup, 0 when never answered (FreeSWITCH `billsec`). */
  billsec: number;
  durationMs: number;
  billMs: number;
  hangupCause: string;
  /** Q.850 cause value (FreeSWITCH `hangup_cause_q850`: causes above 127 report 16). */
  q850: number;
  /** The SIP status that ended the leg (received or sent), when there was one. */
  sipStatus?: number;
  /** Which side ended the leg. */
  hangupBy?: 'local' | 'remote';
  /** The last leg this one was bridged to. */
  bridgedTo?: string;
  /** The last conference this leg was a member of. */
  conference?: string;
  variables: Record<string, string>;
  media?: CdrMediaStats;
}
