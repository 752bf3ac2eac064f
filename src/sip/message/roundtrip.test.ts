/**
 * Property: for generated requests and responses (random methods, URIs with escaped users, parameters,
 * IPv6 hosts and tel numbers, quoted display names, Via lists, extra headers, binary bodies),
 * parseMessage(serializeMessage(x)) equals x field by field, and serializing again gives the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMessage } from './parse.ts';
import { serializeMessage } from './serialize.ts';
import { SipRequest, SipResponse } from './message.ts';
import { SipHeaders } from './headers.ts';
import { headerKey } from './header-names.ts';
import { formatUri } from './uri.ts';
import { formatContact, formatNameAddr } from './name-addr.ts';
import { formatVia } from './via.ts';
import { quote } from './chars.ts';
import type { CSeq, ContactValue, NameAddr, Params, SipUri, Via } from './types.ts';

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~".split('');
const LOWER_TOKEN_CHARS = TOKEN_CHARS.filter((c) => !/[A-Z]/.test(c));
const WORD_CHARS = [...TOKEN_CHARS, ...'()<>:\\"/[]?{}'.split('')];

const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 });
const lowerToken = fc.string({ unit: fc.constantFrom(...LOWER_TOKEN_CHARS), minLength: 1, maxLength: 10 });
/** Any text without CR/LF (those cannot travel in a header value). */
const text = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'grapheme', minLength, maxLength }).map((s) => s.replace(/[\r\n]/g, ' '));
const tightText = text(0, 16).map((s) => s.trim().replace(/[\r\n]/g, ''));

const host = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.ipV6().map((a) => `[${a}]`),
);

function record<T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>, maxKeys = 3): fc.Arbitrary<Record<string, T>> {
  return fc.uniqueArray(fc.tuple(key, value), { maxLength: maxKeys, selector: ([k]) => k }).map((pairs) => {
    const out: Record<string, T> = {};
    for (const [k, v] of pairs) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

const uriParams: fc.Arbitrary<Params> = record(lowerToken, fc.option(text(1, 8), { nil: null }));

const sipUri: fc.Arbitrary<SipUri> = fc
  .record({
    scheme: fc.constantFrom('sip', 'sips'),
    user: fc.option(text(1, 12), { nil: undefined }),
    password: fc.option(text(0, 6), { nil: undefined }),
    host,
    port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    params: uriParams,
    headers: record(token, text(0, 8), 2),
  })
  .map((u) => {
    const out: SipUri = { scheme: u.scheme, host: u.host, params: u.params, headers: u.headers };
    if (u.user !== undefined) {
      out.user = u.user;
      if (u.password !== undefined) out.password = u.password;
    }
    if (u.port !== undefined) out.port = u.port;
    return out;
  });

const telUri: fc.Arbitrary<SipUri> = fc
  .record({ number: fc.stringMatching(/^\+[0-9]{1,3}(-[0-9]{1,4}){1,3}$/), params: uriParams })
  .map(({ number, params }) => ({ scheme: 'tel', user: number, host: '', params, headers: {} }));

const anyUri = fc.oneof({ weight: 4, arbitrary: sipUri }, { weight: 1, arbitrary: telUri });

/** Header parameter values as a parser returns them: a token, or a quoted-string with its quotes. */
const headerParamValue = fc.oneof(token, text(0, 10).map(quote), fc.constant(null));
const headerParams = record(lowerToken, headerParamValue);

const nameAddr: fc.Arbitrary<NameAddr> = fc
  .record({ displayName: fc.option(text(1, 12), { nil: undefined }), uri: anyUri, params: headerParams })
  .map((n) => (n.displayName === undefined ? { uri: n.uri, params: n.params } : { displayName: n.displayName, uri: n.uri, params: n.params }));

const via: fc.Arbitrary<Via> = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP', 'X-NEW'),
    host,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    branch: token.map((t) => 'z9hG4bK' + t),
    rport: fc.option(fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: null }), { nil: undefined }),
    received: fc.option(fc.ipV4(), { nil: undefined }),
  })
  .map((v) => {
    const params: Params = { branch: v.branch };
    if (v.rport !== undefined) params.rport = v.rport;
    if (v.received !== undefined) params.received = v.received;
    const out: Via = { protocol: 'SIP/2.0', transport: v.transport, host: v.host, params };
    if (v.port !== undefined) out.port = v.port;
    return out;
  });

const RESERVED = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length', 'max-forwards', 'contact']);
const extraHeader = fc.tuple(token.filter((n) => !RESERVED.has(headerKey(n))), tightText);

interface Model {
  request: boolean;
  method: string;
  uri: SipUri;
  status: number;
  reason: string;
  vias: Via[];
  /** How many Vias go into the first field, comma-joined. */
  firstViaField: number;
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
  contacts: ContactValue[];
  maxForwards: number | undefined;
  extra: [string, string][];
  body: Buffer;
}

const model: fc.Arbitrary<Model> = fc
  .record({
    request: fc.boolean(),
    method: fc.oneof(fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'MESSAGE'), token),
    uri: anyUri,
    status: fc.integer({ min: 100, max: 699 }),
    reason: text(0, 20).map((s) => s.replace(/[\r\n]/g, '')),
    vias: fc.array(via, { minLength: 1, maxLength: 4 }),
    firstViaField: fc.integer({ min: 1, max: 4 }),
    from: nameAddr,
    to: nameAddr,
    callId: fc.tuple(
      fc.string({ unit: fc.constantFrom(...WORD_CHARS), minLength: 1, maxLength: 20 }),
      fc.option(fc.domain(), { nil: undefined }),
    ).map(([w, h]) => (h === undefined ? w : `${w}@${h}`)),
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    contacts: fc.oneof({ weight: 1, arbitrary: fc.constant<ContactValue[]>(['*']) }, { weight: 5, arbitrary: fc.array(nameAddr, { maxLength: 3 }) }),
    maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    extra: fc.array(extraHeader, { maxLength: 5 }),
    body: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  })
  // A Request-URI may not carry headers (RFC 3261 19.1.1); parseMessage rejects those.
  .map((r) => ({ ...r, uri: { ...r.uri, headers: {} }, cseq: { seq: r.seq, method: r.method } }));

function build(m: Model): SipRequest | SipResponse {
  const h = new SipHeaders();
  const first = Math.min(m.firstViaField, m.vias.length);
  h.append('Via', m.vias.slice(0, first).map(formatVia).join(', '));
  for (const v of m.vias.slice(first)) h.append('v', formatVia(v));
  h.append('From', formatNameAddr(m.from));
  h.append('t', formatNameAddr(m.to));
  h.append('Call-ID', m.callId);
  h.append('CSeq', `${m.cseq.seq} ${m.cseq.method}`);
  if (m.maxForwards !== undefined) h.append('Max-Forwards', String(m.maxForwards));
  if (m.contacts.length > 0) h.append('Contact', m.contacts.map(formatContact).join(', '));
  for (const [n, v] of m.extra) h.append(n, v);
  return m.request
    ? new SipRequest(m.method, formatUri(m.uri), h, m.body)
    : new SipResponse(m.status, m.reason, h, m.body);
}

test('parse(serialize(x)) equals x for generated messages', () => {
  fc.assert(
    fc.property(model, (m) => {
      const wire = serializeMessage(build(m));
      const p = parseMessage(wire);
      if (m.request) {
        assert.ok(p instanceof SipRequest);
        assert.equal(p.method, m.method);
        assert.deepEqual(p.requestUri, m.uri);
      } else {
        assert.ok(p instanceof SipResponse);
        assert.equal(p.status, m.status);
        assert.equal(p.reason, m.reason);
      }
      assert.deepEqual(p.vias, m.vias);
      assert.deepEqual(p.from, m.from);
      assert.deepEqual(p.to, m.to);
      assert.equal(p.callId, m.callId);
      assert.deepEqual(p.cseq, m.cseq);
      assert.deepEqual(p.contacts, m.contacts);
      assert.equal(p.maxForwards, m.maxForwards);
      for (const [n, v] of m.extra) assert.ok(p.headers.getAll(n).includes(v), `${n}: ${v}`);
      assert.deepEqual(p.body, m.body);
      assert.deepEqual(serializeMessage(p), wire);
    }),
    { numRuns: 400 },
  );
});

test('formatUri / formatNameAddr / formatVia round trip on their own', () => {
  fc.assert(
    fc.property(nameAddr, via, (n, v) => {
      const h = new SipRequest('OPTIONS', formatUri(n.uri), [['Contact', formatNameAddr(n)], ['Via', formatVia(v)]]);
      assert.deepEqual(h.requestUri, n.uri);
      assert.deepEqual(h.contacts, [n]);
      assert.deepEqual(h.vias, [v]);
    }),
    { numRuns: 300 },
  );
});
