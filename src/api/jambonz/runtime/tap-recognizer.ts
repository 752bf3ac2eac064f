/**
 * Speech recognition for gather (specs/jambonz.md §2.4 `speech`): taps the far end's audio of the call
 * (core's ChannelMedia.tapAudio, on this thread or in a media worker) and streams it to a speech-to-text
 * provider such as the jambonz "custom" vendor client of the speech room; its partial and final results
 * come back as jambonz `speech` objects. Typed structurally, so the runtime does not depend on the
 * speech room; the composition root passes `new CustomSttProvider({url, apiKey})`.
 */
import type { Channel } from '../../../core/index.ts';
import { errorMessage, type Logger } from '../../../lib/index.ts';
import type { RecognitionListener, RecognitionStream, Recognizer, RecognizerSettings, SpeechResult } from './speech.ts';

/** Rate of the audio handed to the provider. */
export const RECOGNITION_SAMPLE_RATE = 16_000;

export interface SttResultLike {
  isFinal: boolean;
  alternatives: { transcript: string; confidence: number }[];
  language: string;
  vendor: string;
  raw?: unknown;
}

export interface SttSessionLike {
  write(pcm: Int16Array): void;
  on(event: 'partial' | 'final', listener: (result: SttResultLike) => void): () => void;
  on(event: 'error', listener: (err: Error) => void): () => void;
  close(): void;
}

export interface SttProviderLike {
  readonly vendor: string;
  start(options: { sampleRate: number; language?: string; interim?: boolean; hints?: string[]; singleUtterance?: boolean }): SttSessionLike;
}

export function speechResultOf(r: SttResultLike): SpeechResult {
  return {
    language_code: r.language, channel_tag: 1, is_final: r.isFinal, alternatives: r.alternatives.map((a) => ({ ...a })),
    vendor: { name: r.vendor, ...(r.raw === undefined ? {} : { evt: r.raw }) },
  };
}

const NOTHING: RecognitionStream = { close: () => {} };

/** A Recognizer over `provider`: one recognition session and one audio tap per gather. */
export function recognizerFrom(provider: SttProviderLike, log?: Logger): Recognizer {
  return {
    start(channel: Channel, settings: RecognizerSettings, listener: RecognitionListener): RecognitionStream {
      const fail = (message: string): RecognitionStream => {
        log?.warn({ callSid: channel.uuid, err: message }, 'speech recognition could not start');
        queueMicrotask(() => listener.error(message));
        return NOTHING;
      };
      const media = channel.media;
      if (!media?.tapAudio) return fail('the call has no audio to recognize');
      let session: SttSessionLike;
      try {
        session = provider.start({
          sampleRate: RECOGNITION_SAMPLE_RATE,
          ...(typeof settings.language === 'string' ? { language: settings.language } : {}),
          ...(settings.interim === true ? { interim: true } : {}),
          ...(Array.isArray(settings.hints) ? { hints: settings.hints.filter((h): h is string => typeof h === 'string') } : {}),
          ...(typeof settings['singleUtterance'] === 'boolean' ? { singleUtterance: settings['singleUtterance'] } : {}),
        });
      } catch (err) {
        return fail(errorMessage(err));
      }
      let closed = false;
      const offs = [
        session.on('partial', (r) => { if (!closed) listener.transcript(speechResultOf(r)); }),
        session.on('final', (r) => { if (!closed) listener.transcript(speechResultOf(r)); }),
        session.on('error', (err) => { if (!closed) listener.error(err.message); }),
      ];
      const tap = media.tapAudio({ direction: 'in', sampleRate: RECOGNITION_SAMPLE_RATE, chunkMs: 100 }, (chunk) => session.write(chunk.pcm));
      return {
        close(): void {
          if (closed) return;
          closed = true;
          for (const off of offs) off();
          tap.stop();
          session.close();
        },
      };
    },
  };
}
