/**
 * Dialog identifiers (RFC 3261 section 12): Call-ID, local tag and remote tag. At a UAS the local tag is
 * the To tag of requests it receives; at a UAC it is the From tag of the requests it sends. A request
 * received in a dialog therefore always names the dialog by (Call-ID, To tag, From tag), and a response
 * received by (Call-ID, From tag, To tag), whichever side created the dialog.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';

export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

/** The map key of a dialog. Call-IDs are compared case-sensitively, tags too (section 19.3 leaves it to the token). */
export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/** The dialog a received request belongs to, or undefined when it has no To tag (or no From tag). */
export function idOfRequest(req: SipRequest): DialogId | undefined {
  try {
    const localTag = req.toTag;
    const remoteTag = req.fromTag;
    if (localTag === undefined || remoteTag === undefined) return undefined;
    return { callId: req.callId, localTag, remoteTag };
  } catch {
    return undefined;
  }
}

/** The dialog a received response belongs to (seen from the UAC), or undefined without both tags. */
export function idOfResponse(res: SipResponse): DialogId | undefined {
  try {
    const localTag = res.fromTag;
    const remoteTag = res.toTag;
    if (localTag === undefined || remoteTag === undefined) return undefined;
    return { callId: res.callId, localTag, remoteTag };
  } catch {
    return undefined;
  }
}
