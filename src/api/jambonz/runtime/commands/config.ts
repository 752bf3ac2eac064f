/** `config` command (specs/jambonz.md §1.6): applies config verb properties at once. */
import { asRecord } from '../verb-data.ts';
import { applyConfig } from '../verbs/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

export const configCommand: CommandHandler = {
  name: 'config',
  exec(session, data) {
    const props = asRecord(data);
    if (!props) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'config: data must be an object');
    applyConfig(session, { ...props, verb: 'config' });
  },
};
