/** Table tests for top-level comma splitting of list headers (RFC 3261 7.3.1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstTopLevelComma, splitHeaderValues, splitStrict } from './split.ts';
import { SipParseError } from './errors.ts';

test('splitHeaderValues: top-level commas only', () => {
  const rows: [string, string[]][] = [
    ['', []],
    ['INVITE', ['INVITE']],
    ['INVITE, ACK ,BYE', ['INVITE', 'ACK', 'BYE']],
    ['a,,b,', ['a', 'b']],
    ['"Doe, John" <sip:j@x>, <sip:k@y>', ['"Doe, John" <sip:j@x>', '<sip:k@y>']],
    ['<sip:a@x;p=1,2>, <sip:b@y>', ['<sip:a@x;p=1,2>', '<sip:b@y>']],
    ['"a \\", b" <sip:a@x>, c', ['"a \\", b" <sip:a@x>', 'c']],
    ['"unterminated, x', ['"unterminated, x']],
  ];
  for (const [text, parts] of rows) assert.deepEqual(splitHeaderValues(text), parts, text);
});

test('splitStrict: rejects empty elements and unbalanced brackets', () => {
  assert.deepEqual(splitStrict(' a , b '), ['a', 'b']);
  for (const text of ['', ' ', 'a,', ',a', 'a,,b', '<sip:a@x, b', '"x, y']) {
    assert.throws(() => splitStrict(text), SipParseError, JSON.stringify(text));
  }
});

test('firstTopLevelComma', () => {
  assert.equal(firstTopLevelComma('a, b'), 1);
  assert.equal(firstTopLevelComma('"a,b" <x,y>, c'), 11);
  assert.equal(firstTopLevelComma('abc'), -1);
});
