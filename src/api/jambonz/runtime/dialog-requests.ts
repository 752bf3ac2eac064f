/**
 * In-dialog requests from the far end reported to the application's `sipRequestWithinDialogHook`
 * (specs/jambonz.md §2.4 "sipRequestWithinDialogHook"; the original's call-session.js
 * `_onRequestWithinDialog` and `_notifyHoldState`):
 *
 * - with the hook set, INFO is answered 200 and MESSAGE 202 at once (the hook's reply does not change
 *   the status: the original answers before it asks), then the hook gets call info plus `sip_method`,
 *   `sip_body`, `sip_headers`; other methods (NOTIFY, OPTIONS) keep the endpoint's 200 and are not
 *   reported, as the original registers the hook for INFO and MESSAGE only; without the hook every
 *   request keeps the endpoint's 200;
 * - a hold or unhold by the far end (re-INVITE or UPDATE with sendonly / inactive / c=0.0.0.0, and back)
 *   is reported to the same hook with `sip_method: 'INVITE'`, `event: 'hold' | 'unhold'`, `on_hold`
 *   (the original sends these only when JAMBONES_HOLD_UNHOLD_EVENTS is set; here whenever the hook is).
 *
 * Pure field builders plus `watchDialogRequests`, which follows one leg for a session.
 */
import type { Channel, InDialogRequest } from '../../../core/index.ts';
import type { Logger } from '../../../lib/index.ts';
import type { Hook } from '../contract.ts';
import type { VerbData } from './verb-data.ts';

/** The status the original answers an in-dialog request with when the hook is set (none: not reported). */
export const HOOKED_METHODS: Readonly<Record<string, number>> = { INFO: 200, MESSAGE: 202 };

/** The hook's fields for one request (merged into the call info by the session). */
export function dialogRequestFields(request: InDialogRequest): Record<string, unknown> {
  return { sip_method: request.method, sip_body: request.body, sip_headers: { ...request.headers } };
}

/** The hook's fields for a hold state change of the far end. */
export function holdFields(held: boolean): Record<string, unknown> {
  return { sip_method: 'INVITE', event: held ? 'hold' : 'unhold', on_hold: held };
}

/** What watchDialogRequests needs of a session. */
export interface DialogRequestTarget {
  readonly log: Logger;
  readonly settings: { sipRequestWithinDialogHook?: Hook };
  notifyHook(hook: Hook | undefined, results: Record<string, unknown>, verb: VerbData): void;
}

const CONFIG_VERB: VerbData = { verb: 'config' };

/** Answers and reports one request of `leg` (the session's own leg, or a dial's B leg). */
export function handleDialogRequest(target: DialogRequestTarget, request: InDialogRequest): void {
  const hook = target.settings.sipRequestWithinDialogHook;
  const status = HOOKED_METHODS[request.method.toUpperCase()];
  if (!hook || status === undefined) {
    target.log.debug({ method: request.method, hooked: Boolean(hook) }, 'in-dialog request not reported');
    return;
  }
  request.respond?.(status);
  target.notifyHook(hook, dialogRequestFields(request), CONFIG_VERB);
}

/** Follows the leg's in-dialog requests and far-end hold changes; returns the unsubscribe. */
export function watchDialogRequests(target: DialogRequestTarget, leg: Channel): () => void {
  const offs = [
    leg.on('request', (r) => handleDialogRequest(target, r)),
    leg.on('hold', ({ held, by }) => {
      if (by !== 'remote') return;
      const hook = target.settings.sipRequestWithinDialogHook;
      target.log.info({ held }, held ? 'far end put the call on hold' : 'far end took the call off hold');
      if (hook) target.notifyHook(hook, holdFields(held), CONFIG_VERB);
    }),
  ];
  return () => {
    for (const off of offs.splice(0)) off();
  };
}
