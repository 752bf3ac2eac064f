/**
 * Digest authentication on SIP messages (RFC 3261 section 22.1-22.3): reading the credentials a request
 * carries and answering a failed verification with 401/407 and its challenges (or 400/403).
 */
import { type SipRequest, type SipResponse, createResponse } from '../message/index.ts';
import type { DigestAuthResult, DigestChallengeKind, DigestVerifier } from './digest-verifier.ts';

type DigestFailure = Extract<DigestAuthResult, { ok: false }>;

/** Authorization (kind 'www') or Proxy-Authorization (kind 'proxy') values of a request. */
export function credentialsFrom(req: SipRequest, kind: DigestChallengeKind = 'www'): string[] {
  return req.headers.getAll(kind === 'proxy' ? 'proxy-authorization' : 'authorization');
}

/** The response for a failed verification: status, reason and one challenge header per algorithm. */
export function authFailureResponse(req: SipRequest, failure: DigestFailure, toTag?: string): SipResponse {
  const res = createResponse(req, failure.status, failure.reason, toTag === undefined ? {} : { toTag });
  if (failure.header) for (const value of failure.challenges) res.headers.append(failure.header, value);
  return res;
}

/** Verifies a request's credentials; a convenience over DigestVerifier.verify for SIP requests. */
export function verifyRequest(
  verifier: DigestVerifier,
  req: SipRequest,
  options: {
    realm: string;
    lookup: Parameters<DigestVerifier['verify']>[0]['lookup'];
    kind?: DigestChallengeKind;
  },
): Promise<DigestAuthResult> {
  const kind = options.kind ?? 'www';
  const credentials = credentialsFrom(req, kind);
  return verifier.verify({
    method: req.method,
    requestUri: req.uri,
    credentials: credentials.length > 0 ? credentials : undefined,
    realm: options.realm,
    lookup: options.lookup,
    kind,
    body: req.body,
  });
}
