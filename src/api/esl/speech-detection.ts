/**
 * Speech detection on a leg for `detect_speech` / `play_and_detect_speech` (specs/esl.md §6, §4.4
 * DETECTED_SPEECH): the caller's audio (core's ChannelMedia.tapAudio, 16 kHz) streams to the server's
 * speech-to-text provider (the same one the jambonz runtime uses, e.g. a "custom" vendor server), and
 * its results come back as DETECTED_SPEECH events with the channel block: `Speech-Type:
 * begin-speaking` (voice activity, or the first result), `detected-partial-speech` and
 * `detected-speech` (the NLSML result in the body, nlsml.ts), and `closed` when detection stops
 * (stop or hangup). `pause` stops feeding audio, `resume` feeds it again (a new recognition when the
 * provider ended the previous one). Typed structurally, so this room does not depend on the speech
 * room; the composition root passes the provider. One detector per leg; idempotent close().
 */
import type { Channel, MediaAudioTap } from '../../core/index.ts';
import { errorMessage, type Logger } from '../../lib/index.ts';
import { channelHeaders } from './channel-headers.ts';
import type { EventHub } from './event-hub.ts';
import { nlsmlResult } from './nlsml.ts';

/** Rate of the audio handed to the provider. */
export const DETECT_SPEECH_SAMPLE_RATE = 16_000;

export interface SpeechResultLike {
  isFinal: boolean;
  alternatives: { transcript: string; confidence: number }[];
}

export interface SpeechSessionLike {
  write(pcm: Int16Array): void;
  on(event: 'partial' | 'final', listener: (result: SpeechResultLike) => void): () => void;
  on(event: 'speechStart', listener: (e: { atMs: number }) => void): () => void;
  on(event: 'error', listener: (err: Error) => void): () => void;
  on(event: 'end', listener: (e: { reason: string }) => void): () => void;
  close(): void;
}

/** The server's speech-to-text (structurally the speech room's SttProvider). */
export interface SpeechRecognizerLike {
  readonly vendor: string;
  start(options: { sampleRate: number; language?: string; interim?: boolean; singleUtterance?: boolean }): SpeechSessionLike;
}

export interface DetectRequest {
  engine: string;
  grammar: string;
  /** Stop after the first result (play_and_detect_speech). */
  single?: boolean;
}

/** A detected-speech result: the NLSML body and the best transcript. */
export interface DetectedSpeech {
  body: string;
  transcript: string;
}

/** What a waiting app hears from the leg's detection. */
export type DetectListener = (type: 'begin-speaking' | 'detected-speech', result?: DetectedSpeech) => void;

export type DetectStart = { ok: true } | { ok: false; reason: string };

class Detection {
  readonly channel: Channel;
  readonly request: DetectRequest;
  paused = false;
  #session: SpeechSessionLike | undefined;
  #tap: MediaAudioTap | undefined;
  #offs: (() => void)[] = [];
  #spoke = false;
  #closed = false;
  readonly #listeners = new Set<DetectListener>();
  readonly #owner: SpeechDetection;

  constructor(owner: SpeechDetection, channel: Channel, request: DetectRequest) {
    this.#owner = owner;
    this.channel = channel;
    this.request = request;
  }

  /** Opens a recognition session and the audio tap; throws when either cannot start. */
  open(recognizer: SpeechRecognizerLike): void {
    const media = this.channel.media;
    if (!media?.tapAudio) throw new Error('the call has no audio to recognize');
    const language = this.channel.getVariable('speech_language') ?? this.channel.getVariable('default_language');
    const session = recognizer.start({
      sampleRate: DETECT_SPEECH_SAMPLE_RATE, interim: true, singleUtterance: this.request.single === true,
      ...(language ? { language } : {}),
    });
    this.#session = session;
    this.#spoke = false;
    this.#offs = [
      session.on('speechStart', () => this.#beginSpeaking()),
      session.on('partial', (r) => this.#partial(r)),
      session.on('final', (r) => this.#final(r)),
      session.on('error', (err) => this.channel.log.warn({ err: err.message }, 'detect_speech: recognition error')),
      session.on('end', () => this.#sessionEnded()),
    ];
    this.#tap = media.tapAudio({ direction: 'in', sampleRate: DETECT_SPEECH_SAMPLE_RATE, chunkMs: 100 }, (chunk) => {
      if (!this.paused) this.#session?.write(chunk.pcm);
    });
  }

  get running(): boolean { return this.#session !== undefined; }

  listen(listener: DetectListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(fireClosed: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopSession();
    this.#listeners.clear();
    if (fireClosed) this.#owner.fire(this.channel, 'closed');
  }

  #stopSession(): void {
    for (const off of this.#offs.splice(0)) off();
    this.#tap?.stop();
    this.#tap = undefined;
    const s = this.#session;
    this.#session = undefined;
    s?.close();
  }

  #sessionEnded(): void {
    // The provider ended this recognition (single utterance, its own timeout): resume opens another.
    if (!this.#closed) this.#stopSession();
  }

  #beginSpeaking(): void {
    if (this.#spoke || this.#closed) return;
    this.#spoke = true;
    this.#owner.fire(this.channel, 'begin-speaking');
    for (const l of [...this.#listeners]) l('begin-speaking');
  }

  #partial(r: SpeechResultLike): void {
    if (this.#closed || this.paused) return;
    this.#beginSpeaking();
    this.#owner.fire(this.channel, 'detected-partial-speech', nlsmlResult(this.request.grammar, r.alternatives));
  }

  #final(r: SpeechResultLike): void {
    if (this.#closed) return;
    this.#beginSpeaking();
    this.#spoke = false;
    const body = nlsmlResult(this.request.grammar, r.alternatives);
    this.#owner.fire(this.channel, 'detected-speech', body);
    const result: DetectedSpeech = { body, transcript: r.alternatives[0]?.transcript ?? '' };
    for (const l of [...this.#listeners]) l('detected-speech', result);
  }
}

export class SpeechDetection {
  readonly #recognizer: SpeechRecognizerLike | undefined;
  readonly #hub: EventHub;
  readonly #log: Logger;
  readonly #byChannel = new Map<string, Detection>();

  constructor(recognizer: SpeechRecognizerLike | undefined, hub: EventHub, log: Logger) {
    this.#recognizer = recognizer;
    this.#hub = hub;
    this.#log = log;
  }

  get available(): boolean { return this.#recognizer !== undefined; }

  /** Starts detection on the leg (a running one is replaced, without a `closed` event). */
  start(channel: Channel, request: DetectRequest): DetectStart {
    const recognizer = this.#recognizer;
    if (!recognizer) return { ok: false, reason: 'no speech recognizer configured' };
    if (channel.ended) return { ok: false, reason: 'channel gone' };
    this.#byChannel.get(channel.uuid)?.close(false);
    const d = new Detection(this, channel, request);
    try {
      d.open(recognizer);
    } catch (err) {
      d.close(false);
      this.#log.warn({ uuid: channel.uuid, err: errorMessage(err) }, 'detect_speech: recognition could not start');
      return { ok: false, reason: errorMessage(err) };
    }
    this.#byChannel.set(channel.uuid, d);
    const off = channel.on('hangup', () => {
      off();
      if (this.#byChannel.get(channel.uuid) === d) this.#byChannel.delete(channel.uuid);
      d.close(true);
    });
    return { ok: true };
  }

  /** The leg's detection, if any. */
  has(uuid: string): boolean { return this.#byChannel.has(uuid); }

  pause(uuid: string): boolean {
    const d = this.#byChannel.get(uuid);
    if (!d) return false;
    d.paused = true;
    return true;
  }

  resume(uuid: string): boolean {
    const d = this.#byChannel.get(uuid);
    if (!d) return false;
    d.paused = false;
    if (!d.running && this.#recognizer) {
      try {
        d.open(this.#recognizer);
      } catch (err) {
        this.#log.warn({ uuid, err: errorMessage(err) }, 'detect_speech: recognition could not resume');
        return false;
      }
    }
    return true;
  }

  /** Stops the leg's detection and fires `closed`; false when there was none. */
  stop(uuid: string): boolean {
    const d = this.#byChannel.get(uuid);
    if (!d) return false;
    this.#byChannel.delete(uuid);
    d.close(true);
    return true;
  }

  /** Calls `listener` at begin-speaking and with each detected-speech result of the leg's detection. */
  listen(uuid: string, listener: DetectListener): () => void {
    return this.#byChannel.get(uuid)?.listen(listener) ?? (() => {});
  }

  /** Fires DETECTED_SPEECH for the leg. */
  fire(channel: Channel, type: string, body?: string): void {
    this.#hub.fire({
      name: 'DETECTED_SPEECH', origin: ['switchboard', 'speech_thread', 0],
      headers: [['Speech-Type', type], ...channelHeaders(channel.snapshot(), { extended: true })],
      ...(body === undefined ? {} : { body }),
    });
  }

  close(): void {
    for (const d of this.#byChannel.values()) d.close(false);
    this.#byChannel.clear();
  }
}
