/**
 * `tag` command (specs/jambonz.md §1.6, §8.5; handled here though the original ignores it): the object
 * (or its `data` member, as some SDKs wrap it) replaces customerData.
 */
import { asRecord } from '../verb-data.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { CommandHandler } from './command.ts';

export const tagCommand: CommandHandler = {
  name: 'tag',
  exec(session, data) {
    const obj = asRecord(data);
    if (!obj) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'tag: data must be an object');
    const inner = Object.keys(obj).length === 1 ? asRecord(obj['data']) : undefined;
    session.setCustomerData(inner ?? obj);
  },
};
