/**
 * What the call core needs from a leg's media, and from a conference room, without depending on the
 * media engine's classes: the endpoint (or the composition root) adapts the media session of each leg
 * to ChannelMedia, and the conference mixer to ConferenceMedia. Sources and sinks are spec strings the
 * media layer resolves, in the forms FreeSWITCH playback/record and jambonz play accept: a file path,
 * an http(s) URL, `tone_stream://...`, `silence_stream://<ms>`.
 */
import type { CdrMediaStats } from '../store/index.ts';
import type { DtmfSource } from './dtmf-source.ts';

/** A playable source: file path, http(s) URL, tone_stream://, silence_stream://, or another registered scheme. */
export type PlaySource = string;

/** A recording destination: a file path (WAV), or another registered scheme. */
export type RecordSink = string;

export interface MediaPlayOptions {
  /** Times to play; 0 = until stopped (default 1). */
  loops?: number;
  /** Start offset in samples (FreeSWITCH `file@@<samples>`, jambonz seekOffset). */
  offsetSamples?: number;
}

export interface PlaybackOutcome {
  /** done: played to the end; stopped: stopped early (break, terminator, hangup); failed: could not play. */
  status: 'done' | 'stopped' | 'failed';
  /** Milliseconds actually played. */
  durationMs: number;
  /** Sample position where playback ended (FreeSWITCH playback_last_offset_pos). */
  offsetSamples?: number;
  /** The DTMF digit that stopped it, when a terminator did. */
  terminator?: string;
  /** Why it failed (file not found, bad URL). */
  error?: string;
}

/** A playback in progress; `done` never rejects. */
export interface MediaPlayback {
  readonly done: Promise<PlaybackOutcome>;
  stop(): void;
}

export interface MediaRecordOptions {
  /** Stop after this long (FreeSWITCH time limit, jambonz maxLength). */
  maxDurationMs?: number;
  /** Stop after this much silence once something was heard. */
  silenceTimeoutMs?: number;
  /** Mean absolute level under which audio counts as silence. */
  silenceThreshold?: number;
  /** Which audio: what the far end says (`in`), what it hears (`out`), or both mixed (default `in`). */
  direction?: 'in' | 'out' | 'both';
  /** Keep both directions on separate stereo channels (when direction is `both`). */
  stereo?: boolean;
}

export interface RecordOutcome {
  status: 'done' | 'stopped' | 'failed';
  /** Why it ended: limits reached, stopped by a call, a terminator digit or the leg going away. */
  reason?: 'max-duration' | 'silence' | 'stopped' | 'terminator' | 'hangup';
  durationMs: number;
  samples?: number;
  terminator?: string;
  error?: string;
}

/** Why a media operation is being stopped: by a call, or because the leg is going away. */
export type StopReason = 'stopped' | 'hangup';

/** A recording in progress; `done` never rejects. */
export interface MediaRecording {
  readonly done: Promise<RecordOutcome>;
  /** Ends the recording; its outcome's reason is `why` (default 'stopped'). */
  stop(why?: StopReason): void;
}

export interface MediaDtmf {
  digit: string;
  durationMs: number;
  source: DtmfSource;
}

export interface SendDtmfOptions {
  /** Tone length per digit (default chosen by the media layer, typically 100-250 ms). */
  durationMs?: number;
}

export interface AudioTapOptions {
  /** Whose audio: the far end's (`in`, default), what it hears (`out`), or both. */
  direction?: 'in' | 'out' | 'both';
  /** With `both`: two channels interleaved (left = in, right = out) instead of one mixed channel. */
  stereo?: boolean;
  /** Rate of the chunks (8000-48000; default the leg's codec rate). */
  sampleRate?: number;
  /** Chunk length (default 100 ms). */
  chunkMs?: number;
  /**
   * The receiver reads each chunk at once (sends or copies it), keeps no reference and never transfers its
   * buffer: chunks may then be views into a buffer shared with other taps' chunks, saving a copy per chunk.
   * Default false: every chunk has an ArrayBuffer of its own.
   */
  sharedChunks?: boolean;
}

/** Linear 16-bit PCM, interleaved when `channels` is 2. */
export interface AudioChunk {
  pcm: Int16Array;
  sampleRate: number;
  channels: 1 | 2;
}

/** A running tap; `done` settles (never rejects) when it stopped, by stop() or the leg going away. */
export interface MediaAudioTap {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly done: Promise<void>;
  stop(): void;
}

export interface AudioStreamOptions {
  /** Rate of the PCM that will be written (8000-48000); resampled to the leg's rate. */
  sampleRate: number;
  /** Audio collected before playing starts (absorbs arrival jitter; default 0). */
  prebufferMs?: number;
}

/**
 * Audio pushed into a call as it arrives (jambonz listen/stream `playAudio`, streaming TTS): played to
 * the far end in order, silence while nothing is queued. `done` settles once (never rejects): `done`
 * after end() and everything played, `stopped` after stop() or the leg going away.
 */
export interface MediaAudioStream {
  /** Queues linear 16-bit mono samples at the stream's rate. */
  write(pcm: Int16Array): void;
  /** No more audio: the stream ends when what is queued has played. */
  end(): void;
  /** Drops what is queued and stops at once. */
  stop(): void;
  readonly done: Promise<PlaybackOutcome>;
}

export interface MediaTrackPlayOptions {
  /** Times to play; 0 = until stopped (default 1). */
  loops?: number;
  /** Gain of the track in dB (default 0). */
  gainDb?: number;
}

/**
 * A named track of extra audio mixed into what the far end hears, over everything else it hears (the
 * other party, a conference, a prompt): jambonz `dub`. One source at a time per track.
 */
export interface MediaOverlayTrack {
  readonly name: string;
  /** Plays a source on the track, replacing what it played; `done` never rejects. */
  play(source: PlaySource, options?: MediaTrackPlayOptions): MediaPlayback;
  /** Stops what the track plays; the track stays. */
  silence(): void;
  /** Removes the track (what it plays stops); idempotent. */
  close(): void;
}

/** Two legs' media joined together; closing it unjoins them (each leg keeps its own media). */
export interface MediaLink {
  /** relay: RTP payloads copied as they are; transcode: decoded and re-encoded. */
  readonly mode?: 'relay' | 'transcode';
  /** Idempotent. */
  close(): void;
}

/**
 * Where a leg's audio flows: through the server (`anchored`, the default) or directly between the two
 * bridged parties (`bypassed`: the leg has no media here, ports went back to the pool).
 */
export type MediaPath = 'anchored' | 'bypassed';

/** Counters of a leg's media (a snapshot; read before close for the CDR): the CDR's own media record. */
export type ChannelMediaStats = CdrMediaStats;

/** One leg's media as the call core uses it. */
export interface ChannelMedia {
  /** The leg's audio rate in Hz (its codec's, e.g. 8000 for G.711), when known. */
  readonly sampleRate?: number;
  /** Plays a source to the far end (what was playing before keeps playing unless stopped). */
  play(source: PlaySource, options?: MediaPlayOptions): MediaPlayback;
  /** Stops every playback on this leg (FreeSWITCH uuid_break). */
  stopPlayback(): void;
  record(sink: RecordSink, options?: MediaRecordOptions): MediaRecording;
  /** Sends digits to the far end (RFC 4733, or the leg's configured DTMF method). */
  sendDtmf(digits: string, options?: SendDtmfOptions): Promise<void>;
  /** Digits received from the far end (RFC 4733 or in-band detection); returns an unsubscribe function. */
  onDtmf(listener: (dtmf: MediaDtmf) => void): () => void;
  /**
   * Hands the leg's audio out in chunks (jambonz listen/stream sockets, speech recognition), without
   * blocking the media path; chunks are the receiver's to keep (unless it asked for `sharedChunks`).
   */
  tapAudio?(options: AudioTapOptions, onAudio: (chunk: AudioChunk) => void): MediaAudioTap;
  /** Plays audio pushed as it comes (queued behind what is playing, like play()). */
  playStream?(options: AudioStreamOptions): MediaAudioStream;
  /**
   * Mutes (or unmutes) what the far end says: whoever hears this leg (a bridged leg, a conference,
   * recordings and audio taps) gets silence instead. Digits still pass.
   */
  setMuted?(on: boolean): void;
  /**
   * The gain of everything the far end hears but digits, in dB (-60..+30; 0 removes it): jambonz
   * `boostAudioSignal`. Throws on a gain out of range. Overlay tracks keep their own gain.
   */
  setOutputGain?(db: number): void;
  /** Adds a track of extra audio mixed into what the far end hears (a new track per call). */
  addTrack?(name: string): MediaOverlayTrack;
  /** Joins this leg's media with another's (each hears the other). */
  bridge(other: ChannelMedia): MediaLink;
  /** Sends the far end's audio straight back to it. */
  echo(on: boolean): void;
  /**
   * In-band (tone) DTMF detection of this leg (FreeSWITCH start_dtmf / stop_dtmf): `on`, `off`, or
   * `auto` (only when the far end did not negotiate RFC 4733; the default). Absent: not switchable.
   */
  setInbandDtmf?(mode: 'auto' | 'on' | 'off'): void;
  stats(): ChannelMediaStats;
  /**
   * Closes the media and resolves with its final counters, for media kept in another thread whose
   * counters arrive asynchronously (the CDR waits for them, boundedly). Absent: stats() then close().
   */
  closeWithStats?(): Promise<ChannelMediaStats>;
  /** Releases everything the media holds (running playbacks and recordings settle as stopped); idempotent. */
  close(): void;
}

export interface RoomJoinOptions {
  mute: boolean;
  deaf: boolean;
  inputGainDb: number;
  outputGainDb: number;
  /** Talk detection of this member started or stopped. */
  onTalk?: (talking: boolean) => void;
}

/** A leg's place in a conference room's mixer. */
export interface RoomMembership {
  setMute(on: boolean): void;
  setDeaf(on: boolean): void;
  setInputGainDb(db: number): void;
  setOutputGainDb(db: number): void;
  /**
   * Coaching (jambonz speakOnlyTo): only these members of the same room hear this leg (an empty list:
   * nobody); undefined: everyone again. Absent when the room cannot do it.
   */
  setAudience?(audience: readonly RoomMembership[] | undefined): void;
  /** Takes the leg out of the room; idempotent. */
  leave(): void;
}

/** A conference room's media: the mixer and what is played to or recorded from the whole room. */
export interface ConferenceMedia {
  join(media: ChannelMedia, options: RoomJoinOptions): RoomMembership;
  play(source: PlaySource, options?: MediaPlayOptions): MediaPlayback;
  record(sink: RecordSink, options?: MediaRecordOptions): MediaRecording;
  /** Removes every member and releases the mixer; idempotent. */
  close(): void;
}

export interface ConferenceMediaOptions {
  /** Mixer sample rate (default chosen by the media layer). */
  sampleRate?: number;
}

/** Creates the media of a conference room when the conference is created. */
export type ConferenceMediaFactory = (name: string, options: ConferenceMediaOptions) => ConferenceMedia;
