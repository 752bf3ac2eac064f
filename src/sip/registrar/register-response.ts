/**
 * The registrar's side of REGISTER on the wire (RFC 3261 section 10.3): reading the fields it needs
 * from the request (a malformed one is 400, step 3 of 8.2) and writing the response: the Contact list
 * with expires parameters and a Date (step 8), Min-Expires for 423 (section 20.23), and the Path the
 * request carried (RFC 3327 section 5.3).
 */
import {
  type SipRequest, type SipResponse, SipParseError, createResponse, formatSipDate,
} from '../message/index.ts';
import type { BindingSource } from './bindings-store.ts';
import type { RegisterInput, RegisterResult } from './registrar.ts';

export type RegisterInputResult =
  | { ok: true; input: RegisterInput }
  | { ok: false; status: number; reason: string };

export function registerInputFromRequest(
  req: SipRequest,
  source: BindingSource,
  authenticatedUser?: string,
): RegisterInputResult {
  try {
    const userAgent = req.headers.get('user-agent');
    const path = req.headers.values('path');
    const expires = req.expires;
    const input: RegisterInput = {
      to: req.to,
      contacts: req.contacts,
      callId: req.callId,
      cseq: req.cseq.seq,
      source,
      ...(expires !== undefined ? { expires } : {}),
      ...(userAgent !== undefined ? { userAgent } : {}),
      ...(path.length > 0 ? { path } : {}),
      ...(authenticatedUser !== undefined ? { authenticatedUser } : {}),
    };
    return { ok: true, input };
  } catch (err) {
    if (err instanceof SipParseError) return { ok: false, status: 400, reason: err.reason };
    throw err;
  }
}

export interface RegisterResponseOptions {
  toTag?: string;
  /** Value of the Date header of a 200 (default: now). */
  date?: Date;
}

export function registerResponse(req: SipRequest, result: RegisterResult, options: RegisterResponseOptions = {}): SipResponse {
  const res = createResponse(req, result.status, result.reason, options.toTag === undefined ? {} : { toTag: options.toTag });
  if (result.ok) {
    for (const contact of result.contacts) res.headers.append('Contact', contact);
    for (const path of req.headers.getAll('path')) res.headers.append('Path', path);
    res.headers.append('Date', formatSipDate(options.date ?? new Date()));
  } else if (result.minExpires !== undefined) {
    res.headers.append('Min-Expires', String(result.minExpires));
  }
  return res;
}
