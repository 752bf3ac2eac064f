/** Table tests for header parameters (RFC 3261 25.1 generic-param). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatParams, parseParams } from './params.ts';
import { SipParseError } from './errors.ts';
import type { Params } from './types.ts';

test('parseParams: names lower-cased, valueless params null, quotes kept', () => {
  const rows: [string, Params][] = [
    ['', {}],
    [';tag=abc', { tag: 'abc' }],
    ['tag=abc', { tag: 'abc' }],
    [';lr;Transport=TCP', { lr: null, transport: 'TCP' }],
    [' ;  q = 0.33 ; expires=3600 ', { q: '0.33', expires: '3600' }],
    [';received=[2001:db8::1];x=1.2.3.4', { received: '[2001:db8::1]', x: '1.2.3.4' }],
    [';x="a \\"b\\" ;c"', { x: '"a \\"b\\" ;c"' }],
    [";fromParam''~+*_!.-%=\"\u0440\u0430\u0431\"", { "fromparam''~+*_!.-%": '"\u0440\u0430\u0431"' }],
    [';__proto__=x', JSON.parse('{"__proto__":"x"}') as Params],
  ];
  for (const [text, expect] of rows) assert.deepEqual(parseParams(text), expect, text);
  assert.equal(Object.getPrototypeOf(parseParams(';__proto__=x')), Object.prototype);
});

test('parseParams: malformed parameters throw', () => {
  for (const text of [';', ';;', ';=x', ';a=', ';a="x', ';a b', ';a=b c', ';a=[::1']) {
    assert.throws(() => parseParams(text), SipParseError, JSON.stringify(text));
  }
});

test('formatParams: writes tokens bare and quotes anything else', () => {
  assert.equal(formatParams({ tag: 'abc', lr: null }), ';tag=abc;lr');
  assert.equal(formatParams({ x: 'a b' }), ';x="a b"');
  assert.equal(formatParams({ x: 'say "hi"' }), ';x="say \\"hi\\""');
  assert.equal(formatParams({ x: '"already"' }), ';x="already"');
  assert.equal(formatParams({ x: '' }), ';x=""');
  assert.equal(formatParams({ received: '[::1]' }), ';received=[::1]');
  const samples: Params[] = [{ a: '"x y"', b: null, c: '"q"' }, { q: '0.5' }];
  for (const p of samples) assert.deepEqual(parseParams(formatParams(p)), p);
  // A value that needed quoting comes back with its quotes (values keep their quotes when parsed).
  assert.deepEqual(parseParams(formatParams({ a: 'x y' })), { a: '"x y"' });
});
