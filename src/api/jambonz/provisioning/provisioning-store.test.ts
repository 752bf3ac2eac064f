import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/index.ts';
import { loadCredentials, type AccountCredentials } from './credentials.ts';
import { PROVISIONING_FILE, ProvisioningStore, nameBasedSid } from './provisioning-store.ts';

let dir: string;
let creds: AccountCredentials;
const log = silentLogger();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-prov-'));
  creds = loadCredentials({ dataDir: dir, log });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (config?: ConstructorParameters<typeof ProvisioningStore>[0]['config']): ProvisioningStore =>
  new ProvisioningStore({ dataDir: dir, credentials: creds, log, ...(config ? { config } : {}) });

describe('credentials', () => {
  it('are created once and reused; overrides win without touching the file', () => {
    assert.deepEqual(loadCredentials({ dataDir: dir, log }), creds);
    const o = loadCredentials({ dataDir: dir, log, accountSid: 'a-sid', apiKey: 'k' });
    assert.equal(o.account_sid, 'a-sid');
    assert.equal(o.api_key, 'k');
    assert.equal(o.webhook_secret, creds.webhook_secret);
    assert.deepEqual(loadCredentials({ dataDir: dir, log }), creds);
  });

  it('are recreated when the file is unusable', () => {
    writeFileSync(join(dir, 'jambonz-account.json'), '{ broken');
    const fresh = loadCredentials({ dataDir: dir, log });
    assert.notEqual(fresh.account_sid, creds.account_sid);
    assert.deepEqual(loadCredentials({ dataDir: dir, log }), fresh);
  });
});

describe('ProvisioningStore', () => {
  it('serves the catalog and keeps REST changes across a reopen, with no temporary file left', () => {
    const s = open();
    assert.equal(s.defaultAccount().account_sid, creds.account_sid);
    assert.equal(s.account(creds.account_sid)?.webhook_secret, creds.webhook_secret);
    assert.equal(s.account('other'), undefined);
    const app = s.createApplication({ name: 'a', call_hook: { url: 'https://a.test/', method: 'POST' } });
    assert.ok(app.ok);
    if (!app.ok) return;
    const num = s.createPhoneNumber({ number: '4930123', application_sid: app.value.application_sid });
    assert.ok(num.ok);
    const again = open();
    assert.equal(again.application(app.value.application_sid)?.name, 'a');
    assert.equal(again.lookupNumber('+4930123')?.application_sid, app.value.application_sid);
    assert.equal(again.lookupNumber('4930123')?.number, '4930123');
    assert.deepEqual(readdirSync(dir).sort(), ['jambonz-account.json', PROVISIONING_FILE]);
  });

  it('emits changed on every change and enforces the api-server rules', () => {
    const s = open();
    const seen: string[] = [];
    s.events.on('changed', (e) => seen.push(e.what));
    assert.deepEqual(s.createApplication({ call_hook: { url: 'https://a.test/' } }), { ok: false, status: 400, message: `missing required field: 'name'` });
    assert.equal(s.createApplication({ name: 'no hook' }).ok, false);
    const app = s.createApplication({ name: 'a', app_json: '[]' });
    assert.ok(app.ok);
    if (!app.ok) return;
    const sid = app.value.application_sid;
    assert.equal(s.updateApplication(sid, { app_json: null }).ok, false, 'an application needs a hook or verbs');
    assert.equal(s.updateApplication(sid, { name: null }).ok, false);
    assert.equal(s.createPhoneNumber({ number: '1', application_sid: 'ghost' }).ok, false);
    const n = s.createPhoneNumber({ number: '1', application_sid: sid });
    assert.ok(n.ok);
    assert.deepEqual(s.createPhoneNumber({ number: '1' }), { ok: false, status: 422, message: 'phone number 1 already exists' });
    assert.equal(s.deleteApplication(sid).ok, false);
    if (n.ok) assert.ok(s.deletePhoneNumber(n.value.phone_number_sid).ok);
    assert.ok(s.deleteApplication(sid).ok);
    assert.deepEqual(s.deleteApplication(sid), { ok: false, status: 404, message: 'application not found' });
    assert.deepEqual(seen, ['applications', 'phoneNumbers', 'phoneNumbers', 'applications']);
  });

  it('loads config applications with stable sids, resolves them by name, and keeps them read-only', () => {
    const s = open({
      applications: [{ name: 'ivr', call_hook: 'https://a.test/ivr' }, { name: 'fixed', application_sid: 'my-sid', app_json: [{ verb: 'hangup' }] }],
      phoneNumbers: [{ number: '+100', application: 'ivr' }, { number: '200', application: 'my-sid' }],
    });
    const ivr = s.resolveApplication('ivr');
    assert.equal(ivr?.application_sid, nameBasedSid('ivr'));
    assert.match(nameBasedSid('ivr'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(s.application('my-sid')?.app_json, '[{"verb":"hangup"}]');
    assert.equal(s.lookupNumber('100')?.application_sid, ivr?.application_sid);
    assert.equal(s.updateApplication('my-sid', { name: 'x' }).ok, false);
    assert.equal(s.deleteApplication('my-sid').ok, false);
    const n = s.lookupNumber('200');
    assert.ok(n);
    if (n) assert.deepEqual(s.deletePhoneNumber(n.phone_number_sid).ok, false);
    assert.equal(open({ applications: [{ name: 'ivr', call_hook: 'https://a.test/ivr' }], phoneNumbers: [] }).resolveApplication('ivr')?.application_sid, ivr?.application_sid);
  });

  it('refuses unusable config entries with a message naming them', () => {
    assert.throws(() => open({ applications: [{ name: 'x', call_hook: 'relative' }], phoneNumbers: [] }), /jambonz\.applications "x": .*absolute/);
    assert.throws(() => open({ applications: [{ name: 'x' }], phoneNumbers: [] }), /call_hook or app_json/);
    assert.throws(() => open({ applications: [{ name: 'x', app_json: '[]' }, { name: 'x', app_json: '[]' }], phoneNumbers: [] }), /duplicate/);
    assert.throws(() => open({ applications: [], phoneNumbers: [{ number: '1', application: 'ghost' }] }), /no application "ghost"/);
  });

  it('starts without a broken provisioning file and skips bad entries', () => {
    writeFileSync(join(dir, PROVISIONING_FILE), 'not json');
    assert.deepEqual(open().applications(), []);
    writeFileSync(join(dir, PROVISIONING_FILE), JSON.stringify({
      applications: [{ application_sid: 'ok', name: 'fine', app_json: '[]' }, { name: 'no sid', app_json: '[]' }, { application_sid: 'bad', name: 'x', call_hook: 1 }],
      phone_numbers: [{ phone_number_sid: 'p', number: '+55', application_sid: 'ok' }, { phone_number_sid: 'q', number: 'x' }],
    }));
    const s = open();
    assert.deepEqual(s.applications().map((a) => a.application_sid), ['ok']);
    assert.deepEqual(s.phoneNumbers().map((n) => [n.number, n.application_sid]), [['55', 'ok']]);
  });
});

describe('ProvisioningStore write failures', () => {
  it('undoes a change the file cannot take and throws JAMBONZ_STORE_WRITE', () => {
    const s = open();
    const app = s.createApplication({ name: 'kept', app_json: '[]' });
    assert.ok(app.ok);
    // A directory where the file should be makes the rename fail.
    rmSync(join(dir, PROVISIONING_FILE));
    mkdirSync(join(dir, PROVISIONING_FILE));
    assert.throws(() => s.createApplication({ name: 'lost', app_json: '[]' }), (err: Error & { code?: string }) => err.code === 'JAMBONZ_STORE_WRITE');
    assert.deepEqual(s.applications().map((a) => a.name), ['kept']);
    if (app.ok) {
      assert.throws(() => s.deleteApplication(app.value.application_sid), /cannot write/);
      assert.equal(s.application(app.value.application_sid)?.name, 'kept');
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });
});
