/**
 * The media half of one SIP call leg and what happens inside its dialog once established:
 *
 * - an RTP port pair from the pool (RFC 3550 section 11), a MediaSession on it, and the leg's RFC 3264
 *   offer/answer state; every completed exchange reconfigures the session (codec, payload types, ptime,
 *   direction, remote);
 * - in the dialog (RFC 3261 sections 12-15): a BYE ends the channel (NORMAL_CLEARING); a re-INVITE or
 *   UPDATE with an offer is answered (488 when nothing is acceptable, 491 on glare, RFC 3261 section
 *   14.2) and hold/unhold is reported to the channel (RFC 3264 section 8.4); a late-offer re-INVITE gets
 *   our offer and its answer comes in the ACK; INFO with application/dtmf-relay or application/dtmf
 *   (RFC 2976 / RFC 6086 usage) is a received digit;
 *   a REFER (RFC 3515) is offered to the channel's owner, who answers it later (202 and NOTIFY sipfrag);
 * - from the application: hold (a re-INVITE with sendonly), INFO, and BYE with a Reason header carrying
 *   the Q.850 cause (RFC 3326);
 * - media bypass (media-bypass.ts): while the leg's media flows directly to the bridged party, re-INVITEs
 *   and UPDATEs go to a relay instead of our offer/answer, INFO digits reach the channel directly, and
 *   reopenMedia() gives the leg fresh media (a new port pair and offer/answer state, same o= session).
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import { parseSipInfoDtmf, type MediaSession, type RemoteSession } from '../../media/index.ts';
import { SdpError, type LocalMediaConfig, type NegotiatedMedia, type OfferAnswer, type SdpOrigin } from '../../sdp/index.ts';
import type { Dialog, DialogTerminated, IncomingDialogRequest, IncomingRefer, IncomingSessionUpdate, SessionBody } from '../../sip/index.ts';
import type { Channel, ChannelMedia, DriverResult, HangupCause, InfoMessage, TransferOptions } from '../../core/index.ts';
import { openLegMedia, type LegMedia, type LegMediaSettings } from './leg-media.ts';
import { sessionConfigOf } from './media-config.ts';
import type { SessionChannelMedia } from './session-channel-media.ts';
import type { WorkerChannelMedia } from './worker-channel-media.ts';

export type { LegMediaSettings } from './leg-media.ts';

export const SDP = 'application/sdp';

export function isSdp(body: SessionBody): boolean {
  return body.contentType.split(';', 1)[0]!.trim().toLowerCase() === SDP;
}

/** A Reason header value (RFC 3326) for a Q.850 cause. */
export function reasonHeader(cause: HangupCause, q850: number): string {
  return `Q.850;cause=${q850};text="${cause}"`;
}

const END_CAUSES: Partial<Record<DialogTerminated['reason'], HangupCause>> = {
  bye: 'NORMAL_CLEARING',
  'no-ack': 'RECOVERY_ON_TIMER_EXPIRE',
  'session-timer': 'RECOVERY_ON_TIMER_EXPIRE',
  'request-failed': 'NORMAL_TEMPORARY_FAILURE',
  closed: 'SYSTEM_SHUTDOWN',
};

/** Takes the leg's session updates while its media is bypassed (media-bypass.ts). */
export interface SessionUpdateRelay {
  relay(ev: IncomingSessionUpdate): void;
}

export class SipLeg {
  readonly log: Logger;
  readonly #settings: LegMediaSettings;
  #m: LegMedia;
  #relay: SessionUpdateRelay | undefined;
  #channel: Channel | undefined;
  #dialog: Dialog | undefined;
  #offs: (() => void)[] = [];
  #negotiated = false;

  /**
   * Takes a port pair (throws MEDIA_NO_PORT when the pool is empty) and starts the session on it; with
   * media workers, in the worker of `near` (the leg this one will be bridged to), the one its affinity
   * key was placed on, or the least loaded one.
   */
  constructor(settings: LegMediaSettings, log: Logger, near?: ChannelMedia, affinity?: string) {
    this.log = log;
    this.#settings = settings;
    this.#m = openLegMedia(settings, log, near, affinity);
  }

  get oa(): OfferAnswer { return this.#m.oa; }
  /** Our capabilities, as the offer/answer state was built with. */
  get localMedia(): LocalMediaConfig { return this.#m.localMedia; }
  get session(): MediaSession | RemoteSession { return this.#m.session; }
  get media(): SessionChannelMedia | WorkerChannelMedia { return this.#m.media; }

  /** Whether the leg's media is bypassed (session updates go to the relay). */
  get bypassed(): boolean {
    return this.#relay !== undefined;
  }

  /** Sets (or, with undefined, removes) the relay of session updates while the media is bypassed. */
  setRelay(relay: SessionUpdateRelay | undefined): void {
    this.#relay = relay;
  }

  /**
   * Fresh media for a leg whose media was released (media bypass ending): a new port pair and session,
   * and a new offer/answer state continuing our o= session id from `origin`'s version. The previous
   * media is closed. Throws MEDIA_NO_PORT when the pool is empty.
   */
  reopenMedia(origin: Pick<SdpOrigin, 'sessionId' | 'sessionVersion'>, near?: ChannelMedia): void {
    const previous = this.#m.media;
    this.#m = openLegMedia(this.#settings, this.log, near, undefined, origin);
    previous.close();
  }

  get channel(): Channel | undefined {
    return this.#channel;
  }

  get dialog(): Dialog | undefined {
    return this.#dialog;
  }

  /** Whether an offer/answer exchange has completed. */
  get negotiated(): boolean {
    return this.#negotiated;
  }

  setChannel(channel: Channel): void {
    this.#channel = channel;
  }

  /** Applies a completed exchange to the session; false when the session refused it. */
  apply(media: NegotiatedMedia): boolean {
    this.#negotiated = true;
    if (this.session.closed) return false;
    try {
      this.session.configure(sessionConfigOf(media));
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'negotiated media could not be applied');
      return false;
    }
    this.#channel?.remoteHold(media.remoteHold);
    return true;
  }

  /** Processes the answer to our pending offer (a 2xx, or an ACK after a late offer); false when unusable. */
  receiveAnswer(body: SessionBody | undefined): boolean {
    if (!body || !isSdp(body)) {
      this.oa.rollback();
      return false;
    }
    try {
      const r = this.oa.receiveAnswer(body.body.toString('utf8'));
      if (!r.ok) {
        this.log.info({ reason: r.reason }, 'SDP answer declined our media');
        return false;
      }
      return this.apply(r.media);
    } catch (err) {
      this.log.info({ err: errorMessage(err) }, 'unusable SDP answer');
      this.oa.rollback();
      return false;
    }
  }

  /** Follows the established dialog; call once, after the 2xx. */
  attach(dialog: Dialog): void {
    if (this.#dialog) return;
    this.#dialog = dialog;
    this.#offs.push(
      dialog.on('terminated', (t) => this.#terminated(t)),
      dialog.on('reinvite', (ev) => this.#sessionUpdate(ev)),
      dialog.on('update', (ev) => this.#sessionUpdate(ev)),
      dialog.on('ack', (e) => {
        if (this.oa.state === 'have-local-offer' && e.body) this.receiveAnswer(e.body);
      }),
      dialog.on('request', (ev) => this.#request(ev)),
      dialog.on('refer', (ev) => this.#refer(ev)),
    );
    if (dialog.state === 'terminated' && dialog.ended) this.#terminated(dialog.ended);
  }

  async hold(on: boolean): Promise<DriverResult> {
    const dialog = this.#dialog;
    if (!dialog || dialog.state !== 'confirmed') return { ok: false, reason: 'no confirmed dialog' };
    if (this.#relay) return { ok: false, reason: 'the media is bypassed' };
    const before = this.oa.hold;
    let offer: string;
    try {
      this.oa.setHold(on);
      offer = this.oa.createOffer().sdp;
    } catch (err) {
      this.oa.setHold(before);
      return { ok: false, reason: errorMessage(err) };
    }
    try {
      const r = await dialog.reinvite({ body: offer, contentType: SDP });
      if (!r.ok) {
        this.oa.rollback();
        this.oa.setHold(before);
        return { ok: false, sipStatus: r.status, reason: r.reason };
      }
      return this.receiveAnswer(r.answer) ? { ok: true } : { ok: false, reason: 'unusable answer' };
    } catch (err) {
      this.oa.rollback();
      this.oa.setHold(before);
      return { ok: false, reason: errorMessage(err) };
    }
  }

  async sendInfo(message: InfoMessage): Promise<DriverResult> {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated') return { ok: false, reason: 'no dialog' };
    try {
      const res = await dialog.request(message.method ?? 'INFO', {
        body: message.body, contentType: message.contentType, ...(message.headers ? { headers: { ...message.headers } } : {}),
      });
      return res.status < 300 ? { ok: true } : { ok: false, sipStatus: res.status, reason: res.reason };
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    }
  }

  /**
   * Sends REFER (RFC 3515); resolves once the far end accepted (2xx) or refused it. The NOTIFY sipfrag
   * status lines that follow reach `options.onProgress`.
   */
  async transfer(target: string, options: TransferOptions = {}): Promise<DriverResult> {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated') return { ok: false, reason: 'no dialog' };
    try {
      const sub = dialog.refer(target);
      sub.on('progress', (p) => options.onProgress?.({ status: p.status, reason: p.reason, final: p.final }));
      return await new Promise<DriverResult>((resolve) => {
        sub.on('accepted', () => resolve({ ok: true }));
        void sub.done.then((o) => resolve(o.ok ? { ok: true } : { ok: false, sipStatus: o.status, reason: o.reason }));
      });
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    }
  }

  /** Sends BYE with the cause; resolves when answered (or at once when the dialog has ended). */
  async bye(cause: HangupCause, q850: number, headers?: Readonly<Record<string, string>>): Promise<void> {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated') return;
    try {
      await dialog.bye({ headers: { Reason: reasonHeader(cause, q850), ...headers } });
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, 'BYE not sent');
    }
  }

  close(): void {
    for (const off of this.#offs.splice(0)) off();
    this.media.close();
  }

  #terminated(t: DialogTerminated): void {
    const channel = this.#channel;
    if (!channel || channel.ended) return;
    if (t.reason === 'bye' && !t.remote) return;
    const cause = END_CAUSES[t.reason] ?? 'NORMAL_CLEARING';
    this.log.info({ reason: t.reason, remote: t.remote }, 'dialog ended');
    void channel.remoteHangup(cause);
  }

  #sessionUpdate(ev: IncomingSessionUpdate): void {
    if (this.#relay) {
      this.#relay.relay(ev);
      return;
    }
    if (!ev.offer) {
      if (!ev.isReinvite) return;
      // Late-offer re-INVITE: our offer in the 200, the answer in the ACK (RFC 3261 section 14.2).
      try {
        ev.accept({ body: this.oa.createOffer().sdp, contentType: SDP });
      } catch (err) {
        this.log.info({ err: errorMessage(err) }, 're-INVITE without offer refused');
        ev.reject(491);
      }
      return;
    }
    if (!isSdp(ev.offer)) {
      ev.reject(415, { headers: { Accept: SDP } });
      return;
    }
    let result;
    try {
      result = this.oa.receiveOffer(ev.offer.body.toString('utf8'));
    } catch (err) {
      const glare = err instanceof SdpError && err.code === 'SDP_STATE';
      this.log.info({ err: errorMessage(err) }, glare ? 'offer during our own offer: 491' : 'malformed SDP in re-INVITE: 488');
      ev.reject(glare ? 491 : 488);
      return;
    }
    if (!result.ok) {
      this.log.info({ reason: result.reason }, 'nothing acceptable in the re-offer: 488');
      ev.reject(488, { headers: { Warning: `${result.warning.code} switchboard "${result.warning.text}"` } });
      return;
    }
    ev.accept({ body: result.sdp, contentType: SDP });
    this.apply(result.media);
  }

  #request(ev: IncomingDialogRequest): void {
    if (ev.method !== 'INFO') {
      if (ev.method !== 'OPTIONS') this.#surface(ev);
      return;
    }
    const body = ev.body;
    if (!body) {
      this.#surface(ev);
      return;
    }
    const dtmf = parseSipInfoDtmf(body.contentType, body.body.toString('utf8'));
    if (!dtmf) {
      const type = body.contentType.split(';', 1)[0]!.trim().toLowerCase();
      if (type === 'application/dtmf-relay' || type === 'application/dtmf') {
        this.log.info({ contentType: body.contentType }, 'INFO DTMF body without a digit');
        ev.reply(400, { reason: 'Bad DTMF Body' });
        return;
      }
      this.#surface(ev);
      return;
    }
    if (dtmf.digit === 'flash' || this.session.closed) {
      // Media bypassed: no session to inject into, the digit goes to the channel directly.
      if (this.#relay && dtmf.digit !== 'flash') this.#channel?.dtmf(dtmf.digit, dtmf.durationMs ?? 100, 'info');
      ev.reply(200);
      return;
    }
    try {
      this.session.injectDtmf(dtmf.digit, dtmf.durationMs ?? 100);
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, 'INFO digit not taken');
    }
    ev.reply(200);
  }

  /** Hands an in-dialog request to the channel's owner; the dialog layer answers it (200 OK). */
  #surface(ev: IncomingDialogRequest): void {
    const channel = this.#channel;
    if (!channel) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of ev.request.headers.entries()) {
      if (!(name in headers)) headers[name] = value;
    }
    const body = ev.body;
    const respond = (status: number): void => {
      if (ev.state !== 'pending' || !Number.isInteger(status) || status < 200 || status > 699) return;
      ev.reply(status);
    };
    channel.remoteRequest({
      method: ev.method, body: body ? body.body.toString('utf8') : '', headers, ...(body ? { contentType: body.contentType } : {}), respond,
    });
  }

  /**
   * A REFER from the far end (RFC 3515) offered to the channel's owner: taken, it stays open (deferred)
   * until the owner accepts or rejects it; untaken, the dialog layer declines it.
   */
  #refer(ev: IncomingRefer): void {
    const channel = this.#channel;
    if (!channel) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of ev.request.headers.entries()) {
      if (!(name in headers)) headers[name] = value;
    }
    const userOf = (uri: { scheme: string; user?: string }): string => uri.user ?? '';
    const log = this.log;
    channel.remoteRefer({
      referTo: ev.request.headers.get('refer-to') ?? '',
      referToUser: userOf(ev.referTo.uri),
      ...(ev.referredBy ? { referredBy: ev.request.headers.get('referred-by') ?? '', referredByUser: userOf(ev.referredBy.uri) } : {}),
      headers,
      take: () => {
        ev.defer();
        return true;
      },
      accept: () => {
        if (ev.replied) return false;
        try {
          ev.accept();
          return true;
        } catch (err) {
          log.info({ err: errorMessage(err) }, 'REFER could not be accepted');
          return false;
        }
      },
      reject: (status) => {
        if (ev.replied) return;
        try { ev.reject(status >= 300 && status <= 699 ? status : 603); } catch (err) { log.info({ err: errorMessage(err) }, 'REFER could not be refused'); }
      },
      notify: async (status, reason) => {
        try {
          await ev.notify(status, reason);
        } catch (err) {
          log.info({ err: errorMessage(err), status }, 'REFER NOTIFY not sent');
        }
      },
    });
  }
}
