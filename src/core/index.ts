/**
 * The call core: channels (call legs) with their state machine, the switch with its registries,
 * originate, bridges, conferences, routing, admission control, hangup causes (Q.850 / SIP, RFC 3398),
 * the typed event bus and CDRs. Knows no protocol: endpoints implement ChannelDriver and Endpoint, the
 * media engine is adapted to ChannelMedia and ConferenceMedia.
 */
export { CoreError, OK, fail, type CoreErrorCode, type OpResult } from './core-error.ts';
export {
  DEFAULT_CAUSE_SIP_STATUS, HANGUP_CAUSES, causeCode, causeFromCode, causeToQ850, causeToSipStatus, isHangupCause,
  parseHangupCause, sipStatusToCause, sipStatusesOf, type HangupCause,
} from './hangup-cause.ts';
export {
  CHANNEL_STATES, assertTransition, canTransition, isEnded, isPreAnswer, type ChannelDirection, type ChannelState,
} from './channel-state.ts';
export { isDtmfDigit, type DtmfSource } from './dtmf-source.ts';
export type {
  AudioChunk, AudioStreamOptions, AudioTapOptions, MediaAudioStream, MediaAudioTap, ChannelMedia, ChannelMediaStats, ConferenceMedia, ConferenceMediaFactory, ConferenceMediaOptions, MediaDtmf, MediaLink,
  MediaPlayback, MediaPlayOptions, MediaRecording, MediaRecordOptions, PlaybackOutcome, PlaySource, RecordOutcome, RecordSink,
  RoomJoinOptions, RoomMembership, SendDtmfOptions,
} from './channel-media.ts';
export type { MediaOverlayTrack, MediaTrackPlayOptions } from './channel-media.ts';
export type { MediaPath } from './channel-media.ts';
export {
  callDriver, type AnswerOptions, type ChannelDriver, type DriverHangupOptions, type DriverResult, type InfoMessage,
  type InDialogRequest, type MediaPathRequest, type ProgressOptions, type RemoteTransfer, type RingOptions, type TransferOptions, type TransferProgress,
} from './channel-driver.ts';
export {
  EventBus, type BridgeEndReason, type BridgeSnapshot, type BusListener, type ChannelSnapshot, type ChannelTimes,
  type ConferenceEndReason, type ConferenceSnapshot, type MemberChange, type MemberLeaveReason, type MemberSnapshot, type Party,
  type RegistrationEndReason, type RegistrationSnapshot,
  type SwitchEvent, type SwitchEventName, type SwitchEvents,
} from './event-bus.ts';
export type { Playback, Recording } from './media-tracking.ts';
export type { PlayOptions, RecordOptions } from './channel-media-port.ts';
export { Channel, type ChannelContext, type ChannelEvents, type ChannelInit, type HangupOptions } from './channel.ts';
export { Bridge, type BridgeOptions } from './bridge.ts';
export { CallQueue, QueueTicket, type QueueLeaveReason, type QueueOutcome, type QueueSnapshot } from './queue.ts';
export { QueueRegistry } from './queue-registry.ts';
export { ConferenceMember, type MemberOptions } from './conference-member.ts';
export { Conference, type ConferenceOptions, type JoinResult } from './conference.ts';
export { AdmissionControl, type AdmissionDirection, type AdmissionOptions, type AdmissionResult, type PauseScope } from './admission.ts';
export type { Endpoint, EndpointOriginateOutcome, EndpointOriginateRequest, OutboundChannelInit } from './endpoint.ts';
export type { OriginateFailure, OriginateOptions, OriginateResult } from './originate.ts';
export type {
  RecordCallResult, RecordedParty, RecordingResult, RemoteRecording, RemoteRecordingEnd, RemoteRecordingRequest, RemoteRecordingState,
} from './remote-recording.ts';
export { compileDialPattern } from './dial-pattern.ts';
export { Router, type RouteContext, type RouteHandler, type RouteInput, type RouteMatch, type RouteRule } from './routing.ts';
export { CdrWriter, buildCdr } from './cdr.ts';
export {
  Switch, type BridgeResult, type JoinOptions, type RouteOutcome, type SwitchCounts, type SwitchOptions, type SwitchStats,
} from './switch.ts';
