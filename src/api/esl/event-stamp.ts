/**
 * The standard headers FreeSWITCH puts at the top of every event (specs/esl.md §4.1,
 * switch_event_prep_for_delivery): Event-Name, Core-UUID, FreeSWITCH-Hostname/-Switchname/-IPv4/-IPv6,
 * Event-Date-Local, Event-Date-GMT, Event-Date-Timestamp (µs), Event-Calling-File/-Function/-Line-Number,
 * Event-Sequence (one counter per server); CUSTOM events then carry Event-Subclass.
 */
import type { EslEvent, EventHeader } from './esl-event.ts';

export interface Identity {
  coreUuid: string;
  hostname: string;
  switchname: string;
  ipv4: string;
  ipv6: string;
}

/** What a mapper produces: the event-specific part of an event. */
export interface EventDraft {
  name: string;
  subclass?: string;
  /** Event-Calling-File / -Function / -Line-Number. */
  origin?: readonly [file: string, func: string, line: number];
  headers: readonly EventHeader[];
  body?: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS` in local time. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** RFC 822 date, `Wed, 01 May 2024 10:34:56 GMT`. */
export function gmtDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export class EventStamper {
  readonly identity: Identity;
  readonly #now: () => number;
  #sequence = 0;

  constructor(identity: Identity, now: () => number, firstSequence = 1) {
    this.identity = identity;
    this.#now = now;
    this.#sequence = firstSequence - 1;
  }

  /** The standard block (Event-Name ... Event-Sequence), consuming one sequence number. */
  standard(name: string, origin: readonly [string, string, number] = ['switchboard', 'event', 0]): EventHeader[] {
    const ms = this.#now();
    const id = this.identity;
    return [
      ['Event-Name', name],
      ['Core-UUID', id.coreUuid],
      ['FreeSWITCH-Hostname', id.hostname],
      ['FreeSWITCH-Switchname', id.switchname],
      ['FreeSWITCH-IPv4', id.ipv4],
      ['FreeSWITCH-IPv6', id.ipv6],
      ['Event-Date-Local', localDate(ms)],
      ['Event-Date-GMT', gmtDate(ms)],
      ['Event-Date-Timestamp', String(Math.floor(ms * 1000))],
      ['Event-Calling-File', origin[0]],
      ['Event-Calling-Function', origin[1]],
      ['Event-Calling-Line-Number', String(origin[2])],
      ['Event-Sequence', String(++this.#sequence)],
    ];
  }

  stamp(draft: EventDraft): EslEvent {
    const headers: EventHeader[] = this.standard(draft.name, draft.origin);
    if (draft.subclass !== undefined) headers.push(['Event-Subclass', draft.subclass]);
    headers.push(...draft.headers);
    return draft.body === undefined ? { headers } : { headers, body: draft.body };
  }
}
