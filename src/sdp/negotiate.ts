/**
 * Answering a remote offer (RFC 3264 section 6): pure, from the parsed offer, our capabilities and our
 * hold state. The answer has the offer's m= lines in the same number and order; the first active
 * audio line with a protocol and codec we support is accepted with one codec (kept under the offerer's
 * payload type number, section 6.1) plus telephone-event (RFC 4733 section 7.1) at that codec's clock
 * rate; every other line is declined with port 0 and its format list. Direction follows section 6.1
 * combined with our hold state (section 8.4); ptime follows the offer when we can. When nothing is
 * acceptable the result is a 488 value with an RFC 3261 section 20.43 warning, not an exception.
 */
import { type CodecChoice, chooseCodec, choosePtime, chooseTelephoneEvent } from './choose-codec.ts';
import { answerDirection, localDirection } from './direction.ts';
import { type LocalMediaConfig, type ResolvedLocalMedia, resolveLocalMedia, supportsProtocol } from './local-media.ts';
import {
  audioSection, bundleGroups, codecPayload, localMediaTransport, localSession, rejectedSection,
  telephoneEventPayload,
} from './media-section.ts';
import { type MediaView, viewMedia } from './media-view.ts';
import type {
  AnswerOutcome, NegotiatedCodec, NegotiatedMedia, NegotiatedTelephoneEvent, NotAcceptable, RemoteMediaAddress,
} from './negotiated-media.ts';
import type { SdpMedia, SdpOrigin, SdpSession } from './sdp-model.ts';

export interface AnswerContext {
  /** Our o= line; the caller decides the version (see SdpOriginTracker). */
  readonly origin: SdpOrigin;
  /** We hold the call: answer sendonly (or inactive when the offerer holds too). */
  readonly hold?: boolean;
}

interface Accepted {
  readonly view: MediaView;
  readonly choice: CodecChoice;
}

function notAcceptable(code: 302 | 304 | 305, reason: string): NotAcceptable {
  const text = code === 302 ? 'Incompatible transport protocol' : code === 304 ? 'Media type not available' : 'Incompatible media format';
  return { ok: false, status: 488, warning: { code, text }, reason };
}

function findAudio(offer: SdpSession, local: ResolvedLocalMedia): Accepted | NotAcceptable {
  const protocols = new Set<string>();
  let sawSupportedProtocol = false;
  for (let i = 0; i < offer.media.length; i++) {
    const view = viewMedia(offer, i);
    if (!view || view.type.toLowerCase() !== 'audio' || view.port === 0 || !view.connection) continue;
    protocols.add(view.protocol);
    if (!supportsProtocol(local, view.protocol)) continue;
    sawSupportedProtocol = true;
    const choice = chooseCodec(view.payloads, local.prefs, local.policy);
    if (choice) return { view, choice };
  }
  if (protocols.size === 0) return notAcceptable(304, 'the offer has no active audio stream');
  if (!sawSupportedProtocol) {
    return notAcceptable(302, `audio over ${[...protocols].join(', ')} is not accepted (we accept ${local.protocols.join(', ')})`);
  }
  const ours = local.prefs.map((p) => (p.clockRate === undefined ? p.name : `${p.name}/${p.clockRate}`)).join(', ');
  return notAcceptable(305, `no offered audio codec is in our list (${ours})`);
}

/** Where to send RTP and RTCP for a stream (RFC 3605 a=rtcp, else port + 1; same port with rtcp-mux). */
export function remoteAddress(view: MediaView, rtcpMux: boolean): RemoteMediaAddress {
  const connection = view.connection ?? { family: 'IP4', address: '0.0.0.0' };
  const rtcpPort = rtcpMux ? view.port : view.rtcp?.port ?? view.port + 1;
  const rtcpAddress = rtcpMux ? connection.address : view.rtcp?.connection?.address ?? connection.address;
  return { family: connection.family, address: connection.address, port: view.port, rtcpAddress, rtcpPort };
}

/**
 * Builds the answer to a parsed offer. Throws only SdpError SDP_CONFIG for unusable local settings; an
 * unacceptable offer is a `{ ok: false, status: 488 }` result.
 */
export function negotiateAnswer(offer: SdpSession, local: LocalMediaConfig, context: AnswerContext): AnswerOutcome {
  const cfg = resolveLocalMedia(local);
  const found = findAudio(offer, cfg);
  if ('ok' in found) return found;
  const { view, choice } = found;
  const hold = context.hold ?? false;
  const direction = answerDirection(view.effectiveDirection, localDirection(hold, cfg.direction));
  const ptime = choosePtime(view.ptime, view.maxptime, cfg);
  const rtcpMux = view.rtcpMux && cfg.rtcpMux;
  const clockRate = choice.payload.clockRate ?? choice.def.defaultClockRate;
  const codec: NegotiatedCodec = {
    name: choice.def.name,
    pt: choice.payload.pt,
    receivePt: choice.payload.pt,
    clockRate,
    sampleRate: choice.def.sampleRate(clockRate),
    channels: choice.def.channels,
    fmtp: choice.payload.fmtp,
  };
  const te = cfg.telephoneEvent ? chooseTelephoneEvent(view.payloads, clockRate, cfg.telephoneEventRateFallback) : undefined;
  const telephoneEvent: NegotiatedTelephoneEvent | undefined = te?.clockRate
    ? { pt: te.pt, receivePt: te.pt, clockRate: te.clockRate, fmtp: te.fmtp }
    : undefined;
  const payloads = [codecPayload(codec.name, codec.pt, clockRate, choice.payload.fmtp ?? cfg.fmtp[codec.name])];
  if (telephoneEvent) {
    payloads.push(telephoneEventPayload(telephoneEvent.pt, telephoneEvent.clockRate, te?.fmtp ?? cfg.telephoneEvent?.events));
  }
  const mid = view.media.transport.mid;
  const media: SdpMedia[] = offer.media.map((m, i) =>
    i === view.index
      ? audioSection({
          protocol: view.protocol, port: cfg.port, payloads, ptime, direction, rtcpMux,
          transport: localMediaTransport(cfg.transport, mid),
        })
      : rejectedSection(m),
  );
  const answer = localSession({
    origin: context.origin,
    name: cfg.sessionName,
    connection: cfg.connection,
    groups: mid === undefined ? [] : bundleGroups(offer.groups, [mid]),
    iceLite: cfg.transport.iceLite,
    media,
  });
  const negotiated: NegotiatedMedia = {
    index: view.index,
    protocol: view.protocol,
    codec,
    codecs: [codec],
    telephoneEvent,
    remote: remoteAddress(view, rtcpMux),
    rtcpMux,
    direction,
    ptime,
    localHold: hold,
    remoteHold: view.hold,
    remoteTransport: view.transport,
  };
  return { ok: true, answer, media: negotiated };
}
