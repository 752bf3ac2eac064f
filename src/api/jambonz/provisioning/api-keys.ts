/**
 * API keys made over REST (api-server `lib/routes/api/api-keys.js`, specs/jambonz.md §2.6): `POST
 * /ApiKeys` makes a uuid token for the account (201 `{sid, token}`), `DELETE /ApiKeys/:sid` removes one.
 * They are kept in `<dataDir>/jambonz-api-keys.json` (written atomically) and let requests in beside the
 * account's main key (from the account file or the configuration), which cannot be removed here.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { uuid, type Logger } from '../../../lib/index.ts';
import { readJsonFile, writeJsonFileAtomic } from './json-file.ts';

export const API_KEYS_FILE = 'jambonz-api-keys.json';

export interface StoredApiKey {
  api_key_sid: string;
  token: string;
  account_sid: string;
  created_at: string;
}

const fileSchema = z.array(z.object({
  api_key_sid: z.string().min(1),
  token: z.string().min(8),
  account_sid: z.string().min(1),
  created_at: z.string(),
}));

export class ApiKeyStore {
  readonly file: string;
  readonly #keys = new Map<string, StoredApiKey>();
  readonly #now: () => number;

  constructor(options: { dataDir: string; log: Logger; now?: () => number }) {
    this.file = join(options.dataDir, API_KEYS_FILE);
    this.#now = options.now ?? Date.now;
    const read = readJsonFile(this.file);
    if (!read.ok) {
      if (!read.missing) options.log.warn({ file: this.file, err: read.error }, 'unreadable API keys file; starting without its keys');
      return;
    }
    const parsed = fileSchema.safeParse(read.value);
    if (!parsed.success) {
      options.log.warn({ file: this.file, err: parsed.error.issues[0]?.message }, 'unusable API keys file; starting without its keys');
      return;
    }
    for (const k of parsed.data) this.#keys.set(k.api_key_sid, k);
  }

  /** The keys of `accountSid`, oldest first. */
  list(accountSid: string): StoredApiKey[] {
    return [...this.#keys.values()].filter((k) => k.account_sid === accountSid);
  }

  /** Every token (the bearer guard's list). */
  tokens(): string[] {
    return [...this.#keys.values()].map((k) => k.token);
  }

  /** A new key for the account, persisted; throws JAMBONZ_STORE_WRITE (nothing kept) when the file cannot be written. */
  create(accountSid: string): StoredApiKey {
    const key: StoredApiKey = { api_key_sid: uuid(), token: uuid(), account_sid: accountSid, created_at: new Date(this.#now()).toISOString() };
    this.#keys.set(key.api_key_sid, key);
    try {
      this.#persist();
    } catch (err) {
      this.#keys.delete(key.api_key_sid);
      throw err;
    }
    return key;
  }

  /** Removes a key of the account; false when there is none by that sid. Throws JAMBONZ_STORE_WRITE (the key kept). */
  delete(accountSid: string, sid: string): boolean {
    const key = this.#keys.get(sid);
    if (!key || key.account_sid !== accountSid) return false;
    this.#keys.delete(sid);
    try {
      this.#persist();
    } catch (err) {
      this.#keys.set(sid, key);
      throw err;
    }
    return true;
  }

  #persist(): void {
    writeJsonFileAtomic(this.file, [...this.#keys.values()]);
  }
}
