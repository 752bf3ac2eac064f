/**
 * Responses built by the dialog layer (RFC 3261 section 8.2.6): createResponse() from the message layer
 * plus what a UA core adds: the To tag, Contact and copied Record-Route for responses that establish or
 * refresh a dialog (section 12.1.1), Allow/Supported, Server, and the application's headers and body.
 */
import type { SipRequest, SipResponse, SipUri } from '../message/index.ts';
import { createResponse, formatNameAddr } from '../message/index.ts';
import type { DialogContext } from './dialog-context.ts';
import { ALLOW_VALUE, supportedTags } from './extensions.ts';
import { applyInit, type MessageInit } from './session-body.ts';

export interface ResponseInit extends MessageInit {
  reason?: string;
}

export interface BuildResponseOptions {
  toTag?: string;
  /** Contact to add (2xx and 1xx that establish a dialog, 2xx to target refresh requests). */
  contact?: SipUri;
  /** Copy the request's Record-Route (responses that establish a dialog, section 12.1.1). */
  recordRoute?: boolean;
  /** Add Allow and Supported (responses to INVITE, OPTIONS, 405, 420). */
  capabilities?: boolean;
}

export function buildResponse(
  ctx: DialogContext,
  req: SipRequest,
  status: number,
  init?: ResponseInit,
  opts: BuildResponseOptions = {},
): SipResponse {
  const res = createResponse(req, status, init?.reason, opts.toTag === undefined ? {} : { toTag: opts.toTag });
  if (opts.recordRoute) {
    for (const rr of req.headers.getAll('record-route')) res.headers.append('Record-Route', rr);
  }
  if (opts.contact) res.headers.append('Contact', formatNameAddr({ uri: opts.contact, params: {} }));
  if (opts.capabilities) {
    res.headers.append('Allow', ALLOW_VALUE);
    res.headers.append('Supported', supportedTags(ctx.config.sessionTimer.enabled).join(', '));
  }
  if (ctx.config.userAgent !== undefined) res.headers.append('Server', ctx.config.userAgent);
  applyInit(res, init);
  return res;
}
