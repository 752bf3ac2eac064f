/** Table tests for SIP/SIPS/tel URI parsing, writing and comparison (RFC 3261 19.1, RFC 3966, RFC 5118). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, parseUri } from './uri.ts';
import { uriEquals } from './uri-equals.ts';
import { SipParseError } from './errors.ts';
import type { SipUri } from './types.ts';

type Expect = Partial<SipUri>;

const valid: [string, Expect][] = [
  ['sip:alice@atlanta.com', { scheme: 'sip', user: 'alice', host: 'atlanta.com', params: {}, headers: {} }],
  ['SIP:alice@atlanta.com', { scheme: 'sip', user: 'alice' }],
  ['sips:alice@atlanta.com:5061', { scheme: 'sips', host: 'atlanta.com', port: 5061 }],
  ['sip:alice:secretword@atlanta.com;transport=tcp', { user: 'alice', password: 'secretword', params: { transport: 'tcp' } }],
  ['sip:+1-212-555-1212:1234@gateway.com;user=phone', { user: '+1-212-555-1212', password: '1234', params: { user: 'phone' } }],
  ['sip:alice@192.0.2.4', { host: '192.0.2.4', port: undefined }],
  ['sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', { user: undefined, params: { method: 'REGISTER' }, headers: { to: 'alice@atlanta.com' } }],
  ['sip:alice;day=tuesday@atlanta.com', { user: 'alice;day=tuesday', host: 'atlanta.com' }],
  ['sip:[2001:db8::10]:5070;lr', { host: '[2001:db8::10]', port: 5070, params: { lr: null } }],
  ['sip:user@[::1]', { host: '[::1]' }],
  ['sip:sips%3Auser%40example.com@example.net', { user: 'sips:user@example.com', host: 'example.net' }],
  ['sip:null-%00-null@example.com', { user: 'null-\u0000-null' }],
  ['sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31', { user: 'caller', params: { lr: null, name: 'value%41' } }],
  ['sip:I%20have%20spaces@example.net', { user: 'I have spaces' }],
  ['sip:%E2%82%AC@example.net', { user: '\u20ac' }],
  ['sip:user@example.com?Route=%3Csip:sip.example.com%3E', { headers: { Route: '<sip:sip.example.com>' } }],
  ['sip:bob@b.com?subject=hi&priority=urgent', { headers: { subject: 'hi', priority: 'urgent' } }],
  ['sip:host.example.com;MADDR=239.255.255.1;ttl=15', { params: { maddr: '239.255.255.1', ttl: '15' } }],
  ['tel:+1-201-555-0123', { scheme: 'tel', user: '+1-201-555-0123', host: '', params: {} }],
  ['tel:7042;phone-context=example.com', { scheme: 'tel', user: '7042', params: { 'phone-context': 'example.com' } }],
  ['urn:service:sos', { scheme: 'urn', host: '', opaque: 'service:sos' }],
  ['isbn:2983792873', { scheme: 'isbn', opaque: '2983792873' }],
  ['soap.beep://192.0.2.103:3002', { scheme: 'soap.beep', opaque: '//192.0.2.103:3002' }],
];

test('parseUri: valid URIs', () => {
  for (const [text, expect] of valid) {
    const u = parseUri(text);
    for (const [k, v] of Object.entries(expect)) {
      assert.deepEqual(u[k as keyof SipUri], v, `${text}: ${k}`);
    }
  }
});

const invalid = [
  '',
  'alice@atlanta.com',
  ':alice@atlanta.com',
  'sip:',
  'sip:@atlanta.com',
  'sip:alice@',
  'sip:alice@atlanta.com:',
  'sip:alice@atlanta.com:70000',
  'sip:alice@atlanta.com:5o60',
  'sip:alice@atlanta.com;',
  'sip:alice@atlanta.com;transport=',
  'sip:alice@atlanta.com?',
  'sip:alice@atlanta.com?x',
  'sip:al ice@atlanta.com',
  'sip:alice@atl anta.com',
  'sip:alice@[::1',
  'sip:alice@[zz]',
  'sip:%zz@atlanta.com',
  'sip:%4@atlanta.com',
  ' sip:alice@atlanta.com',
  'sip:<alice>@atlanta.com',
  'tel:',
  'tel:+1 555',
  'x:',
  'http:a b',
];

test('parseUri: invalid URIs throw SipParseError', () => {
  for (const text of invalid) {
    assert.throws(() => parseUri(text), SipParseError, JSON.stringify(text));
  }
});

const roundTrips = [
  'sip:alice@atlanta.com',
  'sips:alice:pw@atlanta.com:5061;transport=tls;lr',
  'sip:[2001:db8::1]:5060;maddr=[2001:db8::2]',
  'sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com',
  'sip:alice;day=tuesday@atlanta.com',
  'tel:+1-201-555-0123;ext=12',
  'urn:service:sos',
];

test('formatUri: round trips canonical forms', () => {
  for (const text of roundTrips) assert.equal(formatUri(parseUri(text)), text);
});

test('formatUri: escapes what its component grammar forbids', () => {
  assert.equal(
    formatUri({ scheme: 'sip', user: 'a b@c%', host: 'x.com', params: { 'n m': 'v;w' }, headers: { subject: 'a&b=c' } }),
    'sip:a%20b%40c%25@x.com;n%20m=v%3Bw?subject=a%26b%3Dc',
  );
  assert.equal(formatUri({ scheme: 'sip', user: '\u20ac', host: 'x.com', params: {}, headers: {} }), 'sip:%E2%82%AC@x.com');
  assert.equal(formatUri({ scheme: 'sip', user: 'pw:x', password: 'p@ss', host: 'x.com', params: {}, headers: {} }), 'sip:pw%3Ax:p%40ss@x.com');
  assert.equal(formatUri({ scheme: 'sip', host: '::1', params: {}, headers: {} }), 'sip:[::1]');
  const tricky = { scheme: 'sip', user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", host: 'example.com', params: {}, headers: {} };
  assert.equal(formatUri(tricky), "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com");
  assert.deepEqual(parseUri(formatUri(tricky)), tricky);
});

// RFC 3261 section 19.1.4 examples, and RFC 5118 4.2 (IPv6 compared as addresses).
const equal: [string, string][] = [
  ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
  ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
  ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
  ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
  ['sip:[2001:db8::10]', 'sip:[2001:db8:0:0:0:0:0:10]'],
  ['tel:+1-201-555-0123', 'tel:+1.201.555.0123'],
  ['urn:service:sos', 'URN:service:sos'],
];
const different: [string, string][] = [
  ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp;user=phone'],
  ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;maddr=1.2.3.4'],
  ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
  ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
  ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
  ['sip:alice@atlanta.com', 'sips:alice@atlanta.com'],
  ['sip:alice:a@atlanta.com', 'sip:alice:b@atlanta.com'],
  ['tel:+1-201-555-0123', 'tel:+1-201-555-0123;ext=1'],
];

test('uriEquals: RFC 3261 19.1.4 equal pairs', () => {
  for (const [a, b] of equal) {
    assert.equal(uriEquals(a, b), true, `${a} == ${b}`);
    assert.equal(uriEquals(parseUri(b), parseUri(a)), true, `${b} == ${a}`);
  }
});

test('uriEquals: RFC 3261 19.1.4 unequal pairs', () => {
  for (const [a, b] of different) {
    assert.equal(uriEquals(a, b), false, `${a} != ${b}`);
    assert.equal(uriEquals(b, a), false, `${b} != ${a}`);
  }
});
