/**
 * Serialization (RFC 8866 section 5 order, CRLF) and round trips: for every fixture and for random
 * descriptions that parse, parse(write(parse(x))) equals parse(x) and writing is idempotent; the text
 * has no bare LF and no repeated attribute line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseSdp } from './parse-sdp.ts';
import { writeSdp } from './write-sdp.ts';
import { SdpError } from './sdp-error.ts';
import type { SdpSession } from './sdp-model.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const NAMES = readdirSync(DIR).filter((f) => f.endsWith('.sdp')).sort();

function assertWellFormed(text: string): void {
  assert.ok(text.endsWith('\r\n'));
  assert.doesNotMatch(text, /[^\r]\n|\r[^\n]/);
  const lines = text.split('\r\n').slice(0, -1);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.slice(0, 2)), ['v=', 'o=']);
  let section: string[] = [];
  for (const line of lines) {
    assert.match(line, /^[a-z]=/);
    if (line.startsWith('m=')) section = [];
    assert.ok(!section.includes(line), `duplicate line ${line}`);
    section.push(line);
  }
  assert.equal(lines.filter((l) => l === 't=0 0').length, 1);
}

for (const name of NAMES) {
  test(`round trip: ${name}`, () => {
    const first = parseSdp(readFileSync(new URL(name, DIR)));
    const text = writeSdp(first);
    assertWellFormed(text);
    assert.deepEqual(parseSdp(text), first);
    assert.equal(writeSdp(parseSdp(text)), text);
  });
}

test('write: the sipp offer comes back line for line', () => {
  const text = readFileSync(new URL('sipp-uac.sdp', DIR), 'utf8');
  assert.equal(writeSdp(parseSdp(text)), text);
});

test('write: 64-bit o= versions and ids are kept exactly', () => {
  const text = 'v=0\r\no=- 18446744073709551615 18446744073709551614 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';
  assert.match(writeSdp(parseSdp(text)), /^v=0\r\no=- 18446744073709551615 18446744073709551614 IN IP4 192.0.2.1\r\n/);
});

test('write: repeated attributes are written once', () => {
  const text = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\na=sendrecv\r\na=sendrecv\r\na=x-foo:1\r\na=x-foo:1\r\na=candidate:1 1 udp 1 192.0.2.1 5000 typ host\r\na=candidate:1 1 udp 1 192.0.2.1 5000 typ host\r\na=ptime:20\r\na=ptime:20\r\n';
  const out = writeSdp(parseSdp(text));
  assertWellFormed(out);
  for (const line of ['a=sendrecv', 'a=x-foo:1', 'a=ptime:20']) assert.equal(out.split('\r\n').filter((l) => l === line).length, 1);
});

test('write: a hand-built session with a repeated raw attribute still writes it once', () => {
  const base = parseSdp(readFileSync(new URL('baresip.sdp', DIR)));
  const media = base.media[0];
  assert.ok(media);
  const doubled: SdpSession = { ...base, media: [{ ...media, attributes: [...media.attributes, ...media.attributes] }] };
  assertWellFormed(writeSdp(doubled));
});

const VALUES = [
  'rtpmap:101 telephone-event/8000', 'rtpmap:96 opus/48000/2', 'rtpmap:97 L16/16000/1', 'fmtp:101 0-16', 'fmtp:96 a=b; c=d',
  'ptime:20', 'ptime:22.5', 'maxptime:40', 'sendonly', 'recvonly', 'inactive', 'sendrecv', 'rtcp:5001', 'rtcp:5001 IN IP6 ::1',
  'rtcp-mux', 'mid:a', 'ice-ufrag:x', 'ice-pwd:y', 'ice-lite', 'fingerprint:sha-256 AA', 'setup:actpass', 'end-of-candidates',
  'candidate:1 1 udp 1 192.0.2.1 1 typ host', 'ssrc:1 cname:x', 'ssrc-group:FID 1 2', 'crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x',
  'group:BUNDLE a', 'extmap:1 urn:x', 'x-custom', 'rtcp-fb:* nack',
];
const attrArb = fc.oneof(fc.constantFrom(...VALUES), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}(:[!-~][ -~]{0,10}[!-~])?$/));
const mediaArb = fc.record({
  type: fc.constantFrom('audio', 'video', 'application', 'image'),
  port: fc.integer({ min: 0, max: 65535 }),
  proto: fc.constantFrom('RTP/AVP', 'RTP/SAVPF', 'UDP/TLS/RTP/SAVPF', 'udptl'),
  fmts: fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 6 }),
  conn: fc.option(fc.constantFrom('IN IP4 192.0.2.2', 'IN IP6 2001:db8::2', 'IN IP4 0.0.0.0')),
  bw: fc.option(fc.constantFrom('AS:64', 'TIAS:64000')),
  attrs: fc.array(attrArb, { maxLength: 8 }),
});

test('fast-check: random descriptions that parse survive write/parse unchanged', () => {
  fc.assert(
    fc.property(
      fc.array(attrArb, { maxLength: 5 }),
      fc.array(mediaArb, { minLength: 1, maxLength: 4 }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      (sessionAttrs, media, version) => {
        const lines = ['v=0', `o=- 7 ${version} IN IP4 192.0.2.1`, 's=x', 'c=IN IP4 192.0.2.1', 't=0 0'];
        lines.push(...sessionAttrs.map((a) => `a=${a}`));
        for (const m of media) {
          lines.push(`m=${m.type} ${m.port} ${m.proto} ${m.proto === 'udptl' ? 't38' : m.fmts.join(' ')}`);
          if (m.conn) lines.push(`c=${m.conn}`);
          if (m.bw) lines.push(`b=${m.bw}`);
          lines.push(...m.attrs.map((a) => `a=${a}`));
        }
        let first: SdpSession;
        try {
          first = parseSdp(`${lines.join('\r\n')}\r\n`);
        } catch (err) {
          if (err instanceof SdpError && err.code === 'SDP_PARSE') return;
          throw err;
        }
        const text = writeSdp(first);
        assertWellFormed(text);
        assert.deepEqual(parseSdp(text), first);
        assert.equal(writeSdp(parseSdp(text)), text);
      },
    ),
    { numRuns: 1500 },
  );
});
