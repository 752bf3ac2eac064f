import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from './auth-error.ts';
import { parseDigestChallenges } from './digest-challenge.ts';
import { DigestClientState, answerChallenge, answerDigestChallenges, selectDigestChallenges } from './digest-client.ts';
import { parseDigestCredentials } from './digest-credentials.ts';

const creds = { username: 'Mufasa', password: 'Circle of Life' };

test('answers the RFC 7616 3.9.1 challenge with the documented SHA-256 response', () => {
  const challenges = [
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  ];
  const value = answerChallenge(challenges, creds, 'GET', '/dir/index.html', undefined, {
    cnonce: () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  });
  const cr = parseDigestCredentials(value);
  assert.deepEqual(cr, {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    uri: '/dir/index.html',
    response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    algorithm: 'SHA-256',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    qop: 'auth',
    nc: '00000001',
  });
});

test('nc increments on nonce reuse, restarts with a new cnonce on a new nonce', () => {
  const state = new DigestClientState();
  let n = 0;
  const cnonce = () => `c${++n}`;
  const ch = (nonce: string) => `Digest realm="r", nonce="${nonce}", qop="auth"`;
  const a = parseDigestCredentials(answerChallenge(ch('n1'), creds, 'REGISTER', 'sip:r', undefined, { state, cnonce }));
  const b = parseDigestCredentials(answerChallenge(ch('n1'), creds, 'REGISTER', 'sip:r', undefined, { state, cnonce }));
  const c = parseDigestCredentials(answerChallenge(ch('n2'), creds, 'REGISTER', 'sip:r', undefined, { state, cnonce }));
  assert.deepEqual([a.nc, a.cnonce, b.nc, b.cnonce, c.nc, c.cnonce], ['00000001', 'c1', '00000002', 'c1', '00000001', 'c2']);
  assert.equal(state.nonceOf('r'), 'n2');
});

test('algorithm is omitted when the challenge omitted it (RFC 2617 servers)', () => {
  const cr = parseDigestCredentials(answerChallenge('Digest realm="r", nonce="n", qop="auth"', creds, 'REGISTER', 'sip:r'));
  assert.equal(cr.algorithm, undefined);
});

test('only auth-int offered: the body is digested', () => {
  const a = parseDigestCredentials(answerChallenge('Digest realm="r", nonce="n", qop="auth-int"', creds, 'INVITE', 'sip:r', 'v=0', { cnonce: () => 'c' }));
  const b = parseDigestCredentials(answerChallenge('Digest realm="r", nonce="n", qop="auth-int"', creds, 'INVITE', 'sip:r', 'v=1', { cnonce: () => 'c' }));
  assert.equal(a.qop, 'auth-int');
  assert.notEqual(a.response, b.response);
});

test('selection: strongest per realm, one answer per realm, unknown algorithms skipped', () => {
  const parsed = parseDigestChallenges([
    'Digest realm="a", nonce="1", algorithm=MD5',
    'Digest realm="a", nonce="1", algorithm=SHA-256',
    'Digest realm="b", nonce="2", algorithm=UNKNOWN',
    'Digest realm="b", nonce="2", algorithm=MD5-sess',
  ]);
  assert.deepEqual(selectDigestChallenges(parsed).map((c) => [c.realm, c.algorithm]), [['a', 'SHA-256'], ['b', 'MD5-sess']]);
  const answers = answerDigestChallenges(
    ['Digest realm="a", nonce="1", algorithm=MD5, Digest realm="a", nonce="1", algorithm=SHA-256', 'Digest realm="b", nonce="2", algorithm=MD5-sess'],
    creds, 'INVITE', 'sip:x',
  );
  assert.deepEqual(answers.map((a) => a.realm), ['a', 'b']);
  assert.ok(parseDigestCredentials(answers[1]!.header).cnonce, '-sess without qop still sends a cnonce');
});

test('unanswerable challenges are a typed error', () => {
  assert.throws(
    () => answerChallenge('Digest realm="r", nonce="n", algorithm=SHA-1', creds, 'REGISTER', 'sip:r'),
    (e: unknown) => e instanceof AuthError && e.code === 'SIP_AUTH_UNSUPPORTED',
  );
  assert.throws(
    () => answerChallenge('Digest realm="r", nonce="n", qop="auth-conf"', creds, 'REGISTER', 'sip:r'),
    (e: unknown) => e instanceof AuthError && e.code === 'SIP_AUTH_UNSUPPORTED',
  );
  assert.throws(() => answerChallenge('Digest realm="r"', creds, 'REGISTER', 'sip:r'), (e: unknown) => e instanceof AuthError && e.code === 'SIP_AUTH_MALFORMED');
});
