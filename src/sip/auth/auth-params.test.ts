import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AuthError } from './auth-error.ts';
import { formatAuthHeaderItem, parseAuthHeader } from './auth-params.ts';
import { formatDigestChallenge, parseDigestChallenge, parseDigestChallenges, type DigestChallenge } from './digest-challenge.ts';
import { formatDigestCredentials, parseDigestCredentials, type DigestCredentials } from './digest-credentials.ts';

const parseCases: Array<{ name: string; input: string; expected: ReturnType<typeof parseAuthHeader> }> = [
  {
    name: 'RFC 3261 style challenge',
    input: 'Digest realm="atlanta.com", domain="sip:boxesbybob.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    expected: [{ scheme: 'Digest', params: { realm: 'atlanta.com', domain: 'sip:boxesbybob.com', qop: 'auth', nonce: 'f84f1cec41e6cbe5aea9c8e88d359', opaque: '', stale: 'FALSE', algorithm: 'MD5' } }],
  },
  {
    name: 'case-insensitive names, odd whitespace, escapes',
    input: 'digest  REALM = "a \\"quoted\\" \\\\ realm" ,NONCE=abc',
    expected: [{ scheme: 'digest', params: { realm: 'a "quoted" \\ realm', nonce: 'abc' } }],
  },
  {
    name: 'several challenges in one value',
    input: 'Digest realm="a", nonce="1", algorithm=SHA-256, Digest realm="a", nonce="1", algorithm=MD5',
    expected: [
      { scheme: 'Digest', params: { realm: 'a', nonce: '1', algorithm: 'SHA-256' } },
      { scheme: 'Digest', params: { realm: 'a', nonce: '1', algorithm: 'MD5' } },
    ],
  },
  {
    name: 'token68 and bare schemes',
    input: 'Basic dXNlcjpwYXNz==, Negotiate, Digest realm="x", nonce="y"',
    expected: [
      { scheme: 'Basic', params: {}, token68: 'dXNlcjpwYXNz==' },
      { scheme: 'Negotiate', params: {} },
      { scheme: 'Digest', params: { realm: 'x', nonce: 'y' } },
    ],
  },
  {
    name: 'empty list elements are skipped',
    input: ' , Digest realm="x",, nonce="y" ,',
    expected: [{ scheme: 'Digest', params: { realm: 'x', nonce: 'y' } }],
  },
];

for (const c of parseCases) {
  test(`parseAuthHeader: ${c.name}`, () => {
    assert.deepEqual(parseAuthHeader(c.input), c.expected);
  });
}

const malformedCases = ['', '   ', 'Digest realm="unterminated', 'Digest realm="a" nonce="b"', 'Digest realm="a", realm="b"', 'Digest="x"', '"Digest"', 'Digest realm=a nonce'];
for (const input of malformedCases) {
  test(`parseAuthHeader rejects ${JSON.stringify(input)} with SIP_AUTH_MALFORMED`, () => {
    assert.throws(() => parseAuthHeader(input), (err: unknown) => err instanceof AuthError && err.code === 'SIP_AUTH_MALFORMED');
  });
}

test('typed challenge: qop list, stale, defaults, extras', () => {
  const ch = parseDigestChallenge('Digest realm="biloxi.com", qop="auth,auth-int", nonce="dcd98b", stale=TRUE, x-foo=bar');
  assert.deepEqual(ch, { realm: 'biloxi.com', nonce: 'dcd98b', qop: ['auth', 'auth-int'], stale: true, extra: { 'x-foo': 'bar' } });
  assert.equal(
    formatDigestChallenge(ch),
    'Digest realm="biloxi.com", nonce="dcd98b", stale=true, qop="auth,auth-int", x-foo="bar"',
  );
  assert.throws(() => parseDigestChallenge('Digest nonce="x"'), AuthError);
  assert.throws(() => parseDigestChallenge('Basic realm="x"'), AuthError);
  assert.equal(parseDigestChallenges(['Basic realm="x"', 'Digest realm="r", nonce="n"']).length, 1);
});

test('typed credentials: RFC 3261 example shape, tokens for qop/nc/algorithm', () => {
  const value = 'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
  const cr = parseDigestCredentials(value);
  assert.equal(cr.username, 'bob');
  assert.equal(cr.qop, 'auth');
  assert.equal(cr.nc, '00000001');
  const formatted = formatDigestCredentials(cr);
  assert.match(formatted, /qop=auth, nc=00000001/);
  assert.deepEqual(parseDigestCredentials(formatted), cr);
  assert.throws(() => parseDigestCredentials('Digest username="a", realm="b", nonce="c", uri="d"'), AuthError);
  assert.equal(parseDigestCredentials("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"").username, 'J\u00e4s\u00f8n Doe');
});

test('a parameter named __proto__ stays plain data', () => {
  const [item] = parseAuthHeader('Digest __proto__="x", realm="r"');
  assert.equal(Object.getPrototypeOf(item!.params), Object.prototype);
  assert.deepEqual(Object.keys(item!.params), ['__proto__', 'realm']);
});

test('formatting refuses CR/LF (header injection) with a typed error', () => {
  assert.throws(() => formatDigestChallenge({ realm: 'a\r\nVia: x', nonce: 'n' }), (e: unknown) => e instanceof AuthError && e.code === 'SIP_AUTH_MALFORMED');
});

// Property tests.
const tokenArb = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,12}$/);
const nameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const valueArb = fc.string({ maxLength: 24 }).filter((s) => !/[\r\n\0]/.test(s));

test('property: format then parse is identity for generic auth items', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ scheme: tokenArb, params: fc.dictionary(nameArb, valueArb, { minKeys: 1, maxKeys: 6 }).map((d) => ({ ...d })) }).map((r) => ({ ...r })), { minLength: 1, maxLength: 3 }),
      fc.array(nameArb, { maxLength: 4 }),
      (items, tokenNames) => {
        const text = items.map((i) => formatAuthHeaderItem(i, new Set(tokenNames))).join(', ');
        assert.deepEqual(parseAuthHeader(text), items);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: typed challenge and credentials round-trip', () => {
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const challengeArb = fc.record({
    realm: valueArb, nonce: valueArb, domain: opt(valueArb), opaque: opt(valueArb), stale: opt(fc.boolean()),
    algorithm: opt(tokenArb), qop: opt(fc.array(fc.constantFrom('auth', 'auth-int'), { minLength: 1, maxLength: 2 })),
    charset: opt(tokenArb), userhash: opt(fc.boolean()),
  });
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  fc.assert(
    fc.property(challengeArb, (raw) => {
      const ch = strip(raw) as DigestChallenge;
      assert.deepEqual(parseDigestChallenge(formatDigestChallenge(ch)), ch);
    }),
    { numRuns: 300 },
  );
  const credArb = fc.record({
    username: valueArb, realm: valueArb, nonce: valueArb, uri: valueArb, response: valueArb,
    algorithm: opt(tokenArb), cnonce: opt(valueArb), opaque: opt(valueArb), qop: opt(tokenArb), nc: opt(fc.stringMatching(/^[0-9a-f]{8}$/)),
    userhash: opt(fc.boolean()),
  });
  fc.assert(
    fc.property(credArb, (raw) => {
      const cr = strip(raw) as DigestCredentials;
      assert.deepEqual(parseDigestCredentials(formatDigestCredentials(cr)), cr);
    }),
    { numRuns: 300 },
  );
});

test('property: parse never throws anything but AuthError', () => {
  const alphabet = fc.constantFrom('D', 'i', 'g', 'e', 's', 't', ' ', ',', '=', '"', '\\', 'a', 'r', '\t', '/', '+', 'é', '\r', '\n');
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''))), (s) => {
      for (const parse of [parseAuthHeader, parseDigestChallenges, parseDigestCredentials]) {
        try {
          parse(s);
        } catch (err) {
          assert.ok(err instanceof AuthError, `unexpected ${String(err)}`);
        }
      }
    }),
    { numRuns: 2000 },
  );
});
