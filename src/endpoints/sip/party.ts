/**
 * Caller and callee identities of a SIP call (RFC 3261 sections 8.1.1.2-8.1.1.3: From, To and the
 * Request-URI) as core's Party values and channel variables in FreeSWITCH's sip_* naming.
 */
import { formatUri, type IncomingInvite, type NameAddr } from '../../sip/index.ts';
import type { Party } from '../../core/index.ts';

export function partyOf(addr: NameAddr): Party {
  const party: Party = { number: addr.uri.user ?? '', name: addr.displayName ?? '' };
  try {
    party.uri = formatUri(addr.uri);
  } catch {
    // An unformattable URI only loses the uri field.
  }
  return party;
}

/** The called number: the Request-URI's user part, else the To user. */
export function destinationOf(invite: IncomingInvite): string {
  try {
    const user = invite.request.requestUri.user;
    if (user) return user;
  } catch {
    // Fall back to To.
  }
  return invite.to.uri.user ?? '';
}

export function inviteVariables(invite: IncomingInvite): Record<string, string> {
  const vars: Record<string, string> = {
    sip_call_id: invite.callId,
    sip_from_user: invite.from.uri.user ?? '',
    sip_from_host: invite.from.uri.host,
    sip_to_user: invite.to.uri.user ?? '',
    sip_to_host: invite.to.uri.host,
    sip_network_ip: invite.source.address,
    sip_network_port: String(invite.source.port),
    sip_transport: invite.source.transport,
  };
  try {
    vars['sip_req_uri'] = formatUri(invite.request.requestUri);
    vars['sip_req_host'] = invite.request.requestUri.host;
  } catch {
    // Without a readable Request-URI the variable is left out.
  }
  return vars;
}
