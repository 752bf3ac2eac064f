/**
 * SIPREC (RFC 7866) recording sessions opened by the SIP endpoint as the Session Recording Client: the
 * multipart INVITE body (SDP with two send-only labelled streams, RFC 7865 rs-metadata), the state of a
 * recording session, and the two forked media streams.
 */
export { DEFAULT_SIPREC_TIMEOUT_MS, SiprecRecording, startSiprec, type SiprecDeps, type SiprecErrorCode } from './siprec-recording.ts';
export { buildSiprecBody } from './siprec-body.ts';
export { RS_METADATA_TYPE, buildMetadata, escapeXml, metadataId, type MetadataInit } from './siprec-metadata.ts';
export { buildOffer, readAnswer, type AnswerOutcome, type AnsweredStream, type OfferInit } from './siprec-sdp.ts';
export { isFinal, nextState, type SiprecEvent } from './siprec-state.ts';
