/**
 * `dub` command and REST `dub` (specs/jambonz.md §1.6, §2.6): the dub verb's properties applied to the
 * call at once, whatever verb runs (verbs/dub-tracks.ts). Unusable data, an unknown track or a call
 * without media answers the app with `jambonz:error` (400 / 422 over REST).
 */
import { RuntimeError } from '../runtime-error.ts';
import { asRecord } from '../verb-data.ts';
import { applyDub, dubRequestOf } from '../verbs/index.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { CommandHandler } from './command.ts';

/** Applies dub `data` (the properties, or `{dub: {...}}`) to the session; throws RuntimeError. */
export async function applyDubData(session: VerbServices, data: unknown): Promise<void> {
  const record = asRecord(data);
  const props = record && asRecord(record['dub']) && record['action'] === undefined ? record['dub'] : data;
  const parsed = dubRequestOf(props);
  if (!parsed.ok) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', parsed.error);
  await applyDub(session, parsed.request, { ...(asRecord(props) ?? {}), verb: 'dub' });
}

export const dubCommand: CommandHandler = {
  name: 'dub',
  exec: (session, data) => applyDubData(session, data),
};
