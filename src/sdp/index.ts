/**
 * SDP offer/answer (RFC 3264) on top of sdp-transform: the session description model and its parser
 * and writer (RFC 8866, formerly RFC 4566), codecs (RFC 3551), telephone-event (RFC 4733), a=rtcp
 * (RFC 3605), answering offers, building offers and re-offers, processing answers, and the per-leg
 * offer/answer state.
 */
export { SdpError, type SdpErrorCode } from './sdp-error.ts';
export {
  type SdpSession, type SdpMedia, type SdpOrigin, type SdpConnection, type SdpDirection, type AddressFamily,
  type SdpAttribute, type RtpPayload, type SdpRtcp, type SdpTransportAttributes, SDP_DIRECTIONS, isSdpDirection,
  emptyTransport, isRtpProtocol,
} from './sdp-model.ts';
export { parseSdp } from './parse-sdp.ts';
export { MAX_SDP_LENGTH } from './sdp-lines.ts';
export { writeSdp } from './write-sdp.ts';
export {
  type CodecName, type CodecDefinition, CODECS, TELEPHONE_EVENT, codecByName, codecOfPayload, staticFormat,
  isTelephoneEvent,
} from './codec-catalog.ts';
export { type CodecPreference, parseCodecPreference, parseCodecPreferences } from './codec-preferences.ts';
export {
  type DirectionFlags, directionFlags, directionOf, answerDirection, offerDirection, reverseDirection,
  isHoldDirection,
} from './direction.ts';
export { type MediaView, viewMedia, audioStreams } from './media-view.ts';
export {
  type LocalMediaConfig, type LocalTelephoneEvent, type CodecPolicy, type ResolvedLocalMedia, DEFAULT_PROTOCOLS,
  DEFAULT_PTIMES, DEFAULT_TELEPHONE_EVENT_PT, DEFAULT_TELEPHONE_EVENTS, resolveLocalMedia,
} from './local-media.ts';
export type {
  NegotiatedMedia, NegotiatedCodec, NegotiatedTelephoneEvent, RemoteMediaAddress, SdpWarning, NotAcceptable,
  AnswerOutcome, AnswerRejected, AnswerResult,
} from './negotiated-media.ts';
export { type AnswerContext, negotiateAnswer } from './negotiate.ts';
export { type OfferContext, buildOffer } from './build-offer.ts';
export { processAnswer } from './process-answer.ts';
export { type StampedSdp, newSessionId, nextVersion, stampVersion } from './sdp-origin.ts';
export {
  OfferAnswer, type OfferAnswerOptions, type OfferAnswerState, type ReceiveOfferResult, type CreateOfferResult,
  type ReceiveAnswerResult,
} from './offer-answer.ts';
