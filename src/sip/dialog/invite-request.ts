/**
 * The initial INVITE of a UAC (RFC 3261 sections 8.1.1 and 13.2.1): Request-URI, To (no tag), From with
 * a new tag, Call-ID, CSeq, Contact (section 8.1.1.8, SIPS when the Request-URI is SIPS), Allow,
 * Supported: 100rel, timer, replaces (Require: 100rel on request), the RFC 4028 Session-Expires, and the
 * application's body and header fields. Via and Max-Forwards are the host's.
 */
import { newCallId, newTag } from '../../lib/index.ts';
import type { NameAddr, SipUri } from '../message/index.ts';
import { SipRequest, formatNameAddr, formatUri, parseNameAddr, parseUri } from '../message/index.ts';
import type { Destination, TransportName } from '../transport/index.ts';
import type { DialogConfig } from './dialog-context.ts';
import { initialSeq, requestUriOf } from './dialog-state.ts';
import { DialogError } from './errors.ts';
import { ALLOW_VALUE, supportedTags } from './extensions.ts';
import { applyInit, type MessageInit } from './session-body.ts';
import { uacSessionHeaders } from './session-timer-negotiation.ts';

export interface InviteRequestOptions extends MessageInit {
  uri: string | SipUri;
  from: NameAddr | string;
  /** Defaults to the Request-URI. */
  to?: NameAddr | string;
  callId?: string;
  /** Require: 100rel instead of only supporting it. */
  require100rel?: boolean;
  /** Session interval to ask for, seconds; defaults to the layer's; 0 asks for none. */
  sessionExpires?: number;
}

const TRANSPORTS: readonly TransportName[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function uriOf(value: string | SipUri, what: string): SipUri {
  if (typeof value !== 'string') return value;
  try {
    return parseUri(value);
  } catch (err) {
    throw new DialogError('SIP_DIALOG_INVALID', `bad ${what} URI ${value}`, { cause: err });
  }
}

function addressOf(value: NameAddr | string, what: string): NameAddr {
  if (typeof value !== 'string') return value;
  try {
    return parseNameAddr(value);
  } catch (err) {
    throw new DialogError('SIP_DIALOG_INVALID', `bad ${what} ${value}`, { cause: err });
  }
}

/** A destination hint for contactFor() when the host resolves the Request-URI itself. */
export function destinationHint(uri: SipUri): Destination {
  const param = uri.params['transport']?.toLowerCase();
  const transport: TransportName = TRANSPORTS.find((t) => t === param) ?? (uri.scheme === 'sips' ? 'tls' : 'udp');
  const address = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
  return { transport, address, port: uri.port ?? (transport === 'tls' || transport === 'wss' ? 5061 : 5060) };
}

/** Builds the INVITE and the Contact it advertises; `contactFor` gives our Contact for the Request-URI. */
export function buildInvite(
  opts: InviteRequestOptions,
  config: DialogConfig,
  contactFor: (uri: SipUri) => SipUri,
): { request: SipRequest; contact: SipUri } {
  const uri = uriOf(opts.uri, 'Request-URI');
  const from = addressOf(opts.from, 'From');
  const to = opts.to === undefined ? { uri, params: {} } : addressOf(opts.to, 'To');
  let contact = contactFor(uri);
  if (uri.scheme === 'sips' && contact.scheme === 'sip') contact = { ...contact, scheme: 'sips' };
  const toParams = { ...to.params };
  delete toParams['tag'];
  const fields: [string, string][] = [
    ['From', formatNameAddr({ ...from, params: { ...from.params, tag: newTag() } })],
    ['To', formatNameAddr({ ...to, params: toParams })],
    ['Call-ID', opts.callId ?? newCallId()],
    ['CSeq', `${initialSeq()} INVITE`],
    ['Contact', formatNameAddr({ uri: contact, params: {} })],
    ['Allow', ALLOW_VALUE],
    ['Supported', supportedTags(config.sessionTimer.enabled).join(', ')],
  ];
  if (opts.require100rel) fields.push(['Require', '100rel']);
  if (opts.sessionExpires !== 0) {
    const cfg = { ...config.sessionTimer, expires: opts.sessionExpires ?? config.sessionTimer.expires };
    fields.push(...uacSessionHeaders(cfg));
  }
  if (config.userAgent !== undefined) fields.push(['User-Agent', config.userAgent]);
  const req = new SipRequest('INVITE', formatUri(requestUriOf(uri)), fields);
  applyInit(req, opts);
  return { request: req, contact };
}
