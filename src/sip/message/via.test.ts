/** Table tests for Via values (RFC 3261 20.42, RFC 3581). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatVia, parseVia, parseViaList } from './via.ts';
import { SipParseError } from './errors.ts';
import type { Via } from './types.ts';

const valid: [string, Via][] = [
  ['SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds', { protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.atlanta.com', params: { branch: 'z9hG4bK776asdhds' } }],
  ['SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport', {
    protocol: 'SIP/2.0', transport: 'TCP', host: 'client.atlanta.example.com', port: 5060,
    params: { branch: 'z9hG4bK74bf9', received: '192.0.2.101', rport: null },
  }],
  ['SIP  /   2.0 /UDP 192.0.2.2;branch=390skdjuw', { protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.2', params: { branch: '390skdjuw' } }],
  ['SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8', { protocol: 'SIP/2.0', transport: 'TCP', host: 'spindle.example.com', params: { branch: 'z9hG4bK9ikj8' } }],
  ['sip/2.0/ws df7jal23ls0d.invalid;branch=z9hG4bK56sdasks', { protocol: 'SIP/2.0', transport: 'WS', host: 'df7jal23ls0d.invalid', params: { branch: 'z9hG4bK56sdasks' } }],
  ['SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas3;received=[2001:db8::9:255]', {
    protocol: 'SIP/2.0', transport: 'UDP', host: '[2001:db8::9:1]', port: 5070, params: { branch: 'z9hG4bKas3', received: '[2001:db8::9:255]' },
  }],
  ['SIP/2.0/UNKNOWN t4.example.com : 5060 ;branch=z9hG4bKasd0f3en', { protocol: 'SIP/2.0', transport: 'UNKNOWN', host: 't4.example.com', port: 5060, params: { branch: 'z9hG4bKasd0f3en' } }],
  ['SIP/3.0/SCTP h;x="quoted ; value"', { protocol: 'SIP/3.0', transport: 'SCTP', host: 'h', params: { x: '"quoted ; value"' } }],
];

test('parseVia: valid values', () => {
  for (const [text, via] of valid) assert.deepEqual(parseVia(text), via, text);
});

const invalid = [
  '',
  'SIP/2.0/UDP',
  'SIP/2.0 192.0.2.1',
  'SIP/2.0/UDP192.0.2.1',
  'SIP/2.0/UDP 192.0.2.15;;',
  'SIP/2.0/UDP host;branch=',
  'SIP/2.0/UDP host:99999',
  'SIP/2.0/UDP host:',
  'SIP/2.0/UDP [::1',
  'SIP/2.0/UDP host junk',
];

test('parseVia: invalid values throw "Bad Via"', () => {
  for (const text of invalid) {
    assert.throws(() => parseVia(text), (e: unknown) => e instanceof SipParseError && e.reason === 'Bad Via', JSON.stringify(text));
  }
});

test('parseViaList: comma-separated values; empty elements are errors', () => {
  const list = parseViaList('SIP/2.0/UDP a;branch=z9hG4bK1 , SIP/2.0/TCP b:5061;branch=z9hG4bK2');
  assert.deepEqual(list.map((v) => v.host), ['a', 'b']);
  assert.throws(() => parseViaList('SIP/2.0/UDP 192.0.2.15;;,;,,'), SipParseError);
  assert.throws(() => parseViaList('SIP/2.0/UDP a, '), SipParseError);
});

test('formatVia: canonical form round trips', () => {
  for (const [, via] of valid) assert.deepEqual(parseVia(formatVia(via)), via);
  assert.equal(formatVia(valid[1]![1]), 'SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport');
  assert.equal(formatVia({ protocol: 'SIP/2.0', transport: 'UDP', host: '::1', params: {} }), 'SIP/2.0/UDP [::1]');
});
