/**
 * Processing the answer to our offer (RFC 3264 section 7), whether it came in a 2xx or, after a late
 * offer, in the ACK. The answer must have our m= lines in number, order and media type (section 6), the
 * accepted audio line must keep our transport protocol, and its formats must be a subset of those we
 * offered (6.1); payload type numbers may differ from ours (6.1 says SHOULD keep them), so formats are
 * matched by encoding, clock rate and channels. We send with the first codec in the answer (7: the
 * answerer may list several, and we may send any of them); the peer sends to us with our numbers.
 */
import { SdpError } from './sdp-error.ts';
import { codecOfPayload, formatKey, isTelephoneEvent } from './codec-catalog.ts';
import { chooseTelephoneEvent } from './choose-codec.ts';
import { directionFlags, directionOf } from './direction.ts';
import { type LocalMediaConfig, resolveLocalMedia } from './local-media.ts';
import { viewMedia } from './media-view.ts';
import { remoteAddress } from './negotiate.ts';
import type { AnswerResult, NegotiatedCodec, NegotiatedMedia, NegotiatedTelephoneEvent } from './negotiated-media.ts';
import type { RtpPayload, SdpSession } from './sdp-model.ts';

function mismatch(message: string): never {
  throw new SdpError('SDP_ANSWER_MISMATCH', `answer does not match the offer: ${message}`);
}

interface MatchedFormat {
  /** The answer's format, with the offered encoding filled in when the answer omitted rtpmap. */
  readonly answered: RtpPayload;
  readonly offered: RtpPayload;
}

function matchFormat(answered: RtpPayload, offered: readonly RtpPayload[]): MatchedFormat | undefined {
  const key = formatKey(answered);
  if (key !== undefined) {
    const same = offered.filter((o) => formatKey(o) === key);
    const found = same.find((o) => o.pt === answered.pt) ?? same[0];
    return found ? { answered, offered: found } : undefined;
  }
  const byNumber = offered.find((o) => o.pt === answered.pt);
  if (!byNumber) return undefined;
  const filled = { ...answered, encoding: byNumber.encoding, clockRate: byNumber.clockRate, channels: byNumber.channels };
  return { answered: filled, offered: byNumber };
}

function toCodec(m: MatchedFormat): NegotiatedCodec | undefined {
  const def = codecOfPayload(m.answered);
  const clockRate = m.answered.clockRate;
  if (!def || clockRate === undefined) return undefined;
  return {
    name: def.name, pt: m.answered.pt, receivePt: m.offered.pt, clockRate, sampleRate: def.sampleRate(clockRate),
    channels: def.channels, fmtp: m.answered.fmtp,
  };
}

/**
 * Checks the answer against our offer and extracts what was negotiated. Throws SdpError
 * SDP_ANSWER_MISMATCH when the answer breaks RFC 3264, SDP_STATE when the offer has no active audio
 * stream, SDP_CONFIG for unusable local settings. A declined audio stream is a result value.
 */
export function processAnswer(offer: SdpSession, answer: SdpSession, local: LocalMediaConfig): AnswerResult {
  const cfg = resolveLocalMedia(local);
  if (answer.media.length !== offer.media.length) {
    mismatch(`it has ${answer.media.length} m= line(s), the offer had ${offer.media.length}`);
  }
  offer.media.forEach((m, i) => {
    const type = answer.media[i]?.type ?? '';
    if (type.toLowerCase() !== m.type.toLowerCase()) mismatch(`m= line ${i + 1} is ${type}, the offer had ${m.type}`);
  });
  const index = offer.media.findIndex((m) => m.type.toLowerCase() === 'audio' && m.port !== 0);
  const offerView = viewMedia(offer, index);
  const answerView = viewMedia(answer, index);
  if (!offerView || !answerView) throw new SdpError('SDP_STATE', 'the offer has no active audio stream to answer');
  if (answerView.port === 0) return { ok: false, reason: 'the peer declined the audio stream (port 0)' };
  if (answerView.protocol.toLowerCase() !== offerView.protocol.toLowerCase()) {
    mismatch(`audio protocol ${answerView.protocol} differs from the offered ${offerView.protocol}`);
  }
  const matched: MatchedFormat[] = [];
  for (const answered of answerView.payloads) {
    const m = matchFormat(answered, offerView.payloads);
    if (!m) {
      const what = answered.encoding === undefined ? '' : ` (${answered.encoding}/${answered.clockRate ?? '?'})`;
      mismatch(`format ${answered.pt}${what} was not offered`);
    }
    matched.push(m);
  }
  const codecs: NegotiatedCodec[] = [];
  for (const m of matched) {
    const codec = toCodec(m);
    if (codec) codecs.push(codec);
  }
  const codec = codecs[0];
  if (!codec) return { ok: false, reason: 'the answer keeps no audio codec we can send' };
  const events = matched.filter((m) => isTelephoneEvent(m.answered));
  const te = cfg.telephoneEvent
    ? chooseTelephoneEvent(events.map((m) => m.answered), codec.clockRate, cfg.telephoneEventRateFallback)
    : undefined;
  const teOffered = events.find((m) => m.answered === te)?.offered;
  const telephoneEvent: NegotiatedTelephoneEvent | undefined =
    te?.clockRate && teOffered ? { pt: te.pt, receivePt: teOffered.pt, clockRate: te.clockRate, fmtp: te.fmtp } : undefined;
  const ours = directionFlags(offerView.direction);
  const theirs = directionFlags(answerView.effectiveDirection);
  const rtcpMux = offerView.rtcpMux && answerView.rtcpMux;
  const media: NegotiatedMedia = {
    index,
    protocol: offerView.protocol,
    codec,
    codecs,
    telephoneEvent,
    remote: remoteAddress(answerView, rtcpMux),
    rtcpMux,
    direction: directionOf({ send: ours.send && theirs.recv, recv: ours.recv && theirs.send }),
    ptime: answerView.ptime ?? offerView.ptime ?? cfg.ptime,
    localHold: offerView.hold,
    remoteHold: answerView.hold,
    remoteTransport: answerView.transport,
  };
  return { ok: true, media };
}
