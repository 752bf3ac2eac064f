/**
 * Codec registry: SDP encoding names (RFC 4566 section 6 rtpmap, matched case-insensitively as RFC
 * 4855 section 3 says media subtype names are) to factories, with the static payload types and clock
 * rates of RFC 3551 table 4 and the conventional dynamic ones.
 */
import type { Codec, CodecOptions } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { createPcma, createPcmu } from './g711-codec.ts';
import { createG722 } from './g722.ts';
import { L16_DYNAMIC_PAYLOAD_TYPE, createL16 } from './l16.ts';
import { OPUS_CLOCK_RATE, OPUS_DYNAMIC_PAYLOAD_TYPE, createOpus, isOpusAvailable } from './opus.ts';
import type { MediaCodec } from './telephone-event.ts';
import { TELEPHONE_EVENT_PAYLOAD_TYPE, createTelephoneEvent } from './telephone-event.ts';

export interface CodecDescriptor {
  /** Canonical SDP encoding name. */
  readonly name: string;
  readonly kind: 'audio' | 'event';
  /** Static payload type of RFC 3551, or the conventional dynamic one. */
  readonly defaultPayloadType: number;
  /** True when `defaultPayloadType` is static (RFC 3551 table 4). */
  readonly staticPayloadType: boolean;
  /** RTP clock rate written in the rtpmap. */
  readonly clockRate: number;
  /** Channel count written in the rtpmap ("opus/48000/2"); 1 when none is written. */
  readonly rtpmapChannels: number;
  /** False when the codec needs a module that is not installed. */
  available(): boolean;
  create(opts?: CodecOptions): MediaCodec;
}

const always = (): boolean => true;

/** The built-in formats: PCMU, PCMA, G722, L16, opus, telephone-event. */
export const BUILTIN_CODECS: readonly CodecDescriptor[] = [
  {
    name: 'PCMU',
    kind: 'audio',
    defaultPayloadType: 0,
    staticPayloadType: true,
    clockRate: 8000,
    rtpmapChannels: 1,
    available: always,
    create: createPcmu,
  },
  {
    name: 'PCMA',
    kind: 'audio',
    defaultPayloadType: 8,
    staticPayloadType: true,
    clockRate: 8000,
    rtpmapChannels: 1,
    available: always,
    create: createPcma,
  },
  {
    name: 'G722',
    kind: 'audio',
    defaultPayloadType: 9,
    staticPayloadType: true,
    clockRate: 8000,
    rtpmapChannels: 1,
    available: always,
    create: createG722,
  },
  {
    name: 'L16',
    kind: 'audio',
    defaultPayloadType: L16_DYNAMIC_PAYLOAD_TYPE,
    staticPayloadType: false,
    clockRate: 8000,
    rtpmapChannels: 1,
    available: always,
    create: createL16,
  },
  {
    name: 'opus',
    kind: 'audio',
    defaultPayloadType: OPUS_DYNAMIC_PAYLOAD_TYPE,
    staticPayloadType: false,
    clockRate: OPUS_CLOCK_RATE,
    rtpmapChannels: 2,
    available: isOpusAvailable,
    create: createOpus,
  },
  {
    name: 'telephone-event',
    kind: 'event',
    defaultPayloadType: TELEPHONE_EVENT_PAYLOAD_TYPE,
    staticPayloadType: false,
    clockRate: 8000,
    rtpmapChannels: 1,
    available: always,
    create: createTelephoneEvent,
  },
];

export class CodecRegistry {
  readonly #byName = new Map<string, CodecDescriptor>();

  constructor(descriptors: readonly CodecDescriptor[] = BUILTIN_CODECS) {
    for (const d of descriptors) this.register(d);
  }

  /** Adds or replaces a format under its (case-insensitive) name. */
  register(descriptor: CodecDescriptor): void {
    this.#byName.set(descriptor.name.toLowerCase(), descriptor);
  }

  /** The descriptor of an SDP encoding name, any case. */
  get(name: string): CodecDescriptor | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** Canonical names of the registered formats whose modules are installed. */
  names(): string[] {
    return [...this.#byName.values()].filter((d) => d.available()).map((d) => d.name);
  }

  /** A new instance of a format: an audio codec or the telephone-event descriptor. */
  createMediaCodec(name: string, opts?: CodecOptions): MediaCodec {
    const d = this.get(name);
    if (!d) throw new CodecError('MEDIA_CODEC_UNKNOWN', `no codec named "${name}"`);
    return d.create(opts);
  }

  /** A new audio codec instance; telephone-event is refused with MEDIA_CODEC_NOT_AUDIO. */
  createCodec(name: string, opts?: CodecOptions): Codec {
    const c = this.createMediaCodec(name, opts);
    if (c.kind !== 'audio') {
      c.close();
      throw new CodecError('MEDIA_CODEC_NOT_AUDIO', `"${name}" carries events, not audio`);
    }
    return c;
  }
}

const builtins = new CodecRegistry();

/** The descriptor of a built-in format by SDP encoding name, any case. */
export function findCodec(name: string): CodecDescriptor | undefined {
  return builtins.get(name);
}

/** A new built-in audio codec instance by SDP encoding name ("pcmu", "G722", "opus" ...). */
export function createCodec(name: string, opts?: CodecOptions): Codec {
  return builtins.createCodec(name, opts);
}

/** A new built-in format instance, including telephone-event. */
export function createMediaCodec(name: string, opts?: CodecOptions): MediaCodec {
  return builtins.createMediaCodec(name, opts);
}
