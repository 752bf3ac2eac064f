/**
 * Dialog state (RFC 3261 section 12.1) and the construction of requests within a dialog (section
 * 12.2.1.1), as pure data and functions:
 *
 * - UAS side (12.1.1): route set = Record-Route of the request in order, remote target = its Contact,
 *   remote sequence number = its CSeq, local sequence number empty, remote URI = From, local URI = To.
 * - UAC side (12.1.2): route set = Record-Route of the response in reverse order, remote target = its
 *   Contact, local sequence number = the request's CSeq, remote sequence number empty.
 * - Requests (12.2.1.1): To = remote URI and tag, From = local URI and tag, CSeq = local sequence number
 *   plus one; with an empty route set or a loose first route (;lr) the Request-URI is the remote target
 *   and Route the route set; with a strict first route the Request-URI is that route's URI and the
 *   remote target goes last in Route.
 * - Remote CSeq (12.2.2): a request with a lower number than the remote sequence number is out of order.
 * - Target refresh (12.2.1.2, 12.2.2): a Contact in a re-INVITE or UPDATE (or their 2xx) replaces the
 *   remote target.
 */
import { randomInt } from 'node:crypto';
import type { NameAddr, SipMessage, SipResponse, SipUri } from '../message/index.ts';
import { SipRequest, formatNameAddr, formatUri } from '../message/index.ts';
import type { DialogId } from './dialog-id.ts';

export interface DialogStateInit {
  id: DialogId;
  /** Local and remote URIs, with display name; tags are added from `id`. */
  localUri: NameAddr;
  remoteUri: NameAddr;
  remoteTarget: SipUri;
  routeSet: NameAddr[];
  secure: boolean;
  localSeq?: number;
  remoteSeq?: number;
  /** The Contact this side advertises. */
  localContact: SipUri;
}

/** Methods whose requests carry a Contact (target refresh and dialog-creating usages). */
const WITH_CONTACT = new Set(['INVITE', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE']);

/** A first CSeq number for a new request chain: random, well below 2**31 (section 8.1.1.5). */
export function initialSeq(): number {
  return randomInt(1, 0x10000);
}

/** The first usable Contact URI of a message, or undefined (none, "*", or unparsable). */
export function contactUri(msg: SipMessage): SipUri | undefined {
  try {
    for (const c of msg.contacts) if (c !== '*') return c.uri;
  } catch {
    return undefined;
  }
  return undefined;
}

/** A URI fit for a Request-URI: URI headers and the method parameter removed (section 19.1.1 table 1). */
export function requestUriOf(uri: SipUri): SipUri {
  if (Object.keys(uri.headers).length === 0 && uri.params['method'] === undefined) return uri;
  const params = { ...uri.params };
  delete params['method'];
  return { ...uri, params, headers: {} };
}

function bare(addr: NameAddr): NameAddr {
  return addr.displayName === undefined ? { uri: addr.uri, params: {} } : { displayName: addr.displayName, uri: addr.uri, params: {} };
}

function safeRecordRoutes(msg: SipMessage): NameAddr[] {
  try {
    return msg.recordRoutes;
  } catch {
    return [];
  }
}

export class DialogState {
  readonly id: DialogId;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  remoteTarget: SipUri;
  routeSet: NameAddr[];
  readonly secure: boolean;
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  localContact: SipUri;

  constructor(init: DialogStateInit) {
    this.id = { ...init.id };
    this.localUri = bare(init.localUri);
    this.remoteUri = bare(init.remoteUri);
    this.remoteTarget = init.remoteTarget;
    this.routeSet = [...init.routeSet];
    this.secure = init.secure;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localContact = init.localContact;
  }

  /** Section 12.1.1: the UAS side of a dialog created by `req` (an INVITE), with our To tag. */
  static forUas(req: SipRequest, localTag: string, localContact: SipUri): DialogState {
    const remoteTag = req.fromTag ?? '';
    let secure = false;
    try {
      secure = req.requestUri.scheme === 'sips';
    } catch {
      secure = false;
    }
    return new DialogState({
      id: { callId: req.callId, localTag, remoteTag },
      localUri: req.to,
      remoteUri: req.from,
      remoteTarget: contactUri(req) ?? req.from.uri,
      routeSet: safeRecordRoutes(req),
      secure,
      remoteSeq: req.cseq.seq,
      localContact,
    });
  }

  /** Section 12.1.2: the UAC side of a dialog created by `res` (a 1xx with To tag, or a 2xx) to `req`. */
  static forUac(req: SipRequest, res: SipResponse, localContact: SipUri): DialogState {
    let secure = false;
    try {
      secure = req.requestUri.scheme === 'sips';
    } catch {
      secure = false;
    }
    let target: SipUri | undefined = contactUri(res);
    if (!target) {
      try {
        target = req.requestUri;
      } catch {
        target = res.to.uri;
      }
    }
    return new DialogState({
      id: { callId: req.callId, localTag: req.fromTag ?? '', remoteTag: res.toTag ?? '' },
      localUri: req.from,
      remoteUri: req.to,
      remoteTarget: target,
      routeSet: [...safeRecordRoutes(res)].reverse(),
      secure,
      localSeq: req.cseq.seq,
      localContact,
    });
  }

  /** The From header field value of requests this side sends. */
  fromHeader(): string {
    return formatNameAddr({ ...this.localUri, params: { tag: this.id.localTag } });
  }

  /** The To header field value of requests this side sends. */
  toHeader(): string {
    return formatNameAddr({ ...this.remoteUri, params: { tag: this.id.remoteTag } });
  }

  /** Increments and returns the local sequence number (starting at a random value when empty). */
  nextLocalSeq(): number {
    this.localSeq = this.localSeq === undefined ? initialSeq() : this.localSeq + 1;
    return this.localSeq;
  }

  /**
   * Section 12.2.2: records the CSeq of a received request. Returns false when the request is out of
   * order (lower than the remote sequence number), to be answered 500.
   */
  acceptRemoteSeq(seq: number): boolean {
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** Replaces the remote target with the Contact of `msg`, if it has one. Returns whether it did. */
  refreshTarget(msg: SipMessage): boolean {
    const uri = contactUri(msg);
    if (!uri) return false;
    this.remoteTarget = uri;
    return true;
  }

  /** UAC: the route set and remote target recomputed from a 2xx (section 12.1.2, 13.2.2.4). */
  confirmFrom(res: SipResponse): void {
    this.routeSet = [...safeRecordRoutes(res)].reverse();
    this.refreshTarget(res);
  }

  /** Request-URI and Route header values for a request in this dialog (section 12.2.1.1). */
  routing(): { uri: string; routes: string[] } {
    const target = requestUriOf(this.remoteTarget);
    const [first, ...rest] = this.routeSet;
    if (!first) return { uri: formatUri(target), routes: [] };
    if (first.uri.params['lr'] !== undefined) return { uri: formatUri(target), routes: this.routeSet.map(formatNameAddr) };
    // Strict router: it gets the request with itself as Request-URI; the remote target goes last.
    return {
      uri: formatUri(requestUriOf(first.uri)),
      routes: [...rest.map(formatNameAddr), formatNameAddr({ uri: target, params: {} })],
    };
  }

  /**
   * A request in this dialog. `seq` defaults to the next local sequence number; an ACK passes the
   * INVITE's. Via and Max-Forwards are left to the host.
   */
  buildRequest(method: string, seq?: number): SipRequest {
    const cseq = seq ?? this.nextLocalSeq();
    const { uri, routes } = this.routing();
    const fields: [string, string][] = [];
    for (const r of routes) fields.push(['Route', r]);
    fields.push(['From', this.fromHeader()]);
    fields.push(['To', this.toHeader()]);
    fields.push(['Call-ID', this.id.callId]);
    fields.push(['CSeq', `${cseq} ${method}`]);
    if (WITH_CONTACT.has(method)) fields.push(['Contact', formatNameAddr({ uri: this.localContact, params: {} })]);
    return new SipRequest(method, uri, fields);
  }
}
