/**
 * The provisioning store: the default account, applications and phone numbers, from the config file
 * (read-only over REST) and from the REST API (kept in `<dataDir>/jambonz-provisioning.json`, written
 * atomically after every change, reloaded at start). It is the AppCatalog the runtime reads, and it
 * emits `changed` so routing can follow. Rules follow the jambonz api-server (specs/jambonz.md §2.6):
 * an application in use by a phone number cannot be deleted (422), a number is unique (422).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { TypedEmitter, uuid, type Logger } from '../../../lib/index.ts';
import type { JambonzApplicationConfig, JambonzConfig } from '../../../config/index.ts';
import type { AppCatalog, JambonzAccount } from '../contract.ts';
import type { AccountCredentials } from './credentials.ts';
import { readJsonFile, writeJsonFileAtomic } from './json-file.ts';
import { JambonzPlatformError } from './platform-error.ts';
import {
  applicationProblem, applyApplicationChanges, normalizeNumber, parseApplicationChanges, type ApplicationChanges,
  type PhoneNumberChanges, type ResourceSource, type StoredApplication, type StoredPhoneNumber,
} from './resources.ts';

export const PROVISIONING_FILE = 'jambonz-provisioning.json';

/** A refused change, with the status the REST API answers. */
export type StoreResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 422; message: string };

export interface ProvisioningStoreOptions {
  dataDir: string;
  credentials: AccountCredentials;
  config?: Pick<JambonzConfig, 'applications' | 'phoneNumbers'>;
  log: Logger;
}

export interface ProvisioningEvents {
  changed: { what: 'applications' | 'phoneNumbers' };
  [key: string]: unknown;
}

interface Entry<T> {
  value: T;
  source: ResourceSource;
}

const fileSchema = z.object({
  applications: z.array(z.record(z.unknown())).default([]),
  phone_numbers: z.array(z.record(z.unknown())).default([]),
});

/** A stable uuid for a config application without one, so references survive restarts. */
export function nameBasedSid(name: string): string {
  const h = createHash('sha1').update(`switchboard/jambonz/application/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

function fail<T>(status: 400 | 404 | 422, message: string): StoreResult<T> {
  return { ok: false, status, message };
}

export class ProvisioningStore implements AppCatalog {
  readonly file: string;
  readonly events: TypedEmitter<ProvisioningEvents>;
  readonly #account: JambonzAccount;
  readonly #log: Logger;
  readonly #apps = new Map<string, Entry<StoredApplication>>();
  readonly #numbers = new Map<string, Entry<StoredPhoneNumber>>();

  constructor(options: ProvisioningStoreOptions) {
    this.#log = options.log;
    this.events = new TypedEmitter((err, event) => this.#log.error({ err, event }, 'provisioning listener failed'));
    this.file = join(options.dataDir, PROVISIONING_FILE);
    const c = options.credentials;
    this.#account = { account_sid: c.account_sid, name: c.name, webhook_secret: c.webhook_secret };
    for (const app of options.config?.applications ?? []) this.#addConfigApplication(app);
    for (const n of options.config?.phoneNumbers ?? []) this.#addConfigNumber(n.number, n.application);
    this.#loadFile();
  }

  // AppCatalog

  account(accountSid: string): JambonzAccount | undefined {
    return accountSid === this.#account.account_sid ? this.#account : undefined;
  }

  application(applicationSid: string): StoredApplication | undefined {
    return this.#apps.get(applicationSid)?.value;
  }

  defaultAccount(): JambonzAccount {
    return this.#account;
  }

  /** A regenerated webhook secret: calls routed from now on sign their webhooks with it. */
  setWebhookSecret(secret: string): void {
    this.#account.webhook_secret = secret;
  }

  /** An application by sid, or by name when no sid matches. */
  resolveApplication(ref: string): StoredApplication | undefined {
    return this.application(ref) ?? [...this.#apps.values()].find((e) => e.value.name === ref)?.value;
  }

  // Applications

  applications(): StoredApplication[] {
    return [...this.#apps.values()].map((e) => e.value);
  }

  createApplication(changes: ApplicationChanges): StoreResult<StoredApplication> {
    if (changes.name === undefined || changes.name === null) return fail(400, `missing required field: 'name'`);
    const app = applyApplicationChanges({ application_sid: uuid(), account_sid: this.#account.account_sid, name: changes.name }, changes);
    const problem = applicationProblem(app);
    if (problem) return fail(400, problem);
    this.#apps.set(app.application_sid, { value: app, source: 'rest' });
    this.#persist('applications', () => this.#apps.delete(app.application_sid));
    return { ok: true, value: app };
  }

  updateApplication(sid: string, changes: ApplicationChanges): StoreResult<StoredApplication> {
    const entry = this.#apps.get(sid);
    if (!entry) return fail(404, 'application not found');
    if (entry.source === 'config') return fail(422, 'application is defined in the configuration file and cannot be changed over the API');
    if (changes.name === null) return fail(400, `'name' may not be removed`);
    const app = applyApplicationChanges(entry.value, changes);
    const problem = applicationProblem(app);
    if (problem) return fail(400, problem);
    const previous = entry.value;
    entry.value = app;
    this.#persist('applications', () => { entry.value = previous; });
    return { ok: true, value: app };
  }

  deleteApplication(sid: string): StoreResult<void> {
    const entry = this.#apps.get(sid);
    if (!entry) return fail(404, 'application not found');
    if (entry.source === 'config') return fail(422, 'application is defined in the configuration file and cannot be deleted over the API');
    if ([...this.#numbers.values()].some((n) => n.value.application_sid === sid)) return fail(422, 'cannot delete application with phone numbers');
    this.#apps.delete(sid);
    this.#persist('applications', () => this.#apps.set(sid, entry));
    return { ok: true, value: undefined };
  }

  // Phone numbers

  phoneNumbers(): StoredPhoneNumber[] {
    return [...this.#numbers.values()].map((e) => e.value).sort((a, b) => a.number.localeCompare(b.number));
  }

  phoneNumber(sid: string): StoredPhoneNumber | undefined {
    return this.#numbers.get(sid)?.value;
  }

  /** The number entry for a called number, matched with and without a leading '+'. */
  lookupNumber(called: string): StoredPhoneNumber | undefined {
    const digits = called.startsWith('+') ? called.slice(1) : called;
    return [...this.#numbers.values()].find((e) => e.value.number === digits)?.value;
  }

  createPhoneNumber(input: PhoneNumberChanges & { number: string }): StoreResult<StoredPhoneNumber> {
    if (this.lookupNumber(input.number)) return fail(422, `phone number ${input.number} already exists`);
    const bad = this.#checkApplication(input.application_sid);
    if (bad) return bad;
    const n: StoredPhoneNumber = { phone_number_sid: uuid(), number: input.number, account_sid: this.#account.account_sid };
    if (input.application_sid) n.application_sid = input.application_sid;
    if (input.voip_carrier_sid) n.voip_carrier_sid = input.voip_carrier_sid;
    this.#numbers.set(n.phone_number_sid, { value: n, source: 'rest' });
    this.#persist('phoneNumbers', () => this.#numbers.delete(n.phone_number_sid));
    return { ok: true, value: n };
  }

  updatePhoneNumber(sid: string, changes: PhoneNumberChanges): StoreResult<StoredPhoneNumber> {
    const entry = this.#numbers.get(sid);
    if (!entry) return fail(404, 'phone number not found');
    if (entry.source === 'config') return fail(422, 'phone number is defined in the configuration file and cannot be changed over the API');
    const bad = this.#checkApplication(changes.application_sid);
    if (bad) return bad;
    const next = { ...entry.value };
    if (changes.application_sid === null) delete next.application_sid;
    else if (changes.application_sid !== undefined) next.application_sid = changes.application_sid;
    const previous = entry.value;
    entry.value = next;
    this.#persist('phoneNumbers', () => { entry.value = previous; });
    return { ok: true, value: next };
  }

  deletePhoneNumber(sid: string): StoreResult<void> {
    const entry = this.#numbers.get(sid);
    if (!entry) return fail(404, 'phone number not found');
    if (entry.source === 'config') return fail(422, 'phone number is defined in the configuration file and cannot be deleted over the API');
    this.#numbers.delete(sid);
    this.#persist('phoneNumbers', () => this.#numbers.set(sid, entry));
    return { ok: true, value: undefined };
  }

  #checkApplication(sid: string | null | undefined): StoreResult<never> | undefined {
    if (sid === null || sid === undefined || this.#apps.has(sid)) return undefined;
    return fail(400, `application_sid not found ${sid}`);
  }

  // Loading and saving

  #addConfigApplication(raw: JambonzApplicationConfig): void {
    const parsed = parseApplicationChanges(raw);
    const where = `jambonz.applications "${raw.name}"`;
    if (!parsed.ok) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: ${parsed.message}`);
    const sid = raw.application_sid ?? nameBasedSid(raw.name);
    if (this.#apps.has(sid) || this.applications().some((a) => a.name === raw.name)) {
      throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: duplicate application name or sid`);
    }
    const app = applyApplicationChanges({ application_sid: sid, account_sid: this.#account.account_sid, name: raw.name }, parsed.value);
    const problem = applicationProblem(app);
    if (problem) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: ${problem}`);
    this.#apps.set(sid, { value: app, source: 'config' });
  }

  #addConfigNumber(number: string, appRef: string): void {
    const where = `jambonz.phoneNumbers "${number}"`;
    const digits = normalizeNumber(number);
    if (!digits.ok) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: ${digits.message}`);
    const app = this.resolveApplication(appRef);
    if (!app) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: no application "${appRef}"`);
    if (this.lookupNumber(digits.value)) throw new JambonzPlatformError('JAMBONZ_PROVISIONING_INVALID', `${where}: listed twice`);
    const sid = nameBasedSid(`number:${digits.value}`);
    this.#numbers.set(sid, {
      value: { phone_number_sid: sid, number: digits.value, account_sid: this.#account.account_sid, application_sid: app.application_sid },
      source: 'config',
    });
  }

  #loadFile(): void {
    const read = readJsonFile(this.file);
    if (!read.ok) {
      if (!read.missing) this.#log.error({ file: this.file, err: read.error }, 'unreadable provisioning file; starting without its entries');
      return;
    }
    const parsed = fileSchema.safeParse(read.value);
    if (!parsed.success) {
      this.#log.error({ file: this.file }, 'provisioning file has an unexpected shape; starting without its entries');
      return;
    }
    for (const raw of parsed.data.applications) {
      const sid = raw['application_sid'];
      const changes = parseApplicationChanges(raw);
      if (typeof sid !== 'string' || !changes.ok || typeof changes.value.name !== 'string' || this.#apps.has(sid)) {
        this.#log.warn({ file: this.file, sid }, 'skipping a stored application');
        continue;
      }
      const app = applyApplicationChanges({ application_sid: sid, account_sid: this.#account.account_sid, name: changes.value.name }, changes.value);
      this.#apps.set(sid, { value: app, source: 'rest' });
    }
    for (const raw of parsed.data.phone_numbers) {
      const sid = raw['phone_number_sid'];
      const digits = normalizeNumber(raw['number']);
      const appSid = raw['application_sid'];
      if (typeof sid !== 'string' || !digits.ok || this.#numbers.has(sid) || this.lookupNumber(digits.value)) {
        this.#log.warn({ file: this.file, sid }, 'skipping a stored phone number');
        continue;
      }
      const n: StoredPhoneNumber = { phone_number_sid: sid, number: digits.value, account_sid: this.#account.account_sid };
      if (typeof appSid === 'string' && this.#apps.has(appSid)) n.application_sid = appSid;
      if (typeof raw['voip_carrier_sid'] === 'string') n.voip_carrier_sid = raw['voip_carrier_sid'];
      this.#numbers.set(sid, { value: n, source: 'rest' });
    }
  }

  /** Writes the REST entries; when the write fails the change is undone and the error thrown. */
  #persist(what: 'applications' | 'phoneNumbers', undo: () => void): void {
    const rest = <T>(m: Map<string, Entry<T>>): T[] => [...m.values()].filter((e) => e.source === 'rest').map((e) => e.value);
    const apps = rest(this.#apps).map((a) => {
      const { extra, ...plain } = a;
      return { ...plain, ...(extra ?? {}) };
    });
    try {
      writeJsonFileAtomic(this.file, { applications: apps, phone_numbers: rest(this.#numbers) });
    } catch (err) {
      undo();
      this.#log.error({ file: this.file, err: err instanceof Error ? err.message : String(err) }, 'provisioning change not kept');
      throw err;
    }
    this.events.emit('changed', { what });
  }
}
