import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carrierDirectory, normalizeNumber } from './carrier-directory.ts';

test('numbers are normalized per carrier: + dropped unless kept, prefix prepended, junk refused', () => {
  assert.equal(normalizeNumber('+1 (555) 010-0000', {}), '15550100000');
  assert.equal(normalizeNumber('+4930', { keepPlus: true }), '+4930');
  assert.equal(normalizeNumber('+4930', { prefix: '00' }), '004930');
  assert.equal(normalizeNumber('call me', {}), undefined);
  assert.equal(normalizeNumber('1@evil', {}), undefined);
});

test('routes by trunk name (case-insensitive) or the default carrier; inbound addresses name the carrier', () => {
  const dir = carrierDirectory([
    { name: 'A', host: 'a.example:5070', username: 'u', password: 'p', fromUser: 'main', inboundAddresses: ['192.0.2.1'], inboundRealms: ['Trunk-A.sb.example'] },
    { name: 'b', host: 'b.example', transport: 'tcp', default: true },
  ]);
  assert.deepEqual(dir.route('+15550100', 'a'), {
    carrier: 'A', target: 'sip:15550100@a.example:5070', number: '15550100', variables: { sip_carrier: 'A' },
    auth: { username: 'u', password: 'p' }, fromUser: 'main',
  });
  assert.equal(dir.route('123')?.target, 'sip:123@b.example;transport=tcp');
  assert.equal(dir.route('123', 'nope'), undefined);
  assert.equal(dir.carrierOfAddress('192.0.2.1'), 'A');
  assert.equal(dir.carrierOfAddress('192.0.2.2'), undefined);
  assert.equal(dir.carrierOfRealm('trunk-a.SB.example'), 'A', 'the realm matches without regard to case');
  assert.equal(dir.carrierOfRealm('other.sb.example'), undefined);
  assert.equal(dir.carrierOfRealm(''), undefined);
  assert.equal(carrierDirectory([]).route('1'), undefined);
});
