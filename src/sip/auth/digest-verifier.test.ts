import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { type DigestAlgorithm, DIGEST_ALGORITHMS } from './digest-algorithm.ts';
import { parseDigestChallenge } from './digest-challenge.ts';
import { DigestClientState, answerChallenge, answerDigestChallenge } from './digest-client.ts';
import { formatDigestCredentials, parseDigestCredentials } from './digest-credentials.ts';
import { computeHa1 } from './digest-math.ts';
import { type DigestAuthResult, type DigestUserLookup, DigestVerifier } from './digest-verifier.ts';

const SECRET = 'a-test-secret-of-32-characters!!';
const REALM = 'example.com';
const URI = 'sip:example.com';
const alice = { username: 'alice', password: 'wonderland' };
const lookup: DigestUserLookup = async (u, r) => (u === 'alice' && r === REALM ? { password: 'wonderland' } : undefined);

function setup(options: { algorithms?: readonly DigestAlgorithm[]; lifetimeMs?: number; allowNoQop?: boolean } = {}) {
  const clock = new VirtualClock(1_700_000_000_000);
  const verifier = new DigestVerifier({
    secret: SECRET, clock, nonceLifetimeMs: options.lifetimeMs ?? 60_000,
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
    ...(options.allowNoQop !== undefined ? { allowNoQop: options.allowNoQop } : {}),
  });
  return { clock, verifier };
}

function failed(r: DigestAuthResult) {
  assert.equal(r.ok, false);
  if (r.ok) throw new Error('unreachable');
  return r;
}

test('no credentials: 401 with one challenge per algorithm, SHA-256 first (RFC 8760)', async () => {
  const { verifier } = setup();
  const r = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
  assert.equal(r.status, 401);
  assert.equal(r.reason, 'Unauthorized');
  assert.equal(r.header, 'WWW-Authenticate');
  assert.equal(r.cause, 'missing');
  assert.deepEqual(r.challenges.map((c) => parseDigestChallenge(c).algorithm), ['SHA-256', 'MD5']);
  const proxy = failed(await verifier.verify({ method: 'INVITE', requestUri: URI, credentials: undefined, realm: REALM, lookup, kind: 'proxy' }));
  assert.equal(proxy.status, 407);
  assert.equal(proxy.header, 'Proxy-Authenticate');
});

for (const algorithm of DIGEST_ALGORITHMS) {
  test(`round trip client -> server with ${algorithm}`, async () => {
    const { verifier } = setup({ algorithms: [algorithm] });
    const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
    const state = new DigestClientState();
    const auth = answerChallenge(first.challenges, alice, 'REGISTER', URI, undefined, { state });
    assert.deepEqual(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: auth, realm: REALM, lookup }), {
      ok: true, username: 'alice', realm: REALM, algorithm,
    });
    // Reusing the nonce with the next nc is accepted (preemptive authentication).
    const again = answerChallenge(first.challenges, alice, 'REGISTER', URI, undefined, { state });
    assert.equal(parseDigestCredentials(again).nc, '00000002');
    assert.equal((await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: again, realm: REALM, lookup })).ok, true);
  });
}

test('client picks the strongest offered algorithm', async () => {
  const { verifier } = setup({ algorithms: ['MD5', 'SHA-512-256', 'SHA-256'] });
  const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
  const auth = answerChallenge(first.challenges, alice, 'REGISTER', URI);
  assert.equal(parseDigestCredentials(auth).algorithm, 'SHA-512-256');
});

test('stored HA1 works for its algorithm; an HA1 of another hash gets a new challenge', async () => {
  const { verifier } = setup({ algorithms: ['SHA-256', 'MD5'] });
  const ha1Lookup: DigestUserLookup = async () => ({ ha1: computeHa1('MD5', 'alice', REALM, 'wonderland'), algorithm: 'MD5' });
  const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup: ha1Lookup }));
  const md5 = first.challenges.find((c) => c.includes('algorithm=MD5'))!;
  const sha = first.challenges.find((c) => c.includes('algorithm=SHA-256'))!;
  assert.equal((await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: answerChallenge(md5, alice, 'REGISTER', URI), realm: REALM, lookup: ha1Lookup })).ok, true);
  const r = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: answerChallenge(sha, alice, 'REGISTER', URI), realm: REALM, lookup: ha1Lookup }));
  assert.equal(r.cause, 'algorithm');
});

interface FailCase {
  name: string;
  tweak: (auth: string, challenges: string[]) => string | undefined;
  verifyUri?: string;
  method?: string;
  expect: { status: number; cause: string; stale?: boolean };
}

const failCases: FailCase[] = [
  { name: 'wrong password', tweak: (_a, ch) => answerChallenge(ch, { username: 'alice', password: 'nope' }, 'REGISTER', URI), expect: { status: 401, cause: 'password' } },
  { name: 'unknown user', tweak: (_a, ch) => answerChallenge(ch, { username: 'mallory', password: 'x' }, 'REGISTER', URI), expect: { status: 401, cause: 'unknown-user' } },
  { name: 'wrong uri (digest uri differs from Request-URI)', tweak: (a) => a, verifyUri: 'sip:other.example.com', expect: { status: 400, cause: 'uri' } },
  { name: 'wrong method', tweak: (a) => a, method: 'INVITE', expect: { status: 401, cause: 'password' } },
  { name: 'wrong realm', tweak: (a) => formatDigestCredentials({ ...parseDigestCredentials(a), realm: 'evil.com' }), expect: { status: 401, cause: 'realm' } },
  { name: 'forged nonce', tweak: (a) => formatDigestCredentials({ ...parseDigestCredentials(a), nonce: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), expect: { status: 401, cause: 'nonce' } },
  { name: 'unoffered algorithm', tweak: (a) => formatDigestCredentials({ ...parseDigestCredentials(a), algorithm: 'SHA-512-256' }), expect: { status: 401, cause: 'algorithm' } },
  { name: 'malformed header', tweak: () => 'Digest username="alice", realm=', expect: { status: 400, cause: 'malformed' } },
  { name: 'qop without nc', tweak: (a) => { const { nc: _nc, ...rest } = parseDigestCredentials(a); return formatDigestCredentials(rest); }, expect: { status: 400, cause: 'malformed' } },
  { name: 'only Basic credentials', tweak: () => 'Basic YWxpY2U6d29uZGVybGFuZA==', expect: { status: 401, cause: 'missing' } },
];

for (const c of failCases) {
  test(`verify fails: ${c.name}`, async () => {
    const { verifier } = setup();
    const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
    const good = answerChallenge(first.challenges, alice, 'REGISTER', URI);
    const creds = c.tweak(good, first.challenges);
    const r = failed(await verifier.verify({ method: c.method ?? 'REGISTER', requestUri: c.verifyUri ?? URI, credentials: creds, realm: REALM, lookup }));
    assert.equal(r.status, c.expect.status);
    assert.equal(r.cause, c.expect.cause);
    if (r.status === 401) {
      assert.equal(r.challenges.length, 2);
      assert.equal(parseDigestChallenge(r.challenges[0]!).stale ?? false, c.expect.stale ?? false);
    } else assert.deepEqual(r.challenges, []);
  });
}

test('expired nonce with correct response: challenge again with stale=true', async () => {
  const { clock, verifier } = setup({ lifetimeMs: 30_000 });
  const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
  clock.advance(30_001);
  const auth = answerChallenge(first.challenges, alice, 'REGISTER', URI);
  const r = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: auth, realm: REALM, lookup }));
  assert.equal(r.cause, 'stale');
  assert.equal(parseDigestChallenge(r.challenges[0]!).stale, true);
  // The client answers the stale challenge without asking its user, and succeeds.
  const retry = answerChallenge(r.challenges, alice, 'REGISTER', URI);
  assert.equal((await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: retry, realm: REALM, lookup })).ok, true);
  // An expired nonce with a wrong password is not stale.
  clock.advance(30_001);
  const bad = answerChallenge(r.challenges, { username: 'alice', password: 'x' }, 'REGISTER', URI);
  assert.equal(parseDigestChallenge(failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: bad, realm: REALM, lookup })).challenges[0]!).stale, undefined);
});

test('replayed or lower nonce-count is rejected', async () => {
  const { verifier } = setup();
  const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
  const ch = parseDigestChallenge(first.challenges[0]!);
  const state = new DigestClientState();
  const a1 = answerDigestChallenge(ch, alice, 'REGISTER', URI, { state }).header;
  const a2 = answerDigestChallenge(ch, alice, 'REGISTER', URI, { state }).header;
  const a3 = answerDigestChallenge(ch, alice, 'REGISTER', URI, { state }).header;
  const v = (creds: string) => verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: creds, realm: REALM, lookup });
  assert.equal((await v(a1)).ok, true);
  assert.equal(failed(await v(a1)).cause, 'replay');
  assert.equal((await v(a3)).ok, true);
  assert.equal(failed(await v(a2)).cause, 'replay');
});

test('RFC 2069 credentials (no qop) are accepted unless disabled', async () => {
  for (const allowNoQop of [true, false]) {
    const { verifier } = setup({ algorithms: ['MD5'], allowNoQop });
    const first = failed(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: undefined, realm: REALM, lookup }));
    const { qop: _q, ...legacy } = parseDigestChallenge(first.challenges[0]!);
    const auth = answerDigestChallenge(legacy, alice, 'REGISTER', URI).header;
    assert.doesNotMatch(auth, /qop|nc=|cnonce/);
    const r = await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: auth, realm: REALM, lookup });
    assert.equal(r.ok, allowNoQop);
  }
});

test('credentials for several realms: the one for our realm is used', async () => {
  const { verifier } = setup();
  const first = failed(await verifier.verify({ method: 'INVITE', requestUri: URI, credentials: undefined, realm: REALM, lookup, kind: 'proxy' }));
  const ours = answerChallenge(first.challenges, alice, 'INVITE', URI);
  const other = 'Digest username="alice", realm="upstream", nonce="x", uri="sip:example.com", response="00"';
  const r = await verifier.verify({ method: 'INVITE', requestUri: URI, credentials: [other, ours], realm: REALM, lookup, kind: 'proxy' });
  assert.equal(r.ok, true);
});

test('userhash credentials resolve through resolveUserhash', async () => {
  const clock = new VirtualClock(10);
  const { computeUserhash } = await import('./digest-math.ts');
  const verifier = new DigestVerifier({
    secret: SECRET, clock, algorithms: ['SHA-256'],
    resolveUserhash: async (h, realm, alg) => (h === computeUserhash(alg, 'alice', realm) ? 'alice' : undefined),
  });
  const ch = { ...parseDigestChallenge(verifier.challenges(REALM)[0]!), userhash: true };
  const auth = answerDigestChallenge(ch, alice, 'REGISTER', URI).header;
  assert.equal(parseDigestCredentials(auth).userhash, true);
  assert.notEqual(parseDigestCredentials(auth).username, 'alice');
  assert.deepEqual(await verifier.verify({ method: 'REGISTER', requestUri: URI, credentials: auth, realm: REALM, lookup }), {
    ok: true, username: 'alice', realm: REALM, algorithm: 'SHA-256',
  });
});
