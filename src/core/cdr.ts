/**
 * Call detail records: one for every channel, built when it is destroyed, whatever ended it (a
 * crashed application, a throwing driver, a shutdown). Fields follow FreeSWITCH's CDR variables
 * (start/answer/end stamps, duration, billsec, hangup_cause, hangup_cause_q850, sip_term_status,
 * bridged leg) and jambonz's call record (call_sid, direction, from, to, duration, sip_status). The
 * record is emitted on the bus (`cdr`) and written to the CdrStore; store failures are logged.
 */
import type { Logger } from '../lib/index.ts';
import type { CdrMediaStats, CdrRecord, CdrStore } from '../store/index.ts';
import type { ChannelMediaStats } from './channel-media.ts';
import type { Channel } from './channel.ts';
import type { EventBus } from './event-bus.ts';
import { causeToQ850 } from './hangup-cause.ts';

function mediaStats(s: ChannelMediaStats): CdrMediaStats {
  const out: CdrMediaStats = {
    packetsIn: s.packetsIn, packetsOut: s.packetsOut, bytesIn: s.bytesIn, bytesOut: s.bytesOut, packetsLost: s.packetsLost,
  };
  if (s.codec !== undefined) out.codec = s.codec;
  if (s.jitterMs !== undefined) out.jitterMs = s.jitterMs;
  if (s.mos !== undefined) out.mos = s.mos;
  if (s.dtmfIn !== undefined) out.dtmfIn = s.dtmfIn;
  if (s.dtmfOut !== undefined) out.dtmfOut = s.dtmfOut;
  return out;
}

/** The CDR of a channel that has hung up (its end time is its hangup time). */
export function buildCdr(channel: Channel): CdrRecord {
  const t = channel.times;
  const endedAt = t.hangup ?? t.destroyed ?? t.created;
  const durationMs = Math.max(0, endedAt - t.created);
  const billMs = t.answered === undefined ? 0 : Math.max(0, endedAt - t.answered);
  const cause = channel.hangupCause ?? 'NORMAL_CLEARING';
  const record: CdrRecord = {
    uuid: channel.uuid,
    direction: channel.direction,
    name: channel.name,
    endpoint: channel.endpoint,
    caller: { ...channel.caller },
    callee: { ...channel.callee },
    destination: channel.destination,
    createdAt: t.created,
    endedAt,
    duration: Math.floor(durationMs / 1000),
    billsec: Math.floor(billMs / 1000),
    durationMs,
    billMs,
    hangupCause: cause,
    q850: causeToQ850(cause),
    variables: Object.fromEntries(channel.variables),
  };
  if (channel.user !== undefined) record.user = channel.user;
  if (channel.parentUuid !== undefined) record.parentUuid = channel.parentUuid;
  const progressAt = t.progress ?? t.progressMedia;
  if (progressAt !== undefined) record.progressAt = progressAt;
  if (t.answered !== undefined) record.answeredAt = t.answered;
  if (channel.sipStatus !== undefined) record.sipStatus = channel.sipStatus;
  if (channel.hangupBy !== undefined) record.hangupBy = channel.hangupBy;
  if (channel.lastBridgedTo !== undefined) record.bridgedTo = channel.lastBridgedTo;
  if (channel.lastConference !== undefined) record.conference = channel.lastConference;
  if (channel.finalMediaStats) record.media = mediaStats(channel.finalMediaStats);
  return record;
}

/** Builds, announces and stores CDRs; flush() waits for pending store writes. */
export class CdrWriter {
  readonly #bus: EventBus;
  readonly #store: CdrStore | undefined;
  readonly #log: Logger;
  readonly #pending = new Set<Promise<void>>();

  constructor(bus: EventBus, store: CdrStore | undefined, log: Logger) {
    this.#bus = bus;
    this.#store = store;
    this.#log = log;
  }

  get pending(): number {
    return this.#pending.size;
  }

  write(channel: Channel): CdrRecord | undefined {
    let record: CdrRecord;
    try {
      record = buildCdr(channel);
    } catch (err) {
      this.#log.error({ err, channelId: channel.uuid }, 'building the CDR failed');
      return undefined;
    }
    this.#bus.emit('cdr', { cdr: record });
    const store = this.#store;
    if (store) {
      const p: Promise<void> = Promise.resolve()
        .then(() => store.add(record))
        .catch((err: unknown) => this.#log.error({ err, channelId: record.uuid }, 'storing the CDR failed'))
        .finally(() => this.#pending.delete(p));
      this.#pending.add(p);
    }
    return record;
  }

  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
