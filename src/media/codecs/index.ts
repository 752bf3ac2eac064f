/**
 * Public API of the codecs: the Codec contract, the built-in codecs (ITU-T G.711 PCMU/PCMA, L16 of
 * RFC 3551, ITU-T G.722, Opus through opusscript), the telephone-event format and the registry that
 * maps SDP names to them.
 */
export type { Codec, CodecOptions } from './codec.ts';
export { DEFAULT_PTIME } from './codec.ts';
export type { CodecErrorCode } from './codec-error.ts';
export { CodecError } from './codec-error.ts';
export { G711Codec, createPcma, createPcmu } from './g711-codec.ts';
export { ULAW_DECODE_TABLE, ULAW_ENCODE_TABLE, ulawCompress, ulawExpand } from './pcmu.ts';
export { ALAW_DECODE_TABLE, ALAW_ENCODE_TABLE, alawCompress, alawExpand } from './pcma.ts';
export { L16Codec, L16_DYNAMIC_PAYLOAD_TYPE, L16_SAMPLE_RATES, createL16, l16StaticPayloadType } from './l16.ts';
export { G722Codec, createG722 } from './g722.ts';
export {
  OPUS_CLOCK_RATE,
  OPUS_DYNAMIC_PAYLOAD_TYPE,
  OPUS_SAMPLE_RATES,
  OpusCodec,
  createOpus,
  isOpusAvailable,
  loadOpus,
} from './opus.ts';
export type { MediaCodec, TelephoneEventFormat } from './telephone-event.ts';
export {
  DEFAULT_TELEPHONE_EVENTS,
  TELEPHONE_EVENT_PAYLOAD_TYPE,
  createTelephoneEvent,
  parseEventList,
} from './telephone-event.ts';
export type { CodecDescriptor } from './registry.ts';
export { BUILTIN_CODECS, CodecRegistry, createCodec, createMediaCodec, findCodec } from './registry.ts';
