/**
 * The SIP endpoint (RFC 3261 dialogs, RFC 3264 offer/answer, RFC 4733 and RFC 2976 INFO DTMF): SIP call
 * legs as core channels, and the media engine's sessions and conference rooms as core's ChannelMedia and
 * ConferenceMedia.
 */
export { SipEndpoint, type SipEndpointOptions } from './sip-endpoint.ts';
export { conferenceMediaFactory, type ConferenceMediaDeps } from './conference-media.ts';
export { SessionChannelMedia } from './session-channel-media.ts';
export { DEFAULT_SIP_CODECS } from './media-config.ts';
export { parseSipTarget, type SipTarget } from './sip-target.ts';
export { workerConferenceMediaFactory } from './worker-conference-media.ts';
export { WorkerChannelMedia } from './worker-channel-media.ts';
export { registerCarriers, type CarrierRegistrations, type RegisteredCarrier } from './carrier-registrations.ts';
