/**
 * An event as the event socket serializes it, and its three wire forms (specs/esl.md §1.6):
 * text/event-plain (URL-encoded `Name: value` lines, inner Content-Length + body), text/event-json
 * (compact object, raw values, duplicate keys kept, `Content-Length` + `_body` when there is a body) and
 * text/event-xml (two-space indented `<event><headers>...`, URL-encoded header text, escaped body).
 * Pure functions.
 */
import { urlEncode } from './url-encode.ts';

/** A header value; arrays are FreeSWITCH array headers (`ARRAY::a|:b` in plain form). */
export type EventValue = string | readonly string[];
export type EventHeader = readonly [name: string, value: EventValue];

export interface EslEvent {
  /** Headers in event order, starting with Event-Name (except for injected events). */
  readonly headers: readonly EventHeader[];
  /** undefined: no body; '' : an empty body (JSON then still carries Content-Length 0 and _body). */
  readonly body?: string;
}

/** First value of a header, case-insensitive (arrays: first item). */
export function eventHeader(event: EslEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  const h = event.headers.find(([n]) => n.toLowerCase() === lower);
  if (!h) return undefined;
  const v = h[1];
  return typeof v === 'string' ? v : v[0];
}

export function eventName(event: EslEvent): string {
  return eventHeader(event, 'Event-Name') ?? '';
}

function flat(value: EventValue): string {
  return typeof value === 'string' ? value : `ARRAY::${value.join('|:')}`;
}

export function serializePlain(event: EslEvent): string {
  let out = '';
  for (const [name, value] of event.headers) out += `${name}: ${urlEncode(flat(value))}\n`;
  if (event.body !== undefined && event.body !== '') return `${out}Content-Length: ${Buffer.byteLength(event.body)}\n\n${event.body}`;
  return out + '\n';
}

export function serializeJson(event: EslEvent): string {
  const parts: string[] = [];
  for (const [name, value] of event.headers) {
    const v = typeof value === 'string' ? JSON.stringify(value) : `[${value.map((x) => JSON.stringify(x)).join(',')}]`;
    parts.push(`${JSON.stringify(name)}:${v}`);
  }
  if (event.body !== undefined) {
    parts.push(`"Content-Length":${JSON.stringify(String(Buffer.byteLength(event.body)))}`);
    parts.push(`"_body":${JSON.stringify(event.body)}`);
  }
  return `{${parts.join(',')}}`;
}

/** XML text escaping of FreeSWITCH's switch_xml_toxml: `& < >` as entities, non-ASCII as `&#xHH;`. */
export function xmlEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (cp > 0x7e) out += `&#x${cp.toString(16).toUpperCase()};`;
    else out += ch;
  }
  return out;
}

export function serializeXml(event: EslEvent): string {
  let out = '<event>\n  <headers>\n';
  for (const [name, value] of event.headers) {
    const items = typeof value === 'string' ? [value] : value;
    for (const item of items) out += `    <${name}>${urlEncode(item)}</${name}>\n`;
  }
  out += '  </headers>\n';
  if (event.body !== undefined && event.body !== '') {
    out += `  <Content-Length>${Buffer.byteLength(event.body)}</Content-Length>\n  <body>${xmlEscape(event.body)}</body>\n`;
  }
  return out + '</event>\n';
}

export function serializeEvent(event: EslEvent, format: 'plain' | 'json' | 'xml'): string {
  if (format === 'json') return serializeJson(event);
  if (format === 'xml') return serializeXml(event);
  return serializePlain(event);
}
