/**
 * One request sent by the dialog layer as a UAC, from the first transmission to its final response:
 * a client transaction through the host, 401/407 answered with credentials (RFC 3261 section 22.2) by
 * sending the request again with the next CSeq, and a timeout or transport failure turned into the
 * section 8.1.3.1 synthetic 408 / 503 by the transaction. The promise never rejects.
 */
import { errorMessage } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { createResponse } from '../message/index.ts';
import type { ClientTransactionUser } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import type { AuthSession } from './auth-session.ts';
import type { DialogContext } from './dialog-context.ts';

export interface ClientRequestOptions {
  destination?: Destination;
  auth?: AuthSession;
  /** The CSeq number of a retry (the dialog's next local sequence number). */
  nextSeq(): number;
  /** Provisional responses. */
  onProvisional?(res: SipResponse, req: SipRequest): void;
  /** INVITE: a 2xx passed up after the final one (a retransmission or a forked answer). */
  onExtraSuccess?(res: SipResponse, req: SipRequest): void;
  /** Each request, just before it is sent (the first and every retry). */
  onSending?(req: SipRequest): void;
}

export interface ClientRequestResult {
  response: SipResponse;
  /** The request the final response answers (a retry carries credentials and a later CSeq). */
  request: SipRequest;
}

/** Sends `req` and resolves with its final response (synthetic 408/503 on timeout/transport failure). */
export function sendClientRequest(ctx: DialogContext, req: SipRequest, opts: ClientRequestOptions): Promise<ClientRequestResult> {
  return new Promise((resolve) => {
    const chain = opts.auth?.chain();
    const attempt = (request: SipRequest): void => {
      let settled = false;
      const user: ClientTransactionUser = {
        onResponse(res) {
          if (res.status < 200) {
            if (!settled) opts.onProvisional?.(res, request);
            return;
          }
          if (settled) {
            if (res.status < 300) opts.onExtraSuccess?.(res, request);
            return;
          }
          settled = true;
          if ((res.status === 401 || res.status === 407) && opts.auth && chain) {
            const next = opts.auth.retry(request, res, opts.nextSeq(), chain);
            if (next) {
              attempt(next);
              return;
            }
          }
          resolve({ response: res, request });
        },
      };
      try {
        opts.onSending?.(request);
        ctx.host.sendRequest(request, user, opts.destination ? { destination: opts.destination } : undefined);
      } catch (err) {
        ctx.log.debug({ err: errorMessage(err), method: request.method }, 'request could not be sent');
        if (!settled) {
          settled = true;
          resolve({ response: createResponse(request, 503, 'Service Unavailable'), request });
        }
      }
    };
    attempt(req);
  });
}
