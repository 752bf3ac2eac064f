/**
 * The inside of a dialog that its helpers (session updates, session timer, REFER usages) work through.
 * Dialog implements it; the helpers never see the Dialog class, so each stays a small file.
 */
import type { Logger } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { ClientRequestResult } from './client-request.ts';
import type { DialogContext } from './dialog-context.ts';
import type { DialogEndReason, DialogEvents } from './dialog-events.ts';
import type { DialogState } from './dialog-state.ts';
import type { PendingRequest } from './incoming-request.ts';
import type { MessageInit, SessionBody } from './session-body.ts';
import type { SessionTimer } from './session-timer.ts';

export type DialogPhase = 'early' | 'confirmed' | 'terminated';

export interface EndOptions {
  remote: boolean;
  /** Send a BYE (confirmed dialogs only). */
  bye?: boolean;
  request?: SipRequest;
  response?: SipResponse;
}

export interface SendHooks {
  /** INVITE: a 2xx passed up after the final one. */
  onExtraSuccess?(res: SipResponse, req: SipRequest): void;
  /** Each request sent (the first and every retry with credentials, which has a new CSeq). */
  onSent?(req: SipRequest): void;
}

export interface AckHandlers {
  onAck(ack: SipRequest): void;
  /** No ACK within 64*T1; the dialog then ends with BYE ('no-ack'). */
  onNoAck?(): void;
}

export interface DialogPort {
  readonly ctx: DialogContext;
  readonly state: DialogState;
  readonly role: 'uac' | 'uas';
  readonly phase: DialogPhase;
  readonly log: Logger;
  readonly sessionTimer: SessionTimer;
  /** The methods the peer allows (from the Allow of its INVITE or 2xx), if it said. */
  readonly peerAllow: readonly string[] | undefined;
  localSession: SessionBody | undefined;
  remoteSession: SessionBody | undefined;
  /** Sends a request in the dialog (next CSeq, credentials on challenge); never rejects. */
  send(method: string, init: MessageInit | undefined, hooks?: SendHooks): Promise<ClientRequestResult>;
  /** Sends the ACK for a 2xx to `invite` (section 13.2.2.4) and keeps it for retransmitted 2xx. */
  sendAck(invite: SipRequest, init?: MessageInit): void;
  /** Sends the ACK kept for INVITE CSeq `seq` again, if there is one. */
  resendAck(seq: number): void;
  /** Sends a 2xx to an INVITE and retransmits it until the ACK (section 13.3.1.4). */
  sendSuccess(tx: ServerTransaction, res: SipResponse, handlers: AckHandlers): boolean;
  emit<K extends keyof DialogEvents>(event: K, payload: DialogEvents[K]): void;
  /** Keeps a request that waits for the application, so that the dialog's end answers it (487). */
  trackPending(req: PendingRequest): void;
  end(reason: DialogEndReason, opts: EndOptions): void;
}
