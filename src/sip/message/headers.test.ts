/** Header list operations, names and compact forms (RFC 3261 7.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipHeaders } from './headers.ts';
import { SipHeaderError } from './errors.ts';
import { canonicalHeaderName, headerKey } from './header-names.ts';

test('header names: case-insensitive, compact forms, canonical spelling', () => {
  const rows: [string, string][] = [
    ['i', 'Call-ID'], ['call-id', 'Call-ID'], ['CALL-ID', 'Call-ID'], ['cseq', 'CSeq'], ['www-authenticate', 'WWW-Authenticate'],
    ['proxy-authenticate', 'Proxy-Authenticate'], ['max-forwards', 'Max-Forwards'], ['l', 'Content-Length'], ['c', 'Content-Type'],
    ['record-route', 'Record-Route'], ['rack', 'RAck'], ['rseq', 'RSeq'], ['min-se', 'Min-SE'], ['x', 'Session-Expires'],
    ['r', 'Refer-To'], ['b', 'Referred-By'], ['p-asserted-identity', 'P-Asserted-Identity'], ['u', 'Allow-Events'],
    ['m', 'Contact'], ['f', 'From'], ['t', 'To'], ['v', 'Via'], ['s', 'Subject'], ['k', 'Supported'], ['e', 'Content-Encoding'],
    ['o', 'Event'], ['y', 'Identity'], ['a', 'Accept-Contact'], ['M', 'Contact'],
    ['X-Custom-Thing', 'X-Custom-Thing'], ['x-other', 'x-other'],
  ];
  for (const [raw, canonical] of rows) {
    assert.equal(canonicalHeaderName(raw), canonical, raw);
    assert.equal(headerKey(raw), canonical.toLowerCase(), raw);
  }
});

function sample(): SipHeaders {
  return new SipHeaders([
    ['v', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2'],
    ['Via', 'SIP/2.0/TCP c;branch=z9hG4bK3'],
    ['f', '<sip:alice@x>;tag=1'],
    ['Allow', 'INVITE, ACK'],
    ['allow', 'BYE'],
    ['X-Foo', 'bar'],
  ]);
}

test('SipHeaders: get / getAll / values / has / entries', () => {
  const h = sample();
  assert.equal(h.get('VIA'), 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2');
  assert.deepEqual(h.getAll('via').length, 2);
  assert.deepEqual(h.values('v').length, 3);
  assert.deepEqual(h.values('Allow'), ['INVITE', 'ACK', 'BYE']);
  assert.equal(h.get('From'), '<sip:alice@x>;tag=1');
  assert.equal(h.has('f'), true);
  assert.equal(h.has('To'), false);
  assert.equal(h.get('x-foo'), 'bar');
  assert.deepEqual(h.getAll('nothing'), []);
  assert.deepEqual([...h.entries()].map(([n]) => n), ['Via', 'Via', 'From', 'Allow', 'Allow', 'X-Foo']);
  assert.deepEqual([...h].length, 6);
  assert.equal(h.size, 6);
});

test('SipHeaders: set replaces in place, append, prepend, remove', () => {
  const h = sample();
  h.set('allow', 'OPTIONS');
  assert.deepEqual(h.getAll('Allow'), ['OPTIONS']);
  assert.deepEqual([...h.entries()].map(([n]) => n), ['Via', 'Via', 'From', 'Allow', 'X-Foo']);
  h.set('Allow', ['A', 'B']);
  assert.deepEqual([...h.entries()].map(([, v]) => v).slice(3, 5), ['A', 'B']);
  h.set('Contact', '<sip:c@x>');
  assert.equal([...h.entries()].at(-1)?.[0], 'Contact');
  h.append('Record-Route', '<sip:p1;lr>');
  h.prepend('record-route', '<sip:p0;lr>');
  assert.deepEqual(h.getAll('Record-Route'), ['<sip:p0;lr>', '<sip:p1;lr>']);
  h.prepend('Via', 'SIP/2.0/UDP proxy;branch=z9hG4bKp');
  assert.deepEqual([...h.entries()][0], ['Via', 'SIP/2.0/UDP proxy;branch=z9hG4bKp']);
  h.prepend('Route', '<sip:r;lr>');
  assert.deepEqual([...h.entries()][0], ['Route', '<sip:r;lr>']);
  assert.equal(h.remove('via'), 3);
  assert.equal(h.has('Via'), false);
  assert.equal(h.remove('via'), 0);
  h.set('Allow', []);
  assert.equal(h.has('Allow'), false);
});

test('SipHeaders: removeFirstValue strips one element of a multi-value field', () => {
  const h = sample();
  assert.equal(h.removeFirstValue('Via'), 'SIP/2.0/UDP a;branch=z9hG4bK1');
  assert.deepEqual(h.getAll('Via'), ['SIP/2.0/UDP b;branch=z9hG4bK2', 'SIP/2.0/TCP c;branch=z9hG4bK3']);
  assert.equal(h.removeFirstValue('Via'), 'SIP/2.0/UDP b;branch=z9hG4bK2');
  assert.deepEqual(h.getAll('Via'), ['SIP/2.0/TCP c;branch=z9hG4bK3']);
  assert.equal(h.removeFirstValue('v'), 'SIP/2.0/TCP c;branch=z9hG4bK3');
  assert.equal(h.has('Via'), false);
  assert.equal(h.removeFirstValue('Via'), undefined);
  const q = new SipHeaders([['Route', '"a, b" <sip:x;lr>, <sip:y;lr>']]);
  assert.equal(q.removeFirstValue('route'), '"a, b" <sip:x;lr>');
  assert.equal(q.get('Route'), '<sip:y;lr>');
  const e = new SipHeaders([['Route', ', <sip:y;lr>']]);
  assert.equal(e.removeFirstValue('route'), '<sip:y;lr>');
});

test('SipHeaders: version changes on every mutation and never repeats across instances', () => {
  const h = sample();
  const seen = new Set<number>([h.version]);
  const step = (f: () => void): void => {
    f();
    assert.equal(seen.has(h.version), false);
    seen.add(h.version);
  };
  step(() => h.set('X', '1'));
  step(() => h.append('X', '2'));
  step(() => h.prepend('X', '0'));
  step(() => h.remove('X'));
  step(() => h.removeFirstValue('Via'));
  const c = h.clone();
  assert.notEqual(c.version, h.version);
  c.append('Y', 'z');
  assert.equal(h.has('Y'), false);
  assert.deepEqual([...c].slice(0, -1), [...h]);
});

test('SipHeaders: unsendable names and values are refused', () => {
  const h = new SipHeaders();
  assert.throws(() => h.append('X', 'a\r\nInjected: yes'), SipHeaderError);
  assert.throws(() => h.set('X', ['ok', 'bad\n']), SipHeaderError);
  assert.throws(() => h.prepend('Bad Name', 'v'), SipHeaderError);
  assert.throws(() => h.append('', 'v'), SipHeaderError);
  assert.equal(h.size, 0);
});
