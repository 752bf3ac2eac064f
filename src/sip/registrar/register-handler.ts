/**
 * A complete REGISTER server transaction user (RFC 3261 section 10.3 steps 1-8): authenticate with
 * Digest (section 22, step 4), read the request, run the registrar, and build the response. The stack
 * hands it a REGISTER and its source and sends back what it returns.
 */
import { newTag } from '../../lib/index.ts';
import {
  type DigestUserLookup, type DigestVerifier, authFailureResponse, verifyRequest,
} from '../auth/index.ts';
import { type SipRequest, type SipResponse, createResponse } from '../message/index.ts';
import type { BindingSource } from './bindings-store.ts';
import type { Registrar } from './registrar.ts';
import { registerInputFromRequest, registerResponse } from './register-response.ts';

export interface RegisterHandlerOptions {
  registrar: Registrar;
  /** When present, every REGISTER must carry valid Digest credentials (else 401 with challenges). */
  auth?: {
    verifier: DigestVerifier;
    /** The realm (default: the host of the Request-URI). */
    realm?: string | ((req: SipRequest) => string);
    lookup: DigestUserLookup;
  };
  /** Date for the 200's Date header (default: the wall clock). */
  now?: () => Date;
}

export async function handleRegister(req: SipRequest, source: BindingSource, options: RegisterHandlerOptions): Promise<SipResponse> {
  const toTag = newTag();
  let authenticatedUser: string | undefined;
  if (options.auth) {
    const { verifier, lookup } = options.auth;
    let realm: string;
    try {
      realm = typeof options.auth.realm === 'function'
        ? options.auth.realm(req)
        : options.auth.realm ?? req.requestUri.host;
    } catch {
      return createResponse(req, 400, 'Bad Request-URI', { toTag });
    }
    const result = await verifyRequest(verifier, req, { realm, lookup });
    if (!result.ok) return authFailureResponse(req, result, toTag);
    authenticatedUser = result.username;
  }
  const parsed = registerInputFromRequest(req, source, authenticatedUser);
  if (!parsed.ok) return createResponse(req, parsed.status, parsed.reason, { toTag });
  const result = await options.registrar.register(parsed.input);
  return registerResponse(req, result, { toTag, ...(options.now ? { date: options.now() } : {}) });
}
