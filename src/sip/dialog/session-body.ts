/**
 * Message bodies that carry session descriptions (RFC 3261 section 13.2.1, RFC 3264): what an offer or
 * an answer looks like to the dialog layer, and the options shared by every API that sends a message.
 * The dialog layer does not parse SDP; it only moves bodies between the wire and the application.
 */
import type { SipMessage } from '../message/index.ts';

export const DEFAULT_CONTENT_TYPE = 'application/sdp';

/** A body with its media type (an SDP offer or answer, a sipfrag, an INFO payload ...). */
export interface SessionBody {
  body: Buffer;
  /** Full Content-Type value ("application/sdp"). */
  contentType: string;
}

/** Extra header fields: each name replaces the fields of that name the layer would otherwise send. */
export type HeaderInit = Record<string, string | readonly string[]>;

/** What an application may put in a request or response it asks the layer to send. */
export interface MessageInit {
  body?: Buffer | string;
  /** Defaults to application/sdp when a body is given. */
  contentType?: string;
  headers?: HeaderInit;
}

/** The body of a message, or undefined when it has none. */
export function bodyOf(msg: SipMessage): SessionBody | undefined {
  if (msg.body.length === 0) return undefined;
  return { body: msg.body, contentType: msg.headers.get('content-type') ?? DEFAULT_CONTENT_TYPE };
}

/** The body of an init, or undefined when it has none. */
export function bodyOfInit(init: MessageInit | undefined): SessionBody | undefined {
  if (init?.body === undefined) return undefined;
  const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
  if (body.length === 0) return undefined;
  return { body, contentType: init.contentType ?? DEFAULT_CONTENT_TYPE };
}

/** Writes the body (with Content-Type) and the extra header fields of `init` into `msg`. */
export function applyInit(msg: SipMessage, init: MessageInit | undefined): void {
  if (!init) return;
  const body = bodyOfInit(init);
  if (body) msg.setBody(body.body, body.contentType);
  applyHeaders(msg, init.headers);
}

export function applyHeaders(msg: SipMessage, headers: HeaderInit | undefined): void {
  if (!headers) return;
  for (const [name, value] of Object.entries(headers)) msg.headers.set(name, typeof value === 'string' ? value : [...value]);
}

