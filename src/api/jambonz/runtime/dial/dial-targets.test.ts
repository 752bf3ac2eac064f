import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carrierDirectory } from './carrier-directory.ts';
import { dialTargets } from './dial-targets.ts';

const carriers = carrierDirectory([
  { name: 'main', host: 'sbc.example.net:5080', username: 'u', password: 'p' },
  { name: 'tls', host: 'tls.example.net', transport: 'tls', keepPlus: true, default: true },
]);

test('phone, sip and user targets become originate targets', () => {
  const r = dialTargets([
    { type: 'phone', number: '+1 555 000', trunk: 'main', headers: { 'X-A': '1' } },
    { type: 'sip', sipUri: 'sip:bob@10.0.0.1', auth: { username: 'bob', password: 'secret' }, confirmHook: '/c' },
    { type: 'user', name: '1001' },
    { type: 'phone', number: '+4930' },
  ], carriers);
  assert.ok(r.ok);
  assert.deepEqual(r.targets.map((t) => t.target), ['sip:1555000@sbc.example.net:5080', 'sip:bob@10.0.0.1', 'user/1001', 'sips:+4930@tls.example.net;transport=tls']);
  assert.deepEqual(r.targets[0]!.auth, { username: 'u', password: 'p' });
  assert.deepEqual(r.targets[0]!.headers, { 'X-A': '1' });
  assert.deepEqual(r.targets[1]!.auth, { username: 'bob', password: 'secret' });
  assert.equal(r.targets[1]!.confirmHook, '/c');
  assert.equal(r.targets[1]!.destination, 'bob');
  assert.equal(r.targets[2]!.destination, '1001');
});

test('duplicates are dropped; more than 10 targets, unknown types and missing fields are errors', () => {
  const same = dialTargets([{ type: 'user', name: 'a' }, { type: 'user', name: 'a' }], undefined);
  assert.ok(same.ok && same.targets.length === 1);
  const many = Array.from({ length: 11 }, (_, i) => ({ type: 'user', name: `u${i}` }));
  assert.equal(dialTargets(many, undefined).ok, false);
  for (const bad of [[], [{ type: 'teams', number: '1' }], [{ type: 'sip', sipUri: 'http://x' }], [{ type: 'phone' }], [{ type: 'phone', number: '1', trunk: 'nope' }], [42]]) {
    assert.equal(dialTargets(bad, carriers).ok, false, JSON.stringify(bad));
  }
});

test('a phone target with a host as trunk and no carriers dials the host', () => {
  const r = dialTargets([{ type: 'phone', number: '+15550100', trunk: '10.1.2.3:5060' }], undefined);
  assert.ok(r.ok);
  assert.equal(r.targets[0]!.target, 'sip:15550100@10.1.2.3:5060');
  assert.equal(dialTargets([{ type: 'phone', number: '1' }], undefined).ok, false);
});
