/**
 * Digest authentication of inbound INVITEs (RFC 3261 section 22.3, as a proxy challenges: 407 with one
 * Proxy-Authenticate per offered algorithm, RFC 8760; the retried INVITE carries Proxy-Authorization,
 * section 22.2). Which calls are challenged:
 *
 * - 'users' (default): a call whose From claims one of our users (a user the lookup knows, at our SIP
 *   domain or one of our own addresses) must prove it; other identities (a carrier, sipp, a phone
 *   that is not registered here) are let through to the dialplan unchallenged;
 * - 'all': every INVITE must carry credentials of a known user;
 * - 'none': nothing is challenged.
 *
 * The verdict is a value: a 407 challenge (missing, stale or foreign-realm credentials), 403 for a wrong
 * password, an unknown user or credentials of another user than the From claims, 400 for malformed
 * credentials. Nothing is created before it is given, so a challenged INVITE leaves only its server
 * transaction, which ends as usual after the ACK (section 17.2.1).
 */
import {
  credentialsFrom, type DigestUserLookup, type DigestVerifier, type IncomingInvite,
} from '../../sip/index.ts';

export type CallAuthMode = 'users' | 'all' | 'none';

export interface CallAuthOptions {
  mode: CallAuthMode;
  verifier: DigestVerifier;
  /** The digest realm (the server's SIP domain). */
  realm: string;
  lookup: DigestUserLookup;
}

export type CallAuthVerdict =
  /** `user`: the authenticated user, when the call was challenged. */
  | { ok: true; user: string | undefined }
  | { ok: false; status: 400 | 403 | 407; reason: string; headers: Record<string, string | readonly string[]>; why: string };

const FORBIDDEN_CAUSES = new Set(['password', 'unknown-user']);

export class CallAuthenticator {
  readonly #o: CallAuthOptions;
  /** Host names and addresses that mean "this server" in a From URI (lower case). */
  readonly #local: () => ReadonlySet<string>;

  constructor(options: CallAuthOptions, localHosts: () => ReadonlySet<string>) {
    this.#o = options;
    this.#local = localHosts;
  }

  get mode(): CallAuthMode {
    return this.#o.mode;
  }

  /** Whether `invite` must authenticate: the From names a known user here ('users'), or always ('all'). */
  async mustAuthenticate(invite: IncomingInvite): Promise<boolean> {
    const mode = this.#o.mode;
    if (mode === 'none') return false;
    if (mode === 'all') return true;
    const from = invite.from.uri;
    const user = from.user;
    if (!user || !this.#local().has(hostOf(from.host))) return false;
    return (await this.#o.lookup(user, this.#o.realm)) !== undefined;
  }

  /** Checks the INVITE's credentials when it must carry some. */
  async check(invite: IncomingInvite): Promise<CallAuthVerdict> {
    if (!(await this.mustAuthenticate(invite))) return { ok: true, user: undefined };
    const req = invite.request;
    const credentials = credentialsFrom(req, 'proxy');
    const result = await this.#o.verifier.verify({
      method: req.method,
      requestUri: req.uri,
      credentials: credentials.length > 0 ? credentials : undefined,
      realm: this.#o.realm,
      lookup: this.#o.lookup,
      kind: 'proxy',
      body: req.body,
    });
    if (result.ok) {
      const claimed = invite.from.uri.user;
      if (this.#o.mode === 'users' && claimed !== undefined && claimed !== result.username) {
        return forbidden(`credentials of ${result.username} for a call from ${claimed}`);
      }
      return { ok: true, user: result.username };
    }
    if (FORBIDDEN_CAUSES.has(result.cause) && credentials.length > 0) return forbidden(result.cause);
    if (result.status === 407 && result.header) {
      return { ok: false, status: 407, reason: result.reason, headers: { [result.header]: result.challenges }, why: result.cause };
    }
    if (result.status === 400) return { ok: false, status: 400, reason: result.reason, headers: {}, why: result.cause };
    return forbidden(result.cause);
  }
}

function forbidden(why: string): CallAuthVerdict {
  return { ok: false, status: 403, reason: 'Forbidden', headers: {}, why };
}

/** A URI host compared without IPv6 brackets, in lower case. */
export function hostOf(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
