import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, splitHostPort } from './index.ts';

test('defaults need no configuration', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.sip.listen, '127.0.0.1:5060');
  assert.equal(c.sip.t1, 500);
  assert.equal(c.dataDir, './data');
});

test('file < env < flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ sip: { listen: '127.0.0.1:5070', domain: 'example.test' }, dataDir: '/a' }));
  const c1 = loadConfig({ file, env: {} });
  assert.equal(c1.sip.listen, '127.0.0.1:5070');
  assert.equal(c1.sip.domain, 'example.test');
  const c2 = loadConfig({ file, env: { SWITCHBOARD_SIP: '127.0.0.1:5080', SWITCHBOARD_DATA: '/b' } });
  assert.equal(c2.sip.listen, '127.0.0.1:5080');
  assert.equal(c2.dataDir, '/b');
  assert.equal(c2.sip.domain, 'example.test');
  const c3 = loadConfig({ file, env: { SWITCHBOARD_SIP: '127.0.0.1:5080' }, flags: { sip: '[::1]:5090' } });
  assert.equal(c3.sip.listen, '[::1]:5090');
  assert.deepEqual(splitHostPort(c3.sip.listen), { host: '::1', port: 5090 });
});

test('bad input is a ConfigError with the offending path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, '{ not json');
  assert.throws(() => loadConfig({ file, env: {} }), ConfigError);
  writeFileSync(file, JSON.stringify({ sip: { t1: -1 } }));
  assert.throws(() => loadConfig({ file, env: {} }), /sip\.t1/);
  assert.throws(() => loadConfig({ env: {}, flags: { sip: 'nonsense' } }), /sip\.listen/);
  assert.throws(() => loadConfig({ file: join(dir, 'missing.json'), env: {} }), /cannot read/);
});

test('HTTP address and the jambonz account come from flags, env and the file', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.http.listen, '127.0.0.1:3000');
  assert.deepEqual(c.jambonz.applications, []);
  const e = loadConfig({ env: { SWITCHBOARD_HTTP: '127.0.0.1:3100', SWITCHBOARD_ACCOUNT_SID: '11111111-2222-4333-8444-555555555555', SWITCHBOARD_API_KEY: 'key-from-env' } });
  assert.equal(e.http.listen, '127.0.0.1:3100');
  assert.equal(e.jambonz.accountSid, '11111111-2222-4333-8444-555555555555');
  assert.equal(e.jambonz.apiKey, 'key-from-env');
  const f = loadConfig({ env: { SWITCHBOARD_API_KEY: 'key-from-env' }, flags: { http: '[::1]:0', apiKey: 'key-from-flag' } });
  assert.equal(f.http.listen, '[::1]:0');
  assert.equal(f.jambonz.apiKey, 'key-from-flag');
  assert.throws(() => loadConfig({ env: {}, flags: { accountSid: 'not-a-uuid' } }), /jambonz\.accountSid/);
  assert.throws(() => loadConfig({ env: {}, flags: { http: 'nonsense' } }), /http\.listen/);
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ jambonz: { applications: [{ name: 'a', call_hook: 'https://a.test/' }], phoneNumbers: [{ number: '+1', application: 'a' }] } }));
  const j = loadConfig({ file, env: {} });
  assert.equal(j.jambonz.applications[0]?.name, 'a');
  assert.deepEqual(j.jambonz.phoneNumbers, [{ number: '+1', application: 'a' }]);
  writeFileSync(file, JSON.stringify({ jambonz: { phoneNumbers: [{ number: 'abc', application: 'a' }] } }));
  assert.throws(() => loadConfig({ file, env: {} }), /jambonz\.phoneNumbers\.0\.number/);
});

test('media workers: auto by default, a count from flags or env, a bad count refused', () => {
  assert.equal(loadConfig({ env: {} }).media.workers, 'auto');
  assert.equal(loadConfig({ env: { SWITCHBOARD_MEDIA_WORKERS: '3' } }).media.workers, 3);
  assert.equal(loadConfig({ env: {}, flags: { mediaWorkers: '0' } }).media.workers, 0);
  assert.equal(loadConfig({ env: { SWITCHBOARD_MEDIA_WORKERS: '2' }, flags: { mediaWorkers: 'auto' } }).media.workers, 'auto');
  assert.throws(() => loadConfig({ env: {}, flags: { mediaWorkers: 'many' } }), ConfigError);
});
