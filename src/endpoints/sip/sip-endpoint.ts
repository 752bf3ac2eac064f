/**
 * The SIP endpoint: adapts the SIP stack (RFC 3261), SDP offer/answer (RFC 3264) and the RTP media
 * engine to core's channels. Inbound INVITEs become routed inbound channels (inbound-call.ts); core's
 * originate to `sip:`/`sips:` URIs, `sofia/<profile>/<uri>` and `user/<name>` (every contact registered
 * here, RFC 3261 section 10.3, rung in parallel) becomes outbound legs (outbound-call.ts). An INVITE
 * from one of our users is digest-challenged first (call-auth.ts, RFC 3261 section 22.3); its caller
 * then counts as the authenticated user, or else as the user it claims when that user is registered
 * from the INVITE's source address.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import {
  aorUser, formatUri, sortByPreference, type Binding, type Destination, type IncomingInvite, type Registrar, type SipStack,
} from '../../sip/index.ts';
import type { MediaClock, MediaWorkers, PortPool } from '../../media/index.ts';
import type {
  Channel, Endpoint, EndpointOriginateOutcome, EndpointOriginateRequest, RecordCallResult, RemoteRecordingRequest, Switch,
} from '../../core/index.ts';
import { CallAuthenticator, hostOf, type CallAuthOptions } from './call-auth.ts';
import { InboundCall } from './inbound-call.ts';
import { DEFAULT_SIP_CODECS } from './media-config.ts';
import type { SourceSettings } from './media-operations.ts';
import { OutboundCall, type OutboundTarget } from './outbound-call.ts';
import type { LegMediaSettings } from './sip-leg.ts';
import { parseSipTarget } from './sip-target.ts';
import { startSiprec } from './siprec/index.ts';

export interface SipEndpointOptions {
  sw: Switch;
  sip: SipStack;
  /** The in-thread port pool (needed unless `workers` is given). */
  pool?: PortPool;
  mediaClock: MediaClock;
  /** The address written in SDP; the pool's address unless given (required when the pool binds 0.0.0.0). */
  advertisedAddress?: string;
  /** Codec preference (default PCMU, PCMA, G722). */
  codecs?: readonly string[];
  /** Where `user/<name>` targets are looked up, and callers identified. */
  registrar?: Registrar;
  /** Host part of the From of our INVITEs (default: the advertised address). */
  domain?: string;
  sources?: SourceSettings;
  /** Media worker threads for the legs' sessions (absent: sessions run on this thread's media clock). */
  workers?: MediaWorkers;
  /** Symmetric RTP latching (default true); false sends only where the SDP says. */
  latching?: boolean;
  /** Media worker placement key of an inbound call's called number (same key, same worker). */
  mediaAffinity?: (destination: string) => string | undefined;
  /** Digest authentication of inbound INVITEs (absent: none). */
  callAuth?: CallAuthOptions;
  log: Logger;
}

export class SipEndpoint implements Endpoint {
  readonly name = 'sip';
  readonly schemes: readonly string[] = ['sip:', 'sips:', 'sofia/', 'user/'];
  readonly #o: SipEndpointOptions;
  readonly #media: LegMediaSettings;
  readonly #log: Logger;
  readonly #auth: CallAuthenticator | undefined;
  #started = false;

  constructor(options: SipEndpointOptions) {
    this.#o = options;
    this.#log = options.log;
    const advertised = options.advertisedAddress ?? options.pool?.address ?? options.workers?.workers[0]?.address ?? '127.0.0.1';
    this.#media = {
      ...(options.pool ? { pool: options.pool } : {}),
      clock: options.mediaClock,
      advertisedAddress: advertised,
      codecs: options.codecs ?? DEFAULT_SIP_CODECS,
      sources: options.sources ?? {},
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.latching === false ? { latching: false } : {}),
      ...(options.mediaAffinity ? { affinity: options.mediaAffinity } : {}),
    };
    if (options.callAuth && options.callAuth.mode !== 'none') {
      this.#auth = new CallAuthenticator(options.callAuth, () => this.#localHosts());
    }
  }

  /** What a From host may be to name this server: the SIP domain and our own addresses. */
  #localHosts(): ReadonlySet<string> {
    const hosts = new Set<string>([this.#media.advertisedAddress]);
    if (this.#o.domain) hosts.add(this.#o.domain);
    for (const l of this.#o.sip.transports.listeners()) hosts.add(l.advertised.host).add(l.advertised.address);
    return new Set([...hosts].map(hostOf));
  }

  /** Takes the stack's INVITEs; registers the endpoint on the switch for originate. Returns the undo. */
  start(): () => void {
    if (this.#started) throw new Error('the SIP endpoint is already started');
    this.#started = true;
    const remove = this.#o.sw.addEndpoint(this);
    this.#o.sip.handle({ onInvite: (invite) => this.#onInvite(invite) });
    return () => {
      remove();
      this.#o.sip.handle({});
    };
  }

  originate(target: string, request: EndpointOriginateRequest): Promise<EndpointOriginateOutcome> {
    return this.#originate(target, request).catch((err: unknown) => {
      this.#log.error({ err: errorMessage(err), target }, 'SIP originate failed');
      return { ok: false, cause: 'NORMAL_TEMPORARY_FAILURE', reason: errorMessage(err) };
    });
  }

  /** Records a call at a SIPREC recording server (RFC 7866): this server is the recording client (siprec/). */
  recordCall(channel: Channel, request: RemoteRecordingRequest): RecordCallResult {
    return startSiprec(channel, request, {
      sip: this.#o.sip, media: this.#media, log: this.#log, fromHost: this.#o.domain ?? this.#media.advertisedAddress,
    });
  }

  async #originate(target: string, request: EndpointOriginateRequest): Promise<EndpointOriginateOutcome> {
    const parsed = parseSipTarget(target);
    if (!parsed.ok) return { ok: false, cause: 'INVALID_URL', reason: parsed.reason };
    const t = parsed.target;
    let out: OutboundTarget;
    if (t.kind === 'uri') {
      out = {
        branches: [{ uri: t.text }],
        name: `sip/${t.text.replace(/^sips?:/i, '')}`,
        calleeNumber: request.destination ?? t.uri.user ?? '',
      };
    } else {
      const bindings = await this.#bindingsOf(t.user);
      if (bindings.length === 0) {
        this.#log.info({ user: t.user }, 'user not registered');
        return { ok: false, cause: 'USER_NOT_REGISTERED', sipStatus: 480, reason: `${t.user} is not registered` };
      }
      // Every registered contact rings at once (RFC 3261 section 16.6/16.7 parallel search).
      out = {
        branches: bindings.map((b) => ({ uri: formatUri(b.contactUri), to: `<${b.aor}>`, destination: destinationOf(b) })),
        name: `sip/${t.user}`,
        calleeNumber: request.destination ?? t.user,
        calleeUri: bindings[0]!.aor,
      };
    }
    return OutboundCall.place(out, request, {
      sip: this.#o.sip, media: this.#media, log: this.#log, fromHost: this.#o.domain ?? this.#media.advertisedAddress,
    });
  }

  async #bindingsOf(user: string): Promise<Binding[]> {
    const registrar = this.#o.registrar;
    if (!registrar) return [];
    const all = await registrar.bindings();
    return sortByPreference(all.filter((b) => aorUser(b.aor) === user));
  }

  #onInvite(invite: IncomingInvite): void {
    this.#authenticate(invite).then((verdict) => {
      if (verdict === false) return;
      return InboundCall.handle(invite, {
        sw: this.#o.sw,
        media: this.#media,
        log: this.#log,
        identify: (inv) => (verdict === undefined ? this.#identify(inv) : Promise.resolve(verdict)),
      });
    }).catch((err: unknown) => {
      this.#log.error({ err: errorMessage(err), callId: invite.callId }, 'inbound call setup failed');
      try {
        invite.reject(500);
      } catch {
        // Already answered.
      }
    });
  }

  /** The authenticated user, undefined when the call needs no authentication, false when refused. */
  async #authenticate(invite: IncomingInvite): Promise<string | undefined | false> {
    const auth = this.#auth;
    if (!auth) return undefined;
    const verdict = await auth.check(invite);
    if (verdict.ok) return verdict.user;
    if (invite.state !== 'pending') return false;
    const level = verdict.status === 407 && verdict.why === 'missing' ? 'debug' : 'info';
    this.#log[level]({ callId: invite.callId, from: invite.from.uri.user, status: verdict.status, why: verdict.why }, 'INVITE not authenticated');
    invite.reject(verdict.status, verdict.reason, verdict.headers);
    return false;
  }

  /** The From user, when that user has a binding registered from this INVITE's source address. */
  async #identify(invite: IncomingInvite): Promise<string | undefined> {
    const user = invite.from.uri.user;
    if (!user) return undefined;
    const bindings = await this.#bindingsOf(user);
    const src = invite.source;
    return bindings.some((b) => b.source.address === src.address && b.source.port === src.port) ? user : undefined;
  }
}

function destinationOf(b: Binding): Destination {
  const d: Destination = { transport: b.source.transport, address: b.source.address, port: b.source.port };
  if (b.source.connectionId !== undefined) d.connectionId = b.source.connectionId;
  return d;
}
