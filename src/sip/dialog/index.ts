/**
 * The SIP dialog layer (RFC 3261 sections 12-15, RFC 3262 100rel/PRACK, RFC 3311 UPDATE, RFC 3515 REFER,
 * RFC 4028 session timers, RFC 6026): UAC and UAS dialogs on top of the transaction layer, driven by the
 * stack through the DialogHost interface.
 */
export type { DialogHost } from './dialog-host.ts';
export {
  DialogLayer, type DialogLayerHandlers, type DialogLayerOptions, type InviteOptions,
} from './dialog-layer.ts';
export type { DialogConfig, SessionTimerConfig } from './dialog-context.ts';
export { Dialog, type DialogRegistry, type EarlyDialogHooks } from './dialog.ts';
export type { DialogEvents, DialogEndReason, DialogTerminated, SessionUpdateResult } from './dialog-events.ts';
export { dialogKey, idOfRequest, idOfResponse, type DialogId } from './dialog-id.ts';
export { DialogState, type DialogStateInit } from './dialog-state.ts';
export type { DialogPhase } from './dialog-port.ts';
export {
  IncomingInvite, type IncomingInviteEvents, type IncomingInviteState, type ProgressInit,
} from './incoming-invite.ts';
export {
  OutgoingInvite, type OutgoingInviteEvents, type InviteResult, type InviteFailureCause, type ProvisionalEvent,
} from './outgoing-invite.ts';
export type { InviteRequestOptions } from './invite-request.ts';
export { IncomingDialogRequest, PendingRequest, type ReplyState } from './incoming-request.ts';
export { IncomingSessionUpdate } from './incoming-session-update.ts';
export type { SessionUpdateOptions } from './session-updates.ts';
export { IncomingRefer, type ReplacesTarget, parseReplaces, formatReplaces } from './incoming-refer.ts';
export { ReferSubscription, type ReferOutcome, type ReferSubscriptionEvents, type ReferSubscriptionState } from './refer-subscription.ts';
export type { ReferOptions } from './refer-usages.ts';
export type { ResponseInit } from './response-builder.ts';
export type { SessionBody, MessageInit, HeaderInit } from './session-body.ts';
export type { SessionInterval } from './session-timer-negotiation.ts';
export { SIPFRAG_CONTENT_TYPE, formatSipfrag, parseSipfrag, type StatusLine } from './sipfrag.ts';
export { DialogError, type DialogErrorCode } from './errors.ts';
export { ALLOWED_METHODS, supportedTags } from './extensions.ts';
