/**
 * `whisper` command (specs/jambonz.md §1.6): `{whisper: verb or [say/play verbs]}` played to the dialed
 * party of the call's active dial only; the caller does not hear it. Unusable data, or a call with no
 * bridged dial, answers the app with `jambonz:error`.
 */
import type { CallSession } from '../call-session.ts';
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { asRecord, type VerbData } from '../verb-data.ts';
import type { CommandHandler } from './command.ts';

/** Validates whisper data: say/play verbs only. */
export function whisperVerbsOf(session: CallSession, value: unknown): { ok: true; verbs: VerbData[] } | { ok: false; error: string } {
  const list = Array.isArray(value) ? value : [value];
  const r = session.validate(list);
  if (!r.ok) return { ok: false, error: `whisper: ${r.error}` };
  if (r.verbs.length === 0 || r.verbs.some((v) => v.verb !== 'say' && v.verb !== 'play')) return { ok: false, error: 'whisper: only say and play verbs' };
  return r;
}

/** Whispers to the B leg of the session's active dial; false when none is bridged. */
export function whisperToDial(session: CallSession, verbs: readonly VerbData[]): boolean {
  return connectOf(session)?.dials.get(session.callSid)?.whisper?.(verbs) ?? false;
}

export const whisperCommand: CommandHandler = {
  name: 'whisper',
  exec(session, data) {
    const record = asRecord(data);
    const value = record && 'whisper' in record ? record['whisper'] : data;
    const parsed = whisperVerbsOf(session, value);
    if (!parsed.ok) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', parsed.error);
    if (!whisperToDial(session, parsed.verbs)) throw new RuntimeError('JAMBONZ_CALL_STATE', 'whisper: no dial is connected on this call');
  },
};
