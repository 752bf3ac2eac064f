/**
 * In-dialog requests from the caller (SIP INFO other than DTMF, MESSAGE, NOTIFY) reported to the
 * application's `sipRequestWithinDialogHook` (specs/jambonz.md §2.4 "sipRequestWithinDialogHook": call
 * info plus `sip_method`, `sip_body`, `sip_headers`). The SIP endpoint has already answered the request.
 */
import type { InDialogRequest } from '../../../core/index.ts';

/** The hook's fields for one request (merged into the call info by the session). */
export function dialogRequestFields(request: InDialogRequest): Record<string, unknown> {
  return { sip_method: request.method, sip_body: request.body, sip_headers: { ...request.headers } };
}
