/**
 * An outbound SIP call (RFC 3261 section 13.2, the UAC side of an INVITE) for core's originate: the
 * INVITE carries our offer (RFC 3264 section 5); a 180 is ringing; a 183 with SDP is early media (the
 * preliminary answer configures the session, RFC 3261 section 13.2.1); the 2xx answer completes the
 * exchange and the leg follows its dialog; a final failure becomes the cause of its status (RFC 3398
 * through core's table). An abort from the switch, or a local hangup before the answer, sends CANCEL
 * (section 9.1); a hangup after the answer sends BYE with a Reason header (RFC 3326).
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { Destination, InviteResult, OutgoingInvite, ProvisionalEvent, SipStack } from '../../sip/index.ts';
import { parseSdp, processAnswer } from '../../sdp/index.ts';
import {
  sipStatusToCause, type ChannelDriver, type DriverHangupOptions, type DriverResult, type EndpointOriginateOutcome,
  type EndpointOriginateRequest, type HangupCause, type InfoMessage,
} from '../../core/index.ts';
import { SDP, SipLeg, isSdp, type LegMediaSettings } from './sip-leg.ts';

export interface OutboundTarget {
  /** Request-URI. */
  uri: string;
  /** To header (default: the Request-URI). */
  to?: string;
  /** Where to send (a registered contact's flow); default: resolved from the URI. */
  destination?: Destination;
  /** Channel name. */
  name: string;
  calleeNumber: string;
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

export class OutboundCall implements ChannelDriver {
  readonly #leg: SipLeg;
  readonly #log: Logger;
  #invite: OutgoingInvite | undefined;
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
      leg = new SipLeg(deps.media, log);
    } catch (err) {
      log.error({ err: errorMessage(err), code: (err as { code?: unknown }).code }, 'no media for the outbound call');
      return { ok: false, cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 503, reason: 'MEDIA_NO_PORT' };
    }
    const call = new OutboundCall(leg, log);
    return call.#run(target, request, deps);
  }

  async #run(target: OutboundTarget, request: EndpointOriginateRequest, deps: OutboundDeps): Promise<EndpointOriginateOutcome> {
    const leg = this.#leg;
    const channel = request.createChannel(this, { name: target.name, callee: { number: target.calleeNumber, uri: target.uri } });
    channel.attachMedia(leg.media);
    leg.setChannel(channel);
    const offer = leg.oa.createOffer();
    const caller = request.callerId;
    const from = `${caller.name ? `${quoted(caller.name)} ` : ''}<sip:${caller.number || 'switchboard'}@${deps.fromHost}>`;
    let invite: OutgoingInvite;
    try {
      invite = deps.sip.invite({
        uri: target.uri,
        from,
        ...(target.to === undefined ? {} : { to: target.to }),
        ...(target.destination ? { destination: target.destination } : {}),
        body: offer.sdp,
        contentType: SDP,
        headers: { ...request.headers },
        timeout: request.timeoutMs,
      });
    } catch (err) {
      this.#log.warn({ err: errorMessage(err), uri: target.uri }, 'INVITE not sent');
      return { ok: false, cause: 'INVALID_URL', reason: errorMessage(err) };
    }
    this.#invite = invite;
    const onAbort = (): void => invite.cancel();
    request.signal.addEventListener('abort', onAbort, { once: true });
    if (request.signal.aborted || this.#hungUp) invite.cancel();
    invite.on('progress', (ev) => this.#progress(ev, request.earlyMedia));
    let result: InviteResult;
    try {
      result = await invite.result;
    } finally {
      request.signal.removeEventListener('abort', onAbort);
    }
    return this.#settle(result);
  }

  #progress(ev: ProvisionalEvent, earlyMedia: boolean): void {
    const leg = this.#leg;
    const channel = leg.media.session.closed ? undefined : this.#channelReady();
    if (!channel) return;
    if (ev.status === 180 || (ev.status === 183 && (!ev.body || !earlyMedia))) {
      channel('ringing');
      return;
    }
    if (ev.status !== 183 || !ev.body || !isSdp(ev.body)) return;
    const pending = leg.oa.pendingOffer;
    if (!pending) return;
    try {
      const preview = processAnswer(pending, parseSdp(ev.body.body.toString('utf8')), leg.localMedia);
      if (preview.ok && leg.apply(preview.media)) channel('early');
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

  #settle(result: InviteResult): EndpointOriginateOutcome {
    const leg = this.#leg;
    if (!result.ok) {
      const cause: HangupCause = result.cause === 'cancelled' ? 'ORIGINATOR_CANCEL'
        : result.cause === 'no-answer' ? 'NO_ANSWER'
          : result.cause === 'transport' ? 'NETWORK_OUT_OF_ORDER'
            : sipStatusToCause(result.status);
      this.#log.info({ status: result.status, cause }, 'outbound call failed');
      return { ok: false, cause, sipStatus: result.status, reason: result.reason };
    }
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
    this.#invite?.cancel();
  }

  sendInfo(message: InfoMessage): Promise<DriverResult> {
    return this.#leg.sendInfo(message);
  }

  hold(on: boolean): Promise<DriverResult> {
    return this.#leg.hold(on);
  }

  close(): void {
    this.#leg.close();
  }
}
