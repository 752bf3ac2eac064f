/**
 * listen / stream audio sockets (specs/jambonz.md §3.C, the original's mod_audio_fork): the protocol,
 * the socket client, the player of audio coming back, one fork per running listen and the session
 * registry for `listen:status`.
 */
export { camelCase, dtmfFrame, metadataFrame, parseAppFrame, LISTEN_RATES, type AppFrame, type MixType } from './audio-protocol.ts';
export { AUDIO_SUBPROTOCOLS, AudioSocket } from './audio-socket.ts';
export { ListenFork, type ListenEnd, type ListenEndReason, type ListenStatus } from './listen-fork.ts';
export { listenOptionsOf, resolveListenUrl, type ListenOptions } from './listen-options.ts';
export { LISTEN_BEEP, listenOptionsFor, startFork } from './run-listen.ts';
export { isListenStatus, setListenStatus, stopBackgroundFork, trackFork } from './session-listens.ts';
export { PcmAssembler, downsample2x, pcmToBytes, readWavPcm, upsample2x } from './pcm.ts';
export { SocketPlayer, decodePlayAudio } from './socket-player.ts';
export { configListen, configRecord } from './config-features.ts';
export { mediaUpdate } from './media-updates.ts';
