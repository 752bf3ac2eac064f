import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { AuthError } from './auth-error.ts';
import { NonceCountTracker } from './nonce-count-tracker.ts';
import { NonceManager } from './nonce-manager.ts';

const SECRET = 'a-test-secret-of-32-characters!!';

test('nonce is valid, then stale after its lifetime, on virtual time', () => {
  const clock = new VirtualClock(1_000_000);
  const nm = new NonceManager({ secret: SECRET, lifetimeMs: 30_000, clock });
  const nonce = nm.create('example.com');
  assert.match(nonce, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(nm.check(nonce, 'example.com'), { status: 'valid', issuedAt: 1_000_000, expiresAt: 1_030_000 });
  clock.advance(30_000);
  assert.equal(nm.check(nonce, 'example.com').status, 'valid');
  clock.advance(1);
  assert.equal(nm.check(nonce, 'example.com').status, 'stale');
});

test('a nonce verifies in another manager with the same secret (restart), not with another secret or realm', () => {
  const clock = new VirtualClock(5_000);
  const nonce = new NonceManager({ secret: SECRET, clock }).create('r');
  assert.equal(new NonceManager({ secret: SECRET, clock }).check(nonce, 'r').status, 'valid');
  assert.equal(new NonceManager({ secret: `${SECRET}x`, clock }).check(nonce, 'r').status, 'invalid');
  assert.equal(new NonceManager({ secret: SECRET, clock }).check(nonce, 'other').status, 'invalid');
});

test('tampered, truncated and future nonces are invalid', () => {
  const clock = new VirtualClock(0);
  const nm = new NonceManager({ secret: SECRET, clock });
  const nonce = nm.create('r');
  const flipped = (nonce[0] === 'A' ? 'B' : 'A') + nonce.slice(1);
  for (const bad of [flipped, nonce.slice(0, -2), `${nonce}AA`, 'not a nonce!', '']) {
    assert.equal(nm.check(bad, 'r').status, 'invalid', bad);
  }
  const later = new NonceManager({ secret: SECRET, clock: new VirtualClock(60_000) }).create('r');
  assert.equal(nm.check(later, 'r').status, 'invalid');
});

test('a short secret is a configuration error', () => {
  assert.throws(() => new NonceManager({ secret: 'short' }), (e: unknown) => e instanceof AuthError && e.code === 'SIP_AUTH_CONFIG');
});

test('nonce counts must increase per nonce', () => {
  const t = new NonceCountTracker({ clock: new VirtualClock() });
  assert.equal(t.check('n1', 1, 0, 1000), 'ok');
  assert.equal(t.check('n1', 1, 0, 1000), 'replay');
  assert.equal(t.check('n1', 3, 0, 1000), 'ok');
  assert.equal(t.check('n1', 2, 0, 1000), 'replay');
  assert.equal(t.check('n2', 1, 0, 1000), 'ok');
});

test('nonce-count memory is bounded: expired entries are swept, evicted nonces become stale', () => {
  const clock = new VirtualClock();
  const t = new NonceCountTracker({ clock, maxEntries: 10, sweepIntervalMs: 1_000 });
  for (let i = 0; i < 10; i++) assert.equal(t.check(`old${i}`, 1, 0, 500), 'ok');
  clock.advance(600);
  assert.equal(t.check('fresh', 1, 600, 10_000), 'ok');
  assert.equal(t.size, 1, 'expired entries purged when full');
  for (let i = 0; i < 20; i++) t.check(`live${i}`, 1, 600 + i, 10_000 + i);
  assert.ok(t.size <= 10);
  assert.equal(t.check('never-seen-but-old', 1, 600, 10_000), 'stale');
  assert.equal(t.check('new-after-eviction', 1, 700, 10_700), 'ok');
  clock.advance(20_000);
  t.check('late', 1, 20_600, 30_000);
  assert.equal(t.size, 1, 'periodic sweep drops expired entries');
});
