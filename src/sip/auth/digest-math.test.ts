import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  computeDigestResponse, computeHa1, computeHa2, computeUserhash, digestHash, formatNonceCount, parseNonceCount,
} from './digest-math.ts';
import { type DigestAlgorithm, baseAlgorithm, toDigestAlgorithm } from './digest-algorithm.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

// RFC 7616 section 3.9.1 (password "Circle of Life", errata 4495) and RFC 2617 section 3.5.
const vectors: Array<{ name: string; algorithm: DigestAlgorithm; realm: string; password: string; nonce: string; cnonce: string; expected: string }> = [
  {
    name: 'RFC 7616 3.9.1 MD5',
    algorithm: 'MD5',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    expected: '8ca523f5e9506fed4657c9700eebdbec',
  },
  {
    name: 'RFC 7616 3.9.1 SHA-256',
    algorithm: 'SHA-256',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    expected: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  },
  {
    name: 'RFC 2617 3.5 MD5',
    algorithm: 'MD5',
    realm: 'testrealm@host.com',
    password: 'Circle Of Life',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    cnonce: '0a4f113b',
    expected: '6629fae49393a05397450978507c4ef1',
  },
];

for (const v of vectors) {
  test(`digest response vector: ${v.name}`, () => {
    const ha1 = computeHa1(v.algorithm, 'Mufasa', v.realm, v.password);
    const response = computeDigestResponse({
      algorithm: v.algorithm, ha1, nonce: v.nonce, method: 'GET', uri: '/dir/index.html',
      qop: 'auth', nc: '00000001', cnonce: v.cnonce,
    });
    assert.equal(response, v.expected);
  });
}

test('RFC 2069 (no qop): response = H(HA1:nonce:HA2)', () => {
  const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'CircleOfLife');
  const nonce = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';
  const expected = md5(`${md5('Mufasa:testrealm@host.com:CircleOfLife')}:${nonce}:${md5('GET:/dir/index.html')}`);
  assert.equal(computeDigestResponse({ algorithm: 'MD5', ha1, nonce, method: 'GET', uri: '/dir/index.html' }), expected);
  assert.equal(expected, '1949323746fe6a43ef61f9606e7febea');
});

test('-sess algorithms hash HA1 with nonce and cnonce', () => {
  const ha1 = computeHa1('MD5-sess', 'bob', 'r', 'pw');
  assert.equal(ha1, md5('bob:r:pw'));
  const sess = md5(`${ha1}:n:c`);
  const expected = md5(`${sess}:n:00000002:c:auth:${md5('REGISTER:sip:example.com')}`);
  assert.equal(
    computeDigestResponse({ algorithm: 'MD5-sess', ha1, nonce: 'n', method: 'REGISTER', uri: 'sip:example.com', qop: 'auth', nc: '00000002', cnonce: 'c' }),
    expected,
  );
});

test('qop=auth-int includes H(body) in HA2', () => {
  assert.equal(computeHa2('MD5', 'INVITE', 'sip:a@b', 'auth-int', 'v=0\r\n'), md5(`INVITE:sip:a@b:${md5('v=0\r\n')}`));
  assert.equal(computeHa2('MD5', 'INVITE', 'sip:a@b', 'auth-int'), md5(`INVITE:sip:a@b:${md5('')}`));
  assert.equal(computeHa2('MD5', 'INVITE', 'sip:a@b', 'auth'), md5('INVITE:sip:a@b'));
});

test('SHA-512-256 and userhash use the algorithm hash over UTF-8', () => {
  const h = createHash('sha512-256').update('J\u00e4s\u00f8n Doe:api@example.org', 'utf8').digest('hex');
  assert.equal(computeUserhash('SHA-512-256', 'J\u00e4s\u00f8n Doe', 'api@example.org'), h);
  assert.equal(digestHash('SHA-512-256-sess', 'x'), createHash('sha512-256').update('x').digest('hex'));
  assert.equal(h.length, 64);
});

test('algorithm tokens are case-insensitive and map to a base', () => {
  assert.equal(toDigestAlgorithm('md5'), 'MD5');
  assert.equal(toDigestAlgorithm('sha-256-SESS'), 'SHA-256-sess');
  assert.equal(toDigestAlgorithm('SHA-1'), undefined);
  assert.equal(baseAlgorithm('SHA-512-256-sess'), 'SHA-512-256');
});

test('nonce count format and parse', () => {
  assert.equal(formatNonceCount(1), '00000001');
  assert.equal(formatNonceCount(255), '000000ff');
  assert.equal(parseNonceCount('0000000A'), 10);
  assert.equal(parseNonceCount('zz'), undefined);
  assert.equal(parseNonceCount('123456789'), undefined);
});
