/**
 * The `<recordingSid>.json` description next to a recording (specs/jambonz.md §1.6 `record`, §3.A
 * conference `record`; recording-catalog.ts reads it). Writes go out one after the other, so the last
 * state written is the one on disk; a failed write is logged and never rejects.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type Logger } from '../../../../lib/index.ts';

export class RecordingMetaFile {
  readonly path: string;
  readonly #log: Logger;
  #chain: Promise<void> = Promise.resolve();

  /** The description of recording `sid` in the folder `dir`. */
  constructor(dir: string, sid: string, log: Logger) {
    this.path = join(dir, `${sid}.json`);
    this.#log = log;
  }

  /** Writes `meta` as it is now, after the writes before it; resolves when written (or failed). */
  write(meta: object): Promise<void> {
    const text = JSON.stringify(meta, null, 2);
    this.#chain = this.#chain.then(() => writeFile(this.path, text)).catch((err: unknown) => {
      this.#log.warn({ err: errorMessage(err), path: this.path }, 'recording metadata not written');
    });
    return this.#chain;
  }
}
