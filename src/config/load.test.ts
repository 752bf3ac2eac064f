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
