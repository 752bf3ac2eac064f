/** Multipart bodies (RFC 2046 5.1, RFC 4475 3.1.1.11). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildMultipart, parseMultipart } from './multipart.ts';
import { parseMessage } from './parse.ts';
import { SipHeaders } from './headers.ts';
import { SipParseError } from './errors.ts';

const FIXTURES = new URL('../../../test/fixtures/rfc4475/', import.meta.url);

test('RFC 4475 mpart01: two parts, the second binary', () => {
  const m = parseMessage(readFileSync(new URL('mpart01.dat', FIXTURES)));
  assert.equal(m.contentType, 'multipart/mixed');
  const parts = parseMultipart(m.body, m.headers.get('Content-Type') ?? '');
  assert.equal(parts.length, 2);
  assert.equal(parts[0]?.headers.get('content-type'), 'text/plain');
  assert.equal(parts[0]?.body.toString(), 'See the attached key.');
  assert.equal(parts[1]?.headers.get('Content-Type'), 'application/octet-stream');
  assert.equal(parts[1]?.headers.get('Content-Transfer-Encoding'), 'binary');
  assert.equal(parts[1]?.body[0], 0x30);
  assert.equal(parts[1]?.body[1], 0x82);
  const raw = m.body;
  const start = raw.indexOf(parts[1]!.body);
  assert.ok(start > 0);
  assert.equal(raw.subarray(start + parts[1]!.body.length).toString(), '\r\n--sb-4f19c2a7e0d3--\r\n');
});

test('buildMultipart then parseMultipart round trips (SIPREC-style parts)', () => {
  const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n';
  const xml = '<?xml version="1.0"?>\r\n<recording xmlns="urn:ietf:params:xml:ns:recording:1"/>';
  const bin = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
  const { body, contentType } = buildMultipart([
    { headers: [['Content-Type', 'application/sdp']], body: sdp },
    { headers: new SipHeaders([['Content-Type', 'application/rs-metadata+xml'], ['Content-Disposition', 'recording-session']]), body: xml },
    { headers: [], body: bin },
  ]);
  assert.match(contentType, /^multipart\/mixed;boundary=[0-9a-f]{24}$/);
  const parts = parseMultipart(body, contentType);
  assert.equal(parts.length, 3);
  assert.equal(parts[0]?.body.toString(), sdp);
  assert.equal(parts[1]?.body.toString(), xml);
  assert.equal(parts[1]?.headers.get('content-disposition'), 'recording-session');
  assert.deepEqual(parts[2]?.body, bin);
  assert.equal(parts[2]?.headers.size, 0);
});

test('explicit and quoted boundaries', () => {
  const { body, contentType } = buildMultipart([{ headers: [['Content-Type', 'text/plain']], body: 'a' }], 'b 1', 'related');
  assert.equal(contentType, 'multipart/related;boundary="b 1"');
  assert.equal(body.toString(), '--b 1\r\nContent-Type: text/plain\r\n\r\na\r\n--b 1--\r\n');
  assert.equal(parseMultipart(body, contentType)[0]?.body.toString(), 'a');
  assert.throws(() => buildMultipart([{ headers: [], body: 'x--zz' }], 'zz'));
});

test('preamble, epilogue and padding are ignored', () => {
  const body = Buffer.from('preamble\r\n--xyz  \r\nContent-Type: text/plain\r\n\r\none\r\n--xyz\r\n\r\ntwo\r\n--xyz--\r\nepilogue');
  const parts = parseMultipart(body, 'multipart/mixed; boundary=xyz');
  assert.deepEqual(parts.map((p) => p.body.toString()), ['one', 'two']);
});

test('malformed multipart bodies', () => {
  const rows: [string, string][] = [
    ['--a\r\n\r\nx', 'multipart/mixed;boundary=a'],
    ['no boundary here', 'multipart/mixed;boundary=a'],
    ['--a\r\n\r\nx\r\n--a--', 'application/sdp'],
    ['--a\r\n\r\nx\r\n--a--', 'multipart/mixed'],
    ['--ab\r\n\r\nx\r\n--a--', 'multipart/mixed;boundary=a'],
  ];
  for (const [body, ct] of rows) assert.throws(() => parseMultipart(Buffer.from(body), ct), SipParseError, `${ct}: ${body}`);
});
