/**
 * `boostAudioSignal` values (specs/jambonz.md §1.6 command, §2.6 REST, §3.A `config` and `dial`): a gain
 * in dB on everything a leg hears (the original sends mod_dub `setGain` to the leg's endpoint, which
 * scales the audio written to the party). A value is a number or a string holding `<n> dB` such as
 * `"-6 dB"` / `"+3 dB"` (the original's parse-decibels: the figure truncated to an integer); 0 removes
 * the gain. Differences: a value that is not a gain (the original takes it as 0 dB) and a gain outside
 * -60..+30 dB are refused.
 */
import type { Channel } from '../../../core/index.ts';
import { errorMessage } from '../../../lib/index.ts';
import { RuntimeError } from './runtime-error.ts';
import type { VerbData } from './verb-data.ts';
import type { VerbServices } from './verbs/verb.ts';

/** The gains accepted, in dB (the media layer's range). */
export const BOOST_RANGE_DB = { min: -60, max: 30 } as const;

/** The gain in dB of a boostAudioSignal value, or undefined when it is not one. */
export function decibelsOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /([+-]?\d+(?:\.\d+)?)\s*db/i.exec(value);
  return m ? Math.trunc(Number.parseFloat(m[1]!)) : undefined;
}

/** The gain of a value, checked; throws RuntimeError JAMBONZ_COMMAND_INVALID. */
export function boostOf(value: unknown): number {
  const db = decibelsOf(value);
  if (db === undefined) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'boostAudioSignal must be a number or a string such as "-6 dB"');
  if (db < BOOST_RANGE_DB.min || db > BOOST_RANGE_DB.max) {
    throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `boostAudioSignal ${db} dB is outside ${BOOST_RANGE_DB.min}..+${BOOST_RANGE_DB.max} dB`);
  }
  return db;
}

/** Sets the gain of what `leg` hears; throws RuntimeError when the leg has no media that can do it. */
export function boostLeg(leg: Channel, db: number): void {
  if (leg.ended) throw new RuntimeError('JAMBONZ_CALL_STATE', 'boostAudioSignal: the call has ended');
  const media = leg.media;
  if (!media) throw new RuntimeError('JAMBONZ_CALL_STATE', 'boostAudioSignal: the call has no media yet');
  if (!media.setOutputGain) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'boostAudioSignal: this leg\'s media has no gain control');
  media.setOutputGain(db);
}

/**
 * A boostAudioSignal property of a verb (`config`, `dial`) applied to `leg`: an unusable value or a leg
 * that cannot take it is reported with a `jambonz:error` and a log line; the verb goes on.
 */
export function boostFromVerb(s: VerbServices, leg: Channel, value: unknown, verb: VerbData): void {
  try {
    const db = boostOf(value);
    boostLeg(leg, db);
    s.log.info({ leg: leg.uuid, db }, 'boostAudioSignal applied');
  } catch (err) {
    s.notifyError({ msg: 'boostAudioSignal failed', details: errorMessage(err) }, verb);
  }
}

/** `config.boostAudioSignal`: the call is answered first (the original's config then needs an endpoint). */
export function configBoost(s: VerbServices, value: unknown, verb: VerbData): void {
  void (async () => {
    if (!(await s.ensureMedia(false)) || s.channel.ended) return;
    boostFromVerb(s, s.channel, value, verb);
  })().catch((err: unknown) => s.log.warn({ err: errorMessage(err) }, 'boostAudioSignal failed'));
}
