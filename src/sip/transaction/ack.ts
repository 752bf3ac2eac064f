/**
 * Requests built from an INVITE that travel on the INVITE's branch:
 * - the ACK an INVITE client transaction sends for a non-2xx final response (RFC 3261 section 17.1.1.3):
 *   Request-URI, Call-ID, From and the CSeq number of the INVITE, method ACK, To of the response (with
 *   the tag the UAS chose), one Via equal to the INVITE's top Via, the INVITE's Route header fields;
 * - the CANCEL of a pending INVITE (section 9.1): the same, with the INVITE's own To.
 * The ACK for a 2xx is the TU's own request with a new branch (section 13.2.2.4), never built here.
 */
import { SipRequest, type SipResponse } from '../message/index.ts';

export function ackForNonSuccess(invite: SipRequest, response: SipResponse): SipRequest {
  return sameBranchRequest(invite, 'ACK', response.headers.get('to') ?? invite.headers.get('to'));
}

/** The CANCEL for `invite` (section 9.1); send it with sendRequest() to the INVITE's destination. */
export function cancelFor(invite: SipRequest): SipRequest {
  return sameBranchRequest(invite, 'CANCEL', invite.headers.get('to'));
}

function sameBranchRequest(invite: SipRequest, method: 'ACK' | 'CANCEL', to: string | undefined): SipRequest {
  const h = invite.headers;
  const fields: [string, string][] = [];
  const topVia = h.values('via')[0];
  if (topVia !== undefined) fields.push(['Via', topVia]);
  fields.push(['Max-Forwards', '70']);
  for (const route of h.getAll('route')) fields.push(['Route', route]);
  const from = h.get('from');
  const callId = h.get('call-id');
  if (from !== undefined) fields.push(['From', from]);
  if (to !== undefined) fields.push(['To', to]);
  if (callId !== undefined) fields.push(['Call-ID', callId]);
  fields.push(['CSeq', `${invite.cseq.seq} ${method}`]);
  fields.push(['Content-Length', '0']);
  return new SipRequest(method, invite.uri, fields);
}
