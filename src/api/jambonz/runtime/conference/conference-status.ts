/**
 * The conference statusHook (specs/jambonz.md §2.4): core conference events of one room become
 * `{event, conference_sid, friendly_name, time, members, duration}` with event start / end / join /
 * leave / start-talking / stop-talking, filtered by the verb's `statusEvents` (every event when it
 * names none). Pure.
 */
import type { ConferenceSnapshot, SwitchEvents } from '../../../../core/index.ts';

export const STATUS_EVENTS = ['start', 'end', 'join', 'leave', 'start-talking', 'stop-talking'] as const;
export type ConferenceStatusEvent = (typeof STATUS_EVENTS)[number];

export function statusEventsOf(value: unknown): Set<ConferenceStatusEvent> {
  const wanted = Array.isArray(value) ? value.filter((v): v is ConferenceStatusEvent => (STATUS_EVENTS as readonly unknown[]).includes(v)) : [];
  return new Set(wanted.length > 0 ? wanted : STATUS_EVENTS);
}

export function statusPayload(event: ConferenceStatusEvent, conference: ConferenceSnapshot, nowMs: number, friendlyName = conference.name): Record<string, unknown> {
  return {
    event,
    conference_sid: conference.id,
    friendly_name: friendlyName,
    time: new Date(nowMs).toISOString(),
    members: conference.size,
    duration: Math.max(0, Math.round((nowMs - conference.createdAt) / 1000)),
  };
}

/** The status event of a talking change. */
export function talkingEvent(payload: SwitchEvents['conference.memberUpdated']): ConferenceStatusEvent | undefined {
  if (payload.change !== 'talking') return undefined;
  return payload.member.talking ? 'start-talking' : 'stop-talking';
}
