/**
 * An outbound SIP call (RFC 3261 section 13.2, the UAC side of an INVITE) for core's originate, placed
 * to one or several destinations at once (a parallel fork, as a forking proxy does in section 16.7):
 *
 * - every branch's INVITE carries the same offer (RFC 3264 section 5) from the leg's one RTP port;
 * - a 180 from any branch is ringing; a 183 with SDP is early media (the preliminary answer configures
 *   the session, section 13.2.1) from the first branch that sends one;
 * - the first 2xx wins: its answer completes the exchange and the leg follows its dialog; every other
 *   branch is CANCELled (section 9.1), and a 2xx that still arrives on one of them is ACKed and BYEd
 *   (section 13.2.2.4, by the dialog layer, or here when both 2xx raced);
 * - when every branch fails, the best final response (fork-response.ts, section 16.7 step 6) becomes
 *   the cause (RFC 3398 through core's table);
 * - an abort from the switch, or a local hangup before the answer, CANCELs every branch; a hangup after
 *   the answer sends BYE with a Reason header (RFC 3326).
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { Destination, InviteResult, OutgoingInvite, ProvisionalEvent, SipStack } from '../../sip/index.ts';
import { parseSdp, processAnswer } from '../../sdp/index.ts';
import type {
  ChannelDriver, DriverHangupOptions, DriverResult, EndpointOriginateOutcome, EndpointOriginateRequest, HangupCause, InfoMessage, MediaPathRequest,
  TransferOptions,
} from '../../core/index.ts';
import { forkFailure, type BranchFailure } from './fork-response.ts';
import { SDP, SipLeg, isSdp, type LegMediaSettings } from './sip-leg.ts';
import { changeMediaPath } from './media-bypass.ts';

/** One destination of the call. */
export interface OutboundBranch {
  /** Request-URI. */
  uri: string;
  /** To header (default: the Request-URI). */
  to?: string;
  /** Where to send (a registered contact's flow); default: resolved from the URI. */
  destination?: Destination;
}

export interface OutboundTarget {
  /** The destinations rung at once (at least one). */
  branches: readonly OutboundBranch[];
  /** Channel name. */
  name: string;
  calleeNumber: string;
  /** The callee's URI on the channel (default: the first branch's Request-URI). */
  calleeUri?: string;
}

export interface OutboundDeps {
  sip: SipStack;
  media: LegMediaSettings;
  log: Logger;
  /** Host part of our From URI. */
  fromHost: string;
}

function quoted(name: string): string {
  return `"${name.replace(/["\\\r\n]/g, '')}"`;
}

type ForkResult = { ok: true; result: Extract<InviteResult, { ok: true }> } | { ok: false; failures: BranchFailure[] };

export class OutboundCall implements ChannelDriver {
  readonly #leg: SipLeg;
  readonly #log: Logger;
  #invites: OutgoingInvite[] = [];
  #winner: OutgoingInvite | undefined;
  /** The branch whose 183 configured early media. */
  #earlyFrom: OutgoingInvite | undefined;
  #hungUp: { cause: HangupCause; q850: number } | undefined;

  private constructor(leg: SipLeg, log: Logger) {
    this.#leg = leg;
    this.#log = log;
  }

  /** Places the call; resolves with its outcome (never rejects). */
  static async place(target: OutboundTarget, request: EndpointOriginateRequest, deps: OutboundDeps): Promise<EndpointOriginateOutcome> {
    const log = deps.log.child({ channelId: request.uuid });
    let leg: SipLeg;
    try {
      leg = new SipLeg(deps.media, log, request.parentMedia);
    } catch (err) {
      log.error({ err: errorMessage(err), code: (err as { code?: unknown }).code }, 'no media for the outbound call');
      return { ok: false, cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 503, reason: 'MEDIA_NO_PORT' };
    }
    const call = new OutboundCall(leg, log);
    return call.#run(target, request, deps);
  }

  async #run(target: OutboundTarget, request: EndpointOriginateRequest, deps: OutboundDeps): Promise<EndpointOriginateOutcome> {
    const leg = this.#leg;
    const calleeUri = target.calleeUri ?? target.branches[0]?.uri ?? '';
    const channel = request.createChannel(this, { name: target.name, callee: { number: target.calleeNumber, uri: calleeUri } });
    channel.attachMedia(leg.media);
    leg.setChannel(channel);
    const offer = leg.oa.createOffer();
    const caller = request.callerId;
    const from = `${caller.name ? `${quoted(caller.name)} ` : ''}<sip:${caller.number || 'switchboard'}@${deps.fromHost}>`;
    let lastError = 'no destination';
    // Digest credentials of a carrier or a sip target with `auth` (answered on 401/407, RFC 3261 section 22.2).
    const auth = request.auth ? { username: request.auth.username, password: request.auth.password } : undefined;
    for (const branch of target.branches) {
      try {
        this.#invites.push(deps.sip.invite({
          uri: branch.uri,
          from,
          ...(branch.to === undefined ? {} : { to: branch.to }),
          ...(branch.destination ? { destination: branch.destination } : {}),
          body: offer.sdp,
          contentType: SDP,
          headers: { ...request.headers },
          timeout: request.timeoutMs,
          ...(auth ? { auth } : {}),
        }));
      } catch (err) {
        lastError = errorMessage(err);
        this.#log.warn({ err: lastError, uri: branch.uri }, 'INVITE not sent');
      }
    }
    const invites = this.#invites;
    if (invites.length === 0) return { ok: false, cause: 'INVALID_URL', reason: lastError };
    // The Call-ID of the (first) INVITE, as on inbound legs (jambonz create call answers it as callId).
    channel.setVariable('sip_call_id', invites[0]!.callId);
    if (invites.length > 1) this.#log.info({ branches: invites.length }, 'forking the call to every contact');
    const onAbort = (): void => this.#cancelAll();
    request.signal.addEventListener('abort', onAbort, { once: true });
    if (request.signal.aborted || this.#hungUp) this.#cancelAll();
    for (const invite of invites) invite.on('progress', (ev) => this.#progress(invite, ev, request.earlyMedia));
    let fork: ForkResult;
    try {
      fork = await this.#firstAnswer(invites);
    } finally {
      request.signal.removeEventListener('abort', onAbort);
    }
    return this.#settle(fork);
  }

  /** Resolves with the first 2xx (the others are cancelled) or, once every branch failed, their failures. */
  #firstAnswer(invites: readonly OutgoingInvite[]): Promise<ForkResult> {
    return new Promise((resolve) => {
      const failures: BranchFailure[] = [];
      let pending = invites.length;
      for (const invite of invites) {
        void invite.result.then((r) => {
          if (r.ok) {
            if (this.#winner === undefined) {
              this.#winner = invite;
              this.#cancelAll();
              resolve({ ok: true, result: r });
              return;
            }
            // Two branches answered before either CANCEL went out: the layer ACKed this one; end it.
            this.#log.info({ callId: invite.callId }, 'a second branch answered: BYE');
            r.dialog.bye().catch((err: unknown) => this.#log.debug({ err: errorMessage(err) }, 'BYE to a losing branch failed'));
            return;
          }
          failures.push({ status: r.status, reason: r.reason, cause: r.cause });
          if (--pending === 0 && this.#winner === undefined) resolve({ ok: false, failures });
        });
      }
    });
  }

  #cancelAll(): void {
    for (const invite of this.#invites) if (invite !== this.#winner) invite.cancel();
  }

  #progress(invite: OutgoingInvite, ev: ProvisionalEvent, earlyMedia: boolean): void {
    const leg = this.#leg;
    const channel = leg.media.session.closed || this.#winner ? undefined : this.#channelReady();
    if (!channel) return;
    if (ev.status === 180 || (ev.status === 183 && (!ev.body || !earlyMedia))) {
      channel('ringing');
      return;
    }
    if (ev.status !== 183 || !ev.body || !isSdp(ev.body)) return;
    if (this.#earlyFrom !== undefined && this.#earlyFrom !== invite) {
      channel('ringing');
      return;
    }
    const pending = leg.oa.pendingOffer;
    if (!pending) return;
    try {
      const preview = processAnswer(pending, parseSdp(ev.body.body.toString('utf8')), leg.localMedia);
      if (preview.ok && leg.apply(preview.media)) {
        this.#earlyFrom = invite;
        channel('early');
      }
    } catch (err) {
      this.#log.info({ err: errorMessage(err) }, 'unusable SDP in 183: ignored');
    }
  }

  /** A way to report progress on the leg's channel, while it lives. */
  #channelReady(): ((what: 'ringing' | 'early') => void) | undefined {
    const ch = this.#leg.channel;
    if (!ch || ch.ended) return undefined;
    return (what) => (what === 'ringing' ? ch.remoteRinging() : ch.remoteProgress({ earlyMedia: true }));
  }

  #settle(fork: ForkResult): EndpointOriginateOutcome {
    const leg = this.#leg;
    if (!fork.ok) {
      const failure = forkFailure(fork.failures);
      this.#log.info({ status: failure.sipStatus, cause: failure.cause, branches: fork.failures.length }, 'outbound call failed');
      return { ok: false, cause: failure.cause, sipStatus: failure.sipStatus, reason: failure.reason };
    }
    const result = fork.result;
    leg.attach(result.dialog);
    const answered = leg.receiveAnswer(result.response.body.length > 0
      ? { body: result.response.body, contentType: result.response.headers.get('content-type') ?? SDP }
      : undefined);
    if (!answered && !leg.negotiated) {
      this.#log.info('no usable SDP answer in the 2xx: hanging up');
      void leg.bye('INCOMPATIBLE_DESTINATION', 88);
      return { ok: false, cause: 'INCOMPATIBLE_DESTINATION', sipStatus: 488, reason: 'no usable answer' };
    }
    if (this.#hungUp) {
      void leg.bye(this.#hungUp.cause, this.#hungUp.q850);
      return { ok: false, cause: this.#hungUp.cause };
    }
    return { ok: true };
  }

  async ring(): Promise<DriverResult> {
    return { ok: false, reason: 'an outbound leg does not ring its caller' };
  }

  async progress(): Promise<DriverResult> {
    return { ok: false, reason: 'an outbound leg sends no progress' };
  }

  async answer(): Promise<DriverResult> {
    return { ok: false, reason: 'an outbound leg is answered by the far end' };
  }

  async hangup(cause: HangupCause, options: DriverHangupOptions): Promise<void> {
    this.#hungUp ??= { cause, q850: options.q850 };
    if (this.#leg.dialog) {
      await this.#leg.bye(cause, options.q850, options.headers);
      return;
    }
    this.#cancelAll();
  }

  sendInfo(message: InfoMessage): Promise<DriverResult> {
    return this.#leg.sendInfo(message);
  }

  transfer(target: string, options?: TransferOptions): Promise<DriverResult> {
    return this.#leg.transfer(target, options);
  }

  hold(on: boolean): Promise<DriverResult> {
    return this.#leg.hold(on);
  }

  /** Media bypass with the bridged leg, or media back through the server (media-bypass.ts). */
  mediaPath(request: MediaPathRequest): Promise<DriverResult> {
    return changeMediaPath(this.#leg, request);
  }

  get sipLeg(): SipLeg {
    return this.#leg;
  }

  close(): void {
    this.#leg.close();
  }
}
