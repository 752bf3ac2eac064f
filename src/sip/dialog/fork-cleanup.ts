/**
 * A 2xx to an INVITE of ours that we do not want (RFC 3261 section 13.2.2.4, RFC 6026): a second fork
 * answering after the first 2xx won, or an answer racing our CANCEL. The UAC must still acknowledge it
 * (the UAS retransmits until then) and then ends that dialog with BYE.
 */
import type { SipRequest, SipResponse, SipUri } from '../message/index.ts';
import { errorMessage } from '../../lib/index.ts';
import type { Destination } from '../transport/index.ts';
import { copyCredentials, type AuthSession } from './auth-session.ts';
import { sendClientRequest } from './client-request.ts';
import type { DialogContext } from './dialog-context.ts';
import { DialogState } from './dialog-state.ts';

export interface ForkCleanupOptions {
  contact: SipUri;
  destination?: Destination;
  auth?: AuthSession;
}

/** Sends the ACK for `res` and a BYE in the dialog it created; the BYE's outcome is only logged. */
export function ackAndBye(ctx: DialogContext, invite: SipRequest, res: SipResponse, opts: ForkCleanupOptions): void {
  let state: DialogState;
  try {
    state = DialogState.forUac(invite, res, opts.contact);
  } catch (err) {
    ctx.log.debug({ err: errorMessage(err) }, 'unusable 2xx: not acknowledged');
    return;
  }
  const ack = state.buildRequest('ACK', invite.cseq.seq);
  copyCredentials(invite, ack);
  try {
    ctx.host.sendAck(ack, opts.destination ? { destination: opts.destination } : undefined);
  } catch (err) {
    ctx.log.debug({ err: errorMessage(err) }, 'ACK could not be sent');
  }
  const bye = state.buildRequest('BYE');
  void sendClientRequest(ctx, bye, {
    ...(opts.destination ? { destination: opts.destination } : {}),
    ...(opts.auth ? { auth: opts.auth } : {}),
    nextSeq: () => state.nextLocalSeq(),
  }).then(({ response }) => {
    ctx.log.debug({ callId: state.id.callId, remoteTag: state.id.remoteTag, status: response.status }, 'unwanted 2xx: BYE answered');
  });
}
