/**
 * A REFER from either leg of a bridged dial that has a `referHook` (specs/jambonz.md §2.4 "dial
 * referHook"; the original's dial.js `handleRefer`): the hook gets the referring leg's call info plus
 * `refer_details` (`referring_call_sid` the leg that sent the REFER, `referred_call_sid` the other), the
 * REFER is answered 202 and tracked with NOTIFY sipfrag (refer/refer-flow.ts), and the reply's verbs
 * run on the other leg:
 * - REFER from the caller (A leg): the callee (B leg) gets the verbs as its own application, the dial
 *   ends and the caller's application goes on with its next verb;
 * - REFER from the callee (B leg): the verbs replace the caller's application (the dial ends and the
 *   callee is hung up, after the final NOTIFY).
 * A dial without a referHook leaves a caller's REFER to the session and refuses a callee's with 501.
 */
import type { RemoteTransfer } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import { referDetails, runReferFlow, type ReferFlowDeps } from '../refer/index.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { ConnectServices } from './connect-services.ts';

export interface DialReferContext {
  s: VerbServices;
  c: ConnectServices;
  hook: Hook | undefined;
  childInfo: CallInfo;
  /** Gives the B leg the verbs as its own application (the dial ends). */
  adoptChild(verbs: VerbData[]): boolean;
}

function flowDeps(ctx: DialReferContext): ReferFlowDeps {
  return {
    log: ctx.s.log, clock: ctx.s.clock,
    request: (hook, payload) => ctx.c.request('verb:hook', hook, payload),
    validate: (payload) => ctx.c.validate(payload),
    invalid: (details) => ctx.s.notifyError({ msg: 'invalid referHook response', details }),
  };
}

/** A REFER the A leg received; false (not taken) when the dial has no referHook. */
export function takeParentRefer(ctx: DialReferContext, t: RemoteTransfer): boolean {
  const hook = ctx.hook;
  if (!hook || !t.take()) return false;
  const aSid = ctx.s.callInfo.callSid;
  const payload = { ...ctx.s.callInfo.toJSON(), refer_details: referDetails(t, aSid, ctx.childInfo.callSid) };
  void runReferFlow(flowDeps(ctx), t, hook, payload, (verbs) => {
    if (!ctx.adoptChild(verbs)) ctx.s.log.info('dial: REFER verbs not run, the callee is gone');
  }).catch((err: unknown) => ctx.s.log.warn({ err }, 'dial: REFER handling failed'));
  return true;
}

/** A REFER the B leg received. */
export function handleChildRefer(ctx: DialReferContext, t: RemoteTransfer): void {
  if (!t.take()) return;
  const hook = ctx.hook;
  if (!hook) {
    ctx.s.log.info('dial: REFER from the callee without a referHook: 501');
    t.reject(501);
    return;
  }
  const bSid = ctx.childInfo.callSid;
  const payload = { ...ctx.childInfo.toJSON(), refer_details: referDetails(t, bSid, ctx.s.callInfo.callSid) };
  void runReferFlow(flowDeps(ctx), t, hook, payload, (verbs) => {
    if (ctx.c.replaceApplication) ctx.c.replaceApplication(verbs);
    else ctx.s.log.warn('dial: REFER verbs cannot replace the caller application here');
  }, true).catch((err: unknown) => ctx.s.log.warn({ err }, 'dial: REFER handling failed'));
}
