/**
 * The gain of what a party hears (jambonz `boostAudioSignal`, the original's mod_dub `setGain` on the
 * channel's written audio): every outgoing frame but a DTMF digit is scaled by it and saturated to
 * 16 bits, before overlay tracks (which keep their own gain) are mixed in. 0 dB is no gain at all: the
 * session then relays packets untouched again.
 */
import { gainFactor } from './overlay-mix.ts';
import { MediaSessionError } from './session-error.ts';

/** dB of the quietest and loudest output gain accepted. */
export const OUTPUT_GAIN_RANGE_DB = { min: -60, max: 30 } as const;

/** The linear factor of an output gain in dB (1 for 0 dB); throws MEDIA_SESSION_CONFIG out of range. */
export function outputGainFactor(db: number): number {
  if (!(Number.isFinite(db) && db >= OUTPUT_GAIN_RANGE_DB.min && db <= OUTPUT_GAIN_RANGE_DB.max)) {
    throw new MediaSessionError('MEDIA_SESSION_CONFIG', `output gain ${db} dB is out of range`);
  }
  return db === 0 ? 1 : gainFactor(db);
}

/** Scales `frame` in place by `factor`, saturating to 16 bits. */
export function applyGain(frame: Int16Array, factor: number): void {
  for (let i = 0; i < frame.length; i++) {
    const v = Math.round(frame[i]! * factor);
    frame[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
