/**
 * Building a response to a request (RFC 3261 section 8.2.6.2): Via fields copied in order, From,
 * Call-ID and CSeq copied, To copied with a tag added when the UAS gives one and the request's To has
 * none; a 100 Trying also echoes Timestamp (8.2.6.1).
 */
import { SipHeaders } from './headers.ts';
import type { SipRequest } from './message.ts';
import { SipResponse } from './message.ts';
import { reasonPhrase } from './reason-phrases.ts';

export interface CreateResponseOptions {
  /** To tag of the UAS, added when the request's To has none. */
  toTag?: string;
}

function hasToTag(req: SipRequest): boolean {
  try {
    return req.toTag !== undefined;
  } catch {
    return /;\s*tag\s*=/i.test(req.headers.getByKey('to') ?? '');
  }
}

export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  opts: CreateResponseOptions = {},
): SipResponse {
  const src = req.headers;
  const h = new SipHeaders();
  const n = src.size;
  for (let i = 0; i < n; i++) {
    if (src.keyAt(i) === 'via') h.appendResolved(src.nameAt(i), 'via', src.valueAt(i));
  }
  const from = src.getByKey('from');
  if (from !== undefined) h.append('From', from);
  const to = src.getByKey('to');
  if (to !== undefined) h.append('To', opts.toTag !== undefined && !hasToTag(req) ? `${to};tag=${opts.toTag}` : to);
  const callId = src.getByKey('call-id');
  if (callId !== undefined) h.append('Call-ID', callId);
  const cseq = src.getByKey('cseq');
  if (cseq !== undefined) h.append('CSeq', cseq);
  if (status === 100) {
    const ts = src.getByKey('timestamp');
    if (ts !== undefined) h.append('Timestamp', ts);
  }
  return new SipResponse(status, reason ?? reasonPhrase(status), h);
}
