/**
 * Robustness: parseMessage on arbitrary bytes and on mutated valid messages (RFC 4475 fixtures and a
 * typical INVITE) throws nothing but SipParseError; when it succeeds, every typed getter either works or
 * throws SipParseError, and the serialized message parses again to the same start line, headers and body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseMessage } from './parse.ts';
import { serializeMessage } from './serialize.ts';
import { SipRequest } from './message.ts';
import type { SipMessage } from './message.ts';
import { SipParseError } from './errors.ts';
import { parseMultipart } from './multipart.ts';

const DIR = new URL('../../../test/fixtures/rfc4475/', import.meta.url);
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.dat'))
  .sort()
  .map((f) => readFileSync(new URL(f, DIR)));

const INVITE = Buffer.from(
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport\r\n' +
    'Max-Forwards: 70\r\nFrom: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n' +
    'To: Bob <sip:bob@biloxi.example.com>\r\nCall-ID: 3848276298220188511@atlanta.example.com\r\n' +
    'CSeq: 1 INVITE\r\nContact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n' +
    'Route: <sip:p1.example.com;lr>, <sip:[2001:db8::1];lr>\r\nContent-Type: multipart/mixed;boundary=b1\r\n' +
    'Content-Length: 52\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b1--\r\n1234567',
);
const BASES = [INVITE, ...FIXTURES];

const getters: ((m: SipMessage) => unknown)[] = [
  (m) => m.vias, (m) => m.topVia, (m) => m.from, (m) => m.to, (m) => m.fromTag, (m) => m.toTag, (m) => m.callId,
  (m) => m.cseq, (m) => m.contacts, (m) => m.routes, (m) => m.recordRoutes, (m) => m.maxForwards, (m) => m.contentType,
  (m) => m.contentTypeParams, (m) => m.expires, (m) => m.require, (m) => m.supported, (m) => m.date,
  (m) => (m instanceof SipRequest ? m.requestUri : undefined),
  (m) => parseMultipart(m.body, m.headers.get('Content-Type') ?? ''),
];

function onlyParseErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
  }
}

function check(data: Buffer): void {
  let m: SipMessage;
  try {
    m = parseMessage(data);
  } catch (e) {
    if (e instanceof SipParseError) return;
    throw e;
  }
  for (const g of getters) onlyParseErrors(() => g(m));
  const again = parseMessage(serializeMessage(m));
  assert.equal(again.startLine(), m.startLine());
  assert.deepEqual([...again.headers].filter(([n]) => n !== 'Content-Length'), [...m.headers].filter(([n]) => n !== 'Content-Length'));
  assert.deepEqual(again.body, m.body);
}

const INTERESTING = ['\r', '\n', '\r\n', '\r\n ', '\r\n\r\n', ' ', '\t', ':', ';', ',', '"', '\\', '<', '>', '%', '%0', '@', '=', '[', ']', '?', '&', '/', '\x00', '\xff', 'SIP/2.0', 'z9hG4bK', '--b1', ';tag=', 'Via: ', 'l: 5\r\n'];

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'copy'; at: number; from: number; len: number }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INTERESTING) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(base: Buffer, ops: Mutation[]): Buffer {
  let b = base;
  for (const op of ops) {
    const at = b.length === 0 ? 0 : op.at % (b.length + 1);
    switch (op.kind) {
      case 'set':
        if (b.length > 0) {
          b = Buffer.from(b);
          b[at % b.length] = op.byte;
        }
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(op.text, 'latin1'), b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.len)]);
        break;
      case 'copy': {
        const from = b.length === 0 ? 0 : op.from % b.length;
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + op.len), b.subarray(at)]);
        break;
      }
      case 'truncate':
        b = b.subarray(0, at);
        break;
    }
  }
  return b;
}

test('arbitrary bytes: only SipParseError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => check(Buffer.from(bytes))),
    { numRuns: 1500 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => check(Buffer.from(s))),
    { numRuns: 500 },
  );
});

test('mutated valid messages: only SipParseError, and what parses re-serializes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ops) => {
      check(mutate(BASES[i]!, ops));
    }),
    { numRuns: 3000 },
  );
});

test('every fixture, cut at every length, only SipParseError', () => {
  for (const base of [INVITE, ...FIXTURES.slice(0, 12)]) {
    for (let n = 0; n <= base.length; n += 3) check(base.subarray(0, n));
  }
});
