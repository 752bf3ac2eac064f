/**
 * Public API of the per-leg media engine (RFC 3550 RTP, RFC 4733 DTMF, RFC 3264 directions):
 * MediaSession (one per call leg: RTP in and out over an RtpTransportPort, playback, recording, taps,
 * DTMF by RFC 4733 / in-band / SIP INFO, echo, talk detection, statistics), bridges between two legs
 * (relay without decoding, or transcoding), forks (one direction of a leg sent out by another session),
 * conference rooms and mixer membership, the UDP transport
 * port, and the plain-data command and event messages of a host that owns sessions for another thread.
 *
 * Threading model. Everything here runs on one thread's media clock: a TickScheduler per MediaClock
 * runs, each tick, every session's receive phase, every mixer's mix, then every session's send phase.
 * Nothing calls back into the owner per packet or per tick; results are low-frequency events whose
 * payloads are plain data.
 *
 * Moving media into worker threads. A worker owns a PortPool, its own media clock (threadMediaClock()
 * is per thread) and a MediaCommandHost (media-commands.ts). The owner (the call core) keeps only ids
 * and posts MediaCommand messages, all plain data:
 *   - ids chosen by the owner (session, bridge, room, playback, recording, tap, member), so a command
 *     never waits on a reply to be addressed later and events can be matched to what asked for them;
 *   - sources and sinks as spec strings ("tone_stream://...", a file or URL, a recording path) that
 *     the worker opens with the factories given to the host (media/sources openSource(), a WavRecorder);
 *   - configuration as the negotiated data of MediaSessionConfig; 'session.open' replies with the local
 *     RTP address and port for the SDP.
 * The worker answers each command with a MediaReply ({ seq, ok, result } or { seq, ok: false, code,
 * message }) and posts MediaEventMessage values ({ kind: 'session' | 'room', id, event, payload }, the
 * payloads of session-events.ts and conference-room.ts unchanged). Legs that are bridged or in one
 * conference must live in the same worker (a relay bridge forwards packets inside one thread), so the
 * owner places a call's legs, or a conference's members, on one worker. A WebRTC leg is another
 * RtpTransportPort implementation handed to MediaSession; nothing above the port changes.
 */
export type { MediaSessionErrorCode } from './session-error.ts';
export { MediaSessionError } from './session-error.ts';
export type { RtpPacketHandler, RtpTransportPort, RtpTransportStats } from './rtp-transport.ts';
export type { UdpRtpTransportOptions } from './udp-rtp-transport.ts';
export { UdpRtpTransport } from './udp-rtp-transport.ts';
export type { MediaDirection, MediaSessionConfig, SessionCodecConfig } from './session-config.ts';
export { parseFmtp, relayCompatible, resolveConfig } from './session-config.ts';
export type { FeedStopped, MediaSessionEvents, MediaSessionStats } from './session-events.ts';
export type { SessionMode } from './session-link.ts';
export type { PlayOptions, PlaybackStopReason } from './player.ts';
export type { FeedStopReason } from './feed-set.ts';
export type { DtmfSendOptions } from './dtmf-sender.ts';
export type { DtmfSignal, DtmfSource } from './dtmf-inbound.ts';
export type { JitterBufferSettings } from './receive-path.ts';
export type { MediaSessionOptions, RecordOptions } from './session-options.ts';
export { MediaSession } from './media-session.ts';
export type { BridgeMode, BridgeOptions } from './media-bridge.ts';
export { MediaBridge, bridgeSessions } from './media-bridge.ts';
export type { ForkDirection, ForkOptions } from './session-fork.ts';
export { SessionFork, forkSession } from './session-fork.ts';
export type { JoinMixerOptions } from './mixer-link.ts';
export { MixerLink, joinMixer } from './mixer-link.ts';
export type { ConferenceRoomEvents, ConferenceRoomOptions } from './conference-room.ts';
export { ConferenceRoom } from './conference-room.ts';
export { TickScheduler, type TickWorkStats } from './tick-scheduler.ts';
export type { MediaCommand, MediaCommandHostOptions, MediaEventMessage, MediaReply, SessionOpened, SessionSettings } from './media-commands.ts';
export { MediaCommandHost } from './media-commands.ts';
export type { OverlayPlayOptions } from './overlay-mix.ts';
export { OverlayMix, OVERLAY_GAIN_RANGE_DB } from './overlay-mix.ts';
