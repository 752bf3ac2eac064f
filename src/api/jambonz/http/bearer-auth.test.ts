import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken, sameSecret } from './bearer-auth.ts';
import { splitListen } from './http-server.ts';

describe('bearer tokens', () => {
  const table: [unknown, string | undefined][] = [
    ['Bearer abc-123', 'abc-123'], ['bearer abc', 'abc'], ['Bearer   abc  ', 'abc'],
    ['Bearer', undefined], ['Bearer a b', undefined], ['Basic abc', undefined], ['abc', undefined], [undefined, undefined], [['Bearer a'], undefined],
  ];
  for (const [header, token] of table) it(`${JSON.stringify(header)} -> ${String(token)}`, () => assert.equal(bearerToken(header), token));
  it('compares secrets by value and length', () => {
    assert.ok(sameSecret('abc', 'abc'));
    assert.equal(sameSecret('abc', 'abd'), false);
    assert.equal(sameSecret('abc', 'abcd'), false);
  });
});

describe('splitListen', () => {
  it('splits host and port, IPv6 in brackets', () => {
    assert.deepEqual(splitListen('127.0.0.1:3000'), { host: '127.0.0.1', port: 3000 });
    assert.deepEqual(splitListen('[::1]:0'), { host: '::1', port: 0 });
  });
});
