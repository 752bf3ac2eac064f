import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeHa1, expectedResponse, parseDigestRequest, verifyDigest, type DigestRequest } from '../src/lib/digest';

/** RFC 2617 §3.5 example. */
const RFC2617: DigestRequest = {
  method: 'GET',
  username: 'Mufasa',
  realm: 'testrealm@host.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  uri: '/dir/index.html',
  qop: 'auth',
  nc: '00000001',
  cnonce: '0a4f113b',
  response: '6629fae49393a05397450978507c4ef1',
};

/** RFC 7616 §3.9.1 examples (the same request with MD5 and SHA-256). */
const RFC7616_BASE = {
  method: 'GET',
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  uri: '/dir/index.html',
  qop: 'auth',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};
const RFC7616_MD5: DigestRequest = { ...RFC7616_BASE, algorithm: 'MD5', response: '8ca523f5e9506fed4657c9700eebdbec' };
const RFC7616_SHA256: DigestRequest = {
  ...RFC7616_BASE,
  algorithm: 'SHA-256',
  response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
};

/** A SIP REGISTER; expected values computed separately with Python's hashlib. */
const REGISTER = {
  method: 'REGISTER',
  username: 'alice',
  realm: 'example.test',
  nonce: 'abc123',
  uri: 'sip:example.test',
  qop: 'auth',
  nc: '00000001',
  cnonce: 'xyz',
};
const SHA256_HA1 = 'ad681484adb266c0aae2d2283e74f96e032f99b2642896690c964606529465ef';

describe('SIP digest verification', () => {
  it('verifies the RFC 2617 example', () => {
    assert.deepEqual(verifyDigest(RFC2617, { password: 'Circle Of Life' }), { ok: true });
    assert.deepEqual(verifyDigest(RFC2617, { password: 'Circle of Life' }), { ok: false, reason: 'mismatch' });
  });

  it('verifies the RFC 7616 MD5 and SHA-256 examples', () => {
    assert.deepEqual(verifyDigest(RFC7616_MD5, { password: 'Circle of Life' }), { ok: true });
    assert.deepEqual(verifyDigest(RFC7616_SHA256, { password: 'Circle of Life' }), { ok: true });
    assert.deepEqual(verifyDigest(RFC7616_SHA256, { password: 'circle of life' }), { ok: false, reason: 'mismatch' });
  });

  it('verifies with an HA1 instead of a password', () => {
    const ha1 = computeHa1('md5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    assert.deepEqual(verifyDigest(RFC2617, { ha1 }), { ok: true });
    assert.deepEqual(verifyDigest(RFC2617, { ha1: ha1.toUpperCase() }), { ok: true });
    assert.deepEqual(verifyDigest(RFC2617, { ha1: ha1.replace(/^./, '0') === ha1 ? ha1.replace(/^./, '1') : ha1.replace(/^./, '0') }), {
      ok: false,
      reason: 'mismatch',
    });
  });

  it('computes a SHA-256 REGISTER response, plain and -sess', () => {
    assert.equal(computeHa1('sha256', 'alice', 'example.test', 's3cret'), SHA256_HA1);
    const plain = { ...REGISTER, algorithm: 'SHA-256', response: '54e9c3b595a5bfb49dd7dae97f78e264d4ecc666e0ee7598192e4a9883333096' };
    const sess = { ...REGISTER, algorithm: 'SHA-256-sess', response: '9f0753f5d09353a3c00ba30e2e7fe6d1b511021047222156c457d08d2e4b23c7' };
    assert.deepEqual(verifyDigest(plain, { password: 's3cret' }), { ok: true });
    assert.deepEqual(verifyDigest(plain, { ha1: SHA256_HA1 }), { ok: true });
    assert.deepEqual(verifyDigest(sess, { password: 's3cret' }), { ok: true });
    assert.equal(expectedResponse({ ...plain, response: '' }, { password: 's3cret' }), plain.response);
  });

  it('handles MD5 without qop (RFC 2069 form) and with qop', () => {
    const { qop: _q, nc: _n, cnonce: _c, ...noQop } = REGISTER;
    assert.deepEqual(verifyDigest({ ...noQop, response: '58d35315fc2492e0282389e8553b6210' }, { password: 's3cret' }), { ok: true });
    assert.deepEqual(verifyDigest({ ...REGISTER, response: 'b525228e01b7ca369c7cec247b97f67d' }, { password: 's3cret' }), { ok: true });
  });

  it('refuses unknown algorithms and qop auth-int', () => {
    assert.deepEqual(verifyDigest({ ...RFC2617, algorithm: 'SHA-512-256' }, { password: 'Circle Of Life' }), { ok: false, reason: 'unsupported-algorithm' });
    assert.deepEqual(verifyDigest({ ...RFC2617, qop: 'auth-int' }, { password: 'Circle Of Life' }), { ok: false, reason: 'unsupported-qop' });
  });

  it('parses a registration hook body and names the first missing field', () => {
    assert.equal(parseDigestRequest(null), 'authRequest');
    assert.equal(parseDigestRequest({ method: 'REGISTER', username: 'a' }), 'realm');
    const parsed = parseDigestRequest({ ...REGISTER, response: 'r', expires: 3600, nc: 1 });
    assert.equal(typeof parsed, 'object');
    assert.equal((parsed as DigestRequest).nc, '1');
  });
});
