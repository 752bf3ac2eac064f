/** `answer` (specs/jambonz.md §3.A): answers the call (200 OK); the endpoint precondition does the work. */
import type { VerbHandler } from './verb.ts';

export const answer: VerbHandler = {
  name: 'answer',
  precondition: 'endpoint',
  async exec(): Promise<void> {},
};
