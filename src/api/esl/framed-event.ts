/**
 * The wire frame of an event in one format (specs/esl.md §1.6), serialized and UTF-8 encoded once per
 * event and format and shared by every listener that receives it: events are immutable once stamped,
 * so fifty subscribers cost one serialization and one encoding, not fifty.
 */
import { serializeEvent, type EslEvent } from './esl-event.ts';
import { eventFrame, type EventFormat } from './framing.ts';

const cache = new WeakMap<EslEvent, Partial<Record<EventFormat, Buffer>>>();

export function framedEvent(event: EslEvent, format: EventFormat): Buffer {
  let forms = cache.get(event);
  if (!forms) {
    forms = {};
    cache.set(event, forms);
  }
  return (forms[format] ??= Buffer.from(eventFrame(format, serializeEvent(event, format))));
}
