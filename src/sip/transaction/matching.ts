/**
 * Transaction matching keys: RFC 3261 section 17.1.3 (responses to client transactions), section 17.2.3
 * (requests to server transactions, including the RFC 2543 rules for a top Via without the
 * section 8.1.1.7 magic cookie) and section 9.2 (the INVITE a CANCEL refers to).
 *
 * Keys are plain strings so the layer can keep its transactions in Maps. A key never contains a raw
 * header value: hosts are lower-cased, default ports filled in, parameters sorted, so that two copies of
 * the same request that differ only in such details land on the same transaction. Keys are built with
 * Array.prototype.join, which yields one flat string: a key made by concatenation would be a tree of
 * pieces, some of them slices of the header text, and would keep the whole request text alive for as
 * long as the transaction waits out its timers.
 */
import { BRANCH_MAGIC } from '../../lib/index.ts';
import type { SipRequest, SipResponse, SipUri, Via } from '../message/index.ts';

/** The section 17.1.3 key of a client transaction: top Via branch and CSeq method. */
export function clientKey(branch: string, method: string): string {
  return [branch, method].join(' ');
}

/** The client transaction key a response matches, or undefined when it has no top Via branch. */
export function responseKey(res: SipResponse): string | undefined {
  const branch = res.topVia?.params['branch'];
  if (!branch) return undefined;
  return clientKey(branch, res.cseq.method);
}

/** Whether a branch carries the RFC 3261 magic cookie (section 8.1.1.7). */
export function isRfc3261Branch(branch: string | null | undefined): branch is string {
  return typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC) && branch.length > BRANCH_MAGIC.length;
}

/**
 * The key of the server transaction `req` belongs to when treated as a `method` request (defaults to its
 * own method; ACK and CANCEL are looked up as INVITE by the layer). For a magic-cookie branch this is
 * branch + sent-by + method; otherwise the RFC 2543 tuple Request-URI, To tag, From tag, Call-ID, CSeq
 * number, top Via and method. `toTag` overrides the request's To tag (used to find the INVITE of an ACK).
 */
export function serverKey(req: SipRequest, method: string = req.method, toTag?: string): string | undefined {
  const via = req.topVia;
  if (!via) return undefined;
  const branch = via.params['branch'];
  if (isRfc3261Branch(branch)) return ['3261', branch, sentBy(via), method].join(' ');
  const tag = toTag ?? req.toTag ?? '';
  const fromTag = req.fromTag ?? '';
  return ['2543', method, requestUriKey(req), tag, fromTag, req.callId, req.cseq.seq, canonicalVia(via)].join(' ');
}

/** Whether `req` is matched by the RFC 2543 rules (its top Via has no magic-cookie branch). */
export function usesRfc2543Matching(req: SipRequest): boolean {
  return !isRfc3261Branch(req.topVia?.params['branch']);
}

/** host:port of a Via, host lower-cased and the default port of its transport filled in. */
export function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort(via.transport)}`;
}

function defaultPort(transport: string): number {
  const t = transport.toUpperCase();
  if (t === 'TLS') return 5061;
  if (t === 'WSS') return 443;
  if (t === 'WS') return 80;
  return 5060;
}

function canonicalParams(params: Record<string, string | null>, caseInsensitive: boolean): string {
  return Object.keys(params)
    .sort()
    .map((name) => {
      const value = params[name];
      if (value === null || value === undefined) return name;
      return `${name}=${caseInsensitive ? value.toLowerCase() : value}`;
    })
    .join(';');
}

function canonicalVia(via: Via): string {
  const params = { ...via.params };
  // Added by this server's transport on receipt (section 18.2.1, RFC 3581): not part of what was sent.
  delete params['received'];
  if (params['rport'] !== undefined) params['rport'] = null;
  return `${via.protocol}/${via.transport.toUpperCase()} ${sentBy(via)};${canonicalParams(params, false)}`;
}

function requestUriKey(req: SipRequest): string {
  let uri: SipUri;
  try {
    uri = req.requestUri;
  } catch {
    return req.uri;
  }
  return canonicalUri(uri);
}

function canonicalUri(uri: SipUri): string {
  if (uri.opaque !== undefined) return `${uri.scheme}:${uri.opaque}`;
  const user = uri.user === undefined ? '' : `${uri.user}@`;
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  return `${uri.scheme}:${user}${uri.host.toLowerCase()}${port};${canonicalParams(uri.params, true)}`;
}
