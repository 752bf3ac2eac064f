/**
 * An inbound SIP call (RFC 3261 section 13.3, the UAS side of an INVITE) as a core Channel:
 *
 * - admission first: a refusal is 503 with Retry-After (RFC 3261 section 21.5.4) before anything is
 *   created; no free RTP port is 503 too (MEDIA_NO_PORT);
 * - the offer (RFC 3264 section 6) is answered at once: a malformed body or nothing acceptable is 488
 *   with a Warning (RFC 3261 section 20.43); an INVITE without SDP gets our offer in the 2xx and the
 *   answer comes in the ACK;
 * - the driver: ring -> 180, progress -> 183 with the answer (early media), answer -> 200 with the
 *   answer, hangup -> the cause's final status (with a Reason header, RFC 3326) before the 2xx, BYE
 *   after it; a CANCEL (or early BYE) from the caller ends the channel with ORIGINATOR_CANCEL.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import { DialogError, type IncomingInvite } from '../../sip/index.ts';
import { SdpError } from '../../sdp/index.ts';
import type {
  AnswerOptions, Channel, ChannelDriver, DriverHangupOptions, DriverResult, HangupCause, InfoMessage, ProgressOptions, TransferOptions,
  MediaPathRequest, RingOptions, Switch,
} from '../../core/index.ts';
import { destinationOf, inviteVariables, partyOf } from './party.ts';
import { SDP, SipLeg, isSdp, reasonHeader, type LegMediaSettings } from './sip-leg.ts';
import { changeMediaPath } from './media-bypass.ts';

export interface InboundDeps {
  sw: Switch;
  media: LegMediaSettings;
  log: Logger;
  /** The registered or authenticated user the call comes from, if any. */
  identify(invite: IncomingInvite): Promise<string | undefined>;
}

export class InboundCall implements ChannelDriver {
  readonly #invite: IncomingInvite;
  readonly #leg: SipLeg;
  readonly #log: Logger;
  /** The SDP we send in 183/200: our answer, or our offer for a late offer. */
  readonly #localSdp: string;
  readonly #lateOffer: boolean;

  private constructor(invite: IncomingInvite, leg: SipLeg, localSdp: string, lateOffer: boolean, log: Logger) {
    this.#invite = invite;
    this.#leg = leg;
    this.#localSdp = localSdp;
    this.#lateOffer = lateOffer;
    this.#log = log;
  }

  /** Takes a new INVITE through admission, media and offer/answer, then hands the channel to routing. */
  static async handle(invite: IncomingInvite, deps: InboundDeps): Promise<void> {
    const log = deps.log.child({ callId: invite.callId });
    const admitted = deps.sw.admit();
    if (!admitted.ok) {
      log.warn({ reason: admitted.reason }, 'call refused by admission control: 503');
      reject(invite, 503, 'Service Unavailable', { 'Retry-After': String(admitted.retryAfter) });
      return;
    }
    let user: string | undefined;
    try {
      user = await deps.identify(invite);
    } catch (err) {
      log.debug({ err: errorMessage(err) }, 'caller identification failed');
    }
    if (invite.state !== 'pending') return;
    const call = InboundCall.#prepare(invite, deps, log);
    if (!call) return;
    call.#start(deps, user);
  }

  static #prepare(invite: IncomingInvite, deps: InboundDeps, log: Logger): InboundCall | undefined {
    if (invite.offer && !isSdp(invite.offer)) {
      log.info({ contentType: invite.offer.contentType }, 'INVITE body is not SDP: 415');
      reject(invite, 415, 'Unsupported Media Type', { Accept: SDP });
      return undefined;
    }
    let leg: SipLeg;
    try {
      leg = new SipLeg(deps.media, log, undefined, deps.media.affinity?.(destinationOf(invite)));
    } catch (err) {
      log.error({ err: errorMessage(err), code: (err as { code?: unknown }).code }, 'no media for the call: 503');
      reject(invite, 503, 'Service Unavailable', { 'Retry-After': '5' });
      return undefined;
    }
    if (!invite.offer) return new InboundCall(invite, leg, leg.oa.createOffer().sdp, true, log);
    let result;
    try {
      result = leg.oa.receiveOffer(invite.offer.body.toString('utf8'));
    } catch (err) {
      log.info({ err: errorMessage(err), code: err instanceof SdpError ? err.code : undefined }, 'malformed SDP offer: 488');
      leg.close();
      reject(invite, 488, 'Not Acceptable Here', { Warning: '399 switchboard "Malformed SDP"' });
      return undefined;
    }
    if (!result.ok) {
      log.info({ reason: result.reason }, 'nothing acceptable in the offer: 488');
      leg.close();
      reject(invite, 488, 'Not Acceptable Here', { Warning: `${result.warning.code} switchboard "${result.warning.text}"` });
      return undefined;
    }
    if (!leg.apply(result.media)) {
      leg.close();
      reject(invite, 488, 'Not Acceptable Here', { Warning: '305 switchboard "Incompatible media format"' });
      return undefined;
    }
    return new InboundCall(invite, leg, result.sdp, false, log);
  }

  #start(deps: InboundDeps, user: string | undefined): void {
    const invite = this.#invite;
    const caller = partyOf(invite.from);
    const destination = destinationOf(invite);
    let channel: Channel;
    try {
      channel = deps.sw.createChannel({
        direction: 'inbound',
        endpoint: 'sip',
        name: `sip/${caller.number || 'anonymous'}@${invite.source.address}`,
        caller,
        callee: { ...partyOf(invite.to), number: destination },
        destination,
        ...(user === undefined ? {} : { user }),
        variables: inviteVariables(invite),
        driver: this,
        media: this.#leg.media,
      });
    } catch (err) {
      this.#log.warn({ err: errorMessage(err) }, 'channel not created: 503');
      this.#leg.close();
      reject(invite, 503, 'Service Unavailable');
      return;
    }
    this.#leg.setChannel(channel);
    invite.on('cancel', () => void channel.remoteHangup('ORIGINATOR_CANCEL', { sipStatus: 487 }));
    invite.on('failed', ({ error }) => {
      this.#log.info({ err: error.message }, 'INVITE failed after answer');
      void channel.remoteHangup('RECOVERY_ON_TIMER_EXPIRE');
    });
    invite.on('ack', ({ body }) => {
      if (this.#lateOffer && !this.#leg.receiveAnswer(body)) {
        this.#log.info('no usable answer in the ACK of a late offer');
        void channel.hangup('INCOMPATIBLE_DESTINATION');
      }
    });
    void deps.sw.route(channel);
  }

  async ring(options: RingOptions): Promise<DriverResult> {
    return this.#provisional(180, options.headers);
  }

  async progress(options: ProgressOptions): Promise<DriverResult> {
    // A late offer cannot be answered in an unreliable provisional: a 183 without SDP then.
    const withSdp = options.earlyMedia && !this.#lateOffer;
    return this.#provisional(183, options.headers, withSdp ? this.#localSdp : undefined);
  }

  async answer(options: AnswerOptions): Promise<DriverResult> {
    try {
      const dialog = await this.#invite.accept({
        body: this.#localSdp, contentType: SDP, ...(options.headers ? { headers: { ...options.headers } } : {}),
      });
      this.#leg.attach(dialog);
      return { ok: true };
    } catch (err) {
      const cancelled = err instanceof DialogError && err.code === 'SIP_DIALOG_CANCELLED';
      return { ok: false, reason: errorMessage(err), ...(cancelled ? { cause: 'ORIGINATOR_CANCEL' as HangupCause } : {}) };
    }
  }

  async hangup(cause: HangupCause, options: DriverHangupOptions): Promise<void> {
    const invite = this.#invite;
    const headers = { Reason: reasonHeader(cause, options.q850), ...options.headers };
    if (invite.state === 'pending' || invite.state === 'accepting') {
      reject(invite, options.sipStatus, options.reason, headers);
      return;
    }
    const dialog = invite.dialog;
    if (dialog && !this.#leg.dialog) this.#leg.attach(dialog);
    await this.#leg.bye(cause, options.q850, options.headers);
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

  async #provisional(status: number, headers?: Readonly<Record<string, string>>, sdp?: string): Promise<DriverResult> {
    if (this.#invite.state !== 'pending') return { ok: false, reason: `the INVITE is ${this.#invite.state}` };
    try {
      this.#invite.progress(status, {
        ...(sdp === undefined ? {} : { body: sdp, contentType: SDP }),
        ...(headers ? { headers: { ...headers } } : {}),
      });
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    }
  }
}

function reject(invite: IncomingInvite, status: number, reason?: string, headers?: Record<string, string>): void {
  try {
    invite.reject(status, reason, headers);
  } catch {
    // Already answered or cancelled: nothing left to send.
  }
}
