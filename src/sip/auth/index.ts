/**
 * Digest authentication for SIP (RFC 3261 section 22, RFC 7616, RFC 8760): pure digest math, header
 * parsing, server-side verification with stateless nonces, and the client answering challenges.
 */
export { AuthError, type AuthErrorCode } from './auth-error.ts';
export {
  type DigestAlgorithm, DIGEST_ALGORITHMS, toDigestAlgorithm, isSessionAlgorithm, baseAlgorithm, algorithmStrength,
} from './digest-algorithm.ts';
export {
  type DigestQop, type DigestResponseInput, digestHash, computeHa1, sessionHa1, computeHa2, computeUserhash,
  computeDigestResponse, formatNonceCount, parseNonceCount,
} from './digest-math.ts';
export { type AuthHeaderItem, parseAuthHeader, formatAuthHeaderItem, quoteString, isToken } from './auth-params.ts';
export {
  type DigestChallenge, parseDigestChallenges, parseDigestChallenge, formatDigestChallenge, isDigestScheme,
} from './digest-challenge.ts';
export {
  type DigestCredentials, parseDigestCredentialsList, parseDigestCredentials, formatDigestCredentials,
} from './digest-credentials.ts';
export { digestUriMatches } from './digest-uri.ts';
export { NonceManager, type NonceManagerOptions, type NonceCheck } from './nonce-manager.ts';
export { NonceCountTracker, type NonceCountTrackerOptions, type NonceCountResult } from './nonce-count-tracker.ts';
export {
  DigestVerifier, type DigestVerifierOptions, type DigestVerifyInput, type DigestAuthResult, type DigestUserRecord,
  type DigestUserLookup, type DigestChallengeKind, type DigestFailureCause,
} from './digest-verifier.ts';
export {
  DigestClientState, type DigestUserCredentials, type DigestAnswerOptions, type DigestAnswer, answerChallenge,
  answerDigestChallenge, answerDigestChallenges, selectDigestChallenges,
} from './digest-client.ts';
export { credentialsFrom, authFailureResponse, verifyRequest } from './auth-response.ts';
