/**
 * Public API of DTMF: digits and Q.23 frequencies, RFC 4733 telephone-event payloads with a sender
 * schedule and a receiver, in-band Goertzel detection, a tone synthesizer, and SIP INFO bodies.
 */
export type { DtmfDigit } from './digits.ts';
export {
  DTMF_COLUMN_FREQUENCIES,
  DTMF_DIGITS,
  DTMF_ROW_FREQUENCIES,
  FLASH_EVENT,
  digitToEvent,
  dtmfFrequencies,
  eventToDigit,
  keypadDigit,
  toDtmfDigit,
} from './digits.ts';
export type { DtmfErrorCode } from './dtmf-error.ts';
export { DtmfError } from './dtmf-error.ts';
export type { Rfc4733SenderOptions, TelephoneEvent, TelephoneEventPacket } from './rfc4733.ts';
export {
  MAX_SEGMENT_DURATION,
  Rfc4733Sender,
  TELEPHONE_EVENT_BYTES,
  createRfc4733Sender,
  decodeTelephoneEvent,
  encodeTelephoneEvent,
  toEventCode,
} from './rfc4733.ts';
export type {
  EventEnd,
  EventStart,
  ReceivedEvent,
  Rfc4733ReceiverOptions,
  TelephoneEventRtp,
} from './rfc4733-receiver.ts';
export { Rfc4733Receiver, createRfc4733Receiver } from './rfc4733-receiver.ts';
export type { DetectedDigit, DetectedDigitEnd, DtmfDetectorOptions } from './goertzel.ts';
export { DtmfDetector, createDtmfDetector, goertzelPower } from './goertzel.ts';
export type { DtmfSequenceOptions, DtmfToneOptions, ToneOptions } from './tone-generator.ts';
export {
  DBM0_PEAK,
  ToneGenerator,
  dbm0ToAmplitude,
  dtmfToneGenerator,
  generateDtmf,
  toneGenerator,
} from './tone-generator.ts';
export type { SipInfoDtmf } from './sip-info.ts';
export {
  DEFAULT_INFO_DURATION_MS,
  DTMF_CONTENT_TYPE,
  DTMF_RELAY_CONTENT_TYPE,
  buildDtmfBody,
  buildDtmfRelay,
  parseDtmfBody,
  parseDtmfRelay,
  parseSipInfoDtmf,
} from './sip-info.ts';
