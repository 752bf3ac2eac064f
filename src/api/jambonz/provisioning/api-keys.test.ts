import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/index.ts';
import { API_KEYS_FILE, ApiKeyStore } from './api-keys.ts';
import { JambonzPlatformError } from './platform-error.ts';

test('API keys: made, listed per account, kept across restarts, deleted only by their account', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-apikeys-'));
  try {
    const store = new ApiKeyStore({ dataDir: dir, log: silentLogger(), now: () => Date.UTC(2026, 0, 2) });
    assert.deepEqual(store.list('acc-1'), []);
    const a = store.create('acc-1');
    const b = store.create('acc-2');
    assert.match(a.token, /^[0-9a-f-]{36}$/);
    assert.equal(a.created_at, '2026-01-02T00:00:00.000Z');
    assert.deepEqual(store.list('acc-1').map((k) => k.api_key_sid), [a.api_key_sid]);
    assert.deepEqual(store.tokens().sort(), [a.token, b.token].sort());
    const again = new ApiKeyStore({ dataDir: dir, log: silentLogger() });
    assert.deepEqual(again.list('acc-2'), [b]);
    assert.equal(again.delete('acc-1', b.api_key_sid), false, 'another account\'s key');
    assert.equal(again.delete('acc-1', 'nope'), false);
    assert.equal(again.delete('acc-1', a.api_key_sid), true);
    assert.deepEqual(new ApiKeyStore({ dataDir: dir, log: silentLogger() }).tokens(), [b.token]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('API keys: an unusable file is logged and ignored; a failed write keeps nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-apikeys-'));
  try {
    writeFileSync(join(dir, API_KEYS_FILE), '{"not": "an array"}');
    const warnings: string[] = [];
    const log = { ...silentLogger(), warn: (_o: unknown, msg?: string) => { warnings.push(String(msg)); } } as unknown as ReturnType<typeof silentLogger>;
    const store = new ApiKeyStore({ dataDir: dir, log });
    assert.deepEqual(store.tokens(), []);
    assert.equal(warnings.length, 1);
    const kept = store.create('acc-1');
    assert.equal((JSON.parse(readFileSync(join(dir, API_KEYS_FILE), 'utf8')) as unknown[]).length, 1);
    // A data directory that is a file cannot be written, whoever runs the test.
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'x');
    const broken = new ApiKeyStore({ dataDir: blocked, log });
    assert.throws(() => broken.create('acc-1'), (err: unknown) => err instanceof JambonzPlatformError && err.code === 'JAMBONZ_STORE_WRITE');
    assert.deepEqual(broken.tokens(), []);
    assert.deepEqual(store.tokens(), [kept.token]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
