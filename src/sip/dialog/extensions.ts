/**
 * SIP extensions of the dialog layer: the option tags it understands (RFC 3261 sections 8.2.2.3 and
 * 20.32; RFC 3262 100rel, RFC 4028 timer, RFC 3891 replaces), the methods it allows (section 20.5), and
 * the 420 (Bad Extension) check of a request's Require header field.
 */
import type { SipRequest } from '../message/index.ts';

/** Methods a dialog accepts, advertised in Allow. */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'UPDATE', 'INFO', 'MESSAGE', 'OPTIONS', 'REFER', 'NOTIFY', 'PRACK'] as const;

export const ALLOW_VALUE = ALLOWED_METHODS.join(', ');

/**
 * Methods this stack knows but a dialog does not allow (section 8.2.1: 405 with Allow); a method it
 * does not know at all gets 501 Not Implemented (section 21.5.2).
 */
export const KNOWN_METHODS: ReadonlySet<string> = new Set<string>([...ALLOWED_METHODS, 'REGISTER', 'SUBSCRIBE', 'PUBLISH']);

/** Option tags this layer implements; `timer` only when session timers are enabled. */
export function supportedTags(sessionTimers: boolean): string[] {
  return sessionTimers ? ['100rel', 'timer', 'replaces'] : ['100rel', 'replaces'];
}

/** The option tags of a request's Require that this layer does not implement (section 8.2.2.3). */
export function unsupportedRequirements(req: SipRequest, supported: readonly string[]): string[] {
  let required: string[];
  try {
    required = req.require;
  } catch {
    return [];
  }
  return required.filter((tag) => !supported.includes(tag.toLowerCase()));
}

/** Whether a message lists an option tag in Supported or Require. */
export function advertises(msg: { supported: string[]; require: string[] }, tag: string): boolean {
  try {
    return msg.supported.some((t) => t.toLowerCase() === tag) || msg.require.some((t) => t.toLowerCase() === tag);
  } catch {
    return false;
  }
}

/** Whether a message lists an option tag in Require. */
export function requires(msg: { require: string[] }, tag: string): boolean {
  try {
    return msg.require.some((t) => t.toLowerCase() === tag);
  } catch {
    return false;
  }
}

/** Whether the peer allows a method, from the Allow header field of one of its messages. */
export function allows(allow: readonly string[] | undefined, method: string): boolean {
  return allow !== undefined && allow.some((m) => m.toUpperCase() === method);
}
