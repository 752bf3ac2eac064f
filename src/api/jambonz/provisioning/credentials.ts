/**
 * The default account: its sid, API key and webhook secret are created at first start and kept in
 * `<dataDir>/jambonz-account.json`, the way the demo SIP users keep their passwords. Values given in the
 * configuration (`--account-sid`, `--api-key`) win over the file without changing it. Shapes follow the
 * jambonz api-server (specs/jambonz.md §2.6): uuid sids, uuid API keys, `wh_secret_...` secrets.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { randomToken, uuid, type Logger } from '../../../lib/index.ts';
import { readJsonFile, writeJsonFileAtomic } from './json-file.ts';

export const ACCOUNT_FILE = 'jambonz-account.json';

export interface AccountCredentials {
  account_sid: string;
  api_key: string;
  webhook_secret: string;
  name: string;
}

const fileSchema = z.object({
  account_sid: z.string().uuid(),
  api_key: z.string().min(8),
  webhook_secret: z.string().min(8),
  name: z.string().min(1).default('default account'),
});

export interface CredentialOptions {
  dataDir: string;
  accountSid?: string | undefined;
  apiKey?: string | undefined;
  log: Logger;
}

export function newWebhookSecret(): string {
  return `wh_secret_${randomToken(22)}`;
}

/**
 * A new webhook secret for the account (api-server `GET /Accounts/:sid/WebhookSecret?regenerate=true`):
 * written to the account file (the rest of the file kept) and set on `credentials`. Throws when the file
 * cannot be written; the old secret then stays.
 */
export function regenerateWebhookSecret(dataDir: string, credentials: AccountCredentials): string {
  const secret = newWebhookSecret();
  const file = join(dataDir, ACCOUNT_FILE);
  const read = readJsonFile(file);
  const parsed = read.ok ? fileSchema.safeParse(read.value) : undefined;
  const stored = parsed?.success ? parsed.data : { account_sid: credentials.account_sid, api_key: credentials.api_key, name: credentials.name };
  writeJsonFileAtomic(file, { ...stored, webhook_secret: secret });
  credentials.webhook_secret = secret;
  return secret;
}

/** Reads (or creates) the account file and applies the configured overrides. */
export function loadCredentials(options: CredentialOptions): AccountCredentials {
  const file = join(options.dataDir, ACCOUNT_FILE);
  const read = readJsonFile(file);
  let stored: AccountCredentials | undefined;
  if (read.ok) {
    const parsed = fileSchema.safeParse(read.value);
    if (parsed.success) stored = parsed.data;
    else options.log.warn({ file, err: parsed.error.issues[0]?.message }, 'unusable jambonz account file; creating a new one');
  } else if (!read.missing) {
    options.log.warn({ file, err: read.error }, 'unreadable jambonz account file; creating a new one');
  }
  if (!stored) {
    stored = { account_sid: uuid(), api_key: uuid(), webhook_secret: newWebhookSecret(), name: 'default account' };
    writeJsonFileAtomic(file, stored);
  }
  return {
    ...stored,
    ...(options.accountSid === undefined ? {} : { account_sid: options.accountSid }),
    ...(options.apiKey === undefined ? {} : { api_key: options.apiKey }),
  };
}
