/**
 * `dtmf` command (specs/jambonz.md §1.6, §8.5): `{dtmf: {digit, duration}}` or the SDKs' flat
 * `{digit, duration}` (250 ms by default); sends the digits to the caller.
 */
import { asNumber, asRecord, asString } from '../verb-data.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

export function dtmfOf(data: unknown): { digit: string; duration: number } | undefined {
  const outer = asRecord(data);
  const body = asRecord(outer?.['dtmf']) ?? outer;
  const digit = asString(body?.['digit']) ?? asString(body?.['dtmf']);
  if (!body || !digit || !/^[0-9A-Da-d*#]+$/.test(digit)) return undefined;
  return { digit, duration: asNumber(body['duration']) ?? 250 };
}

export const dtmfCommand: CommandHandler = {
  name: 'dtmf',
  async exec(session, data) {
    const d = dtmfOf(data);
    if (!d) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'dtmf: expected {digit, duration}');
    const r = await session.channel.sendDtmf(d.digit, { durationMs: d.duration });
    if (!r.ok) throw new RuntimeError('JAMBONZ_CALL_STATE', `dtmf: ${r.error.message}`);
  },
};
