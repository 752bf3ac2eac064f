/**
 * Parsing at the edge (RFC 8866 section 5): the fixtures parse into the model the call core reads;
 * malformed descriptions give SdpError SDP_PARSE with a message naming the problem; and, checked with
 * fast-check, nothing else is ever thrown whatever the input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseSdp } from './parse-sdp.ts';
import { MAX_SDP_LENGTH } from './sdp-lines.ts';
import { SdpError } from './sdp-error.ts';
import { viewMedia } from './media-view.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const NAMES = readdirSync(DIR).filter((f) => f.endsWith('.sdp')).sort();
const fixture = (name: string): string => readFileSync(new URL(`${name}.sdp`, DIR), 'utf8');

const HEAD = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n';

test('every fixture parses, from text and from bytes alike', () => {
  assert.ok(NAMES.length >= 12);
  for (const name of NAMES) {
    const bytes = readFileSync(new URL(name, DIR));
    assert.deepEqual(parseSdp(bytes), parseSdp(bytes.toString('utf8')), name);
  }
});

test('sipp: session-level c=, static PCMU with its rtpmap', () => {
  const s = parseSdp(fixture('sipp-uac'));
  assert.deepEqual(s.origin, { username: 'user1', sessionId: '53655765', sessionVersion: '2353687637', family: 'IP4', address: '127.0.0.1' });
  assert.deepEqual(s.connection, { family: 'IP4', address: '127.0.0.1' });
  assert.equal(s.media.length, 1);
  const m = s.media[0];
  assert.ok(m);
  assert.equal(m.type, 'audio');
  assert.equal(m.port, 6000);
  assert.equal(m.protocol, 'RTP/AVP');
  assert.equal(m.connection, undefined);
  assert.deepEqual(m.payloads, [{ pt: 0, encoding: 'PCMU', clockRate: 8000, channels: 1, fmtp: undefined, rtpmap: true }]);
  const view = viewMedia(s, 0);
  assert.deepEqual(view?.connection, { family: 'IP4', address: '127.0.0.1' });
  assert.equal(view?.direction, 'sendrecv');
  assert.equal(view?.hold, false);
});

test('static payload types without rtpmap take their RFC 3551 format; unknown dynamic ones stay unknown', () => {
  const s = parseSdp(`${HEAD}m=audio 5000 RTP/AVP 0 8 9 13 18 97\r\n`);
  const p = s.media[0]?.payloads ?? [];
  assert.deepEqual(p.map((x) => [x.pt, x.encoding, x.clockRate, x.rtpmap]), [
    [0, 'PCMU', 8000, false], [8, 'PCMA', 8000, false], [9, 'G722', 8000, false], [13, 'CN', 8000, false],
    [18, 'G729', 8000, false], [97, undefined, undefined, false],
  ]);
});

test('Chromium: WebRTC protocol, ICE/DTLS/mid/ssrc verbatim, BUNDLE group, c=0.0.0.0 with ICE is not hold', () => {
  const s = parseSdp(fixture('chromium'));
  assert.equal(s.origin.sessionId, '4611731400430051336');
  assert.deepEqual(s.groups, ['BUNDLE 0']);
  assert.deepEqual(s.attributes.map((a) => a.name), ['extmap-allow-mixed', 'msid-semantic']);
  const m = s.media[0];
  assert.ok(m);
  assert.equal(m.protocol, 'UDP/TLS/RTP/SAVPF');
  assert.equal(m.rtcpMux, true);
  assert.deepEqual(m.rtcp, { port: 9, connection: { family: 'IP4', address: '0.0.0.0' } });
  assert.equal(m.transport.mid, '0');
  assert.equal(m.transport.iceOptions, 'trickle');
  assert.equal(m.transport.candidates[1], '435653019 1 tcp 1845501695 192.168.1.7 9 typ host tcptype active generation 0 network-id 1');
  assert.deepEqual(m.payloads.map((p) => `${p.pt} ${p.encoding}/${p.clockRate}/${p.channels}`), [
    '111 opus/48000/2', '63 red/48000/2', '9 G722/8000/1', '0 PCMU/8000/1', '8 PCMA/8000/1', '13 CN/8000/1',
    '110 telephone-event/48000/1', '126 telephone-event/8000/1',
  ]);
  assert.equal(m.payloads[0]?.fmtp, 'minptime=10;useinbandfec=1');
  assert.ok(m.attributes.some((a) => a.name === 'rtcp-fb' && a.value === '111 transport-cc'));
  assert.ok(m.attributes.some((a) => a.name === 'extmap' && a.value === '1 urn:ietf:params:rtp-hdrext:ssrc-audio-level'));
  const view = viewMedia(s, 0);
  assert.equal(view?.legacyHold, false);
  assert.equal(view?.hold, false);
  assert.deepEqual(view?.telephoneEvents.map((p) => p.pt), [110, 126]);
});

interface ViewCase {
  name: string;
  fixture: string;
  index?: number;
  direction: string;
  effective: string;
  hold: boolean;
  address: string;
  ptime?: number;
  maxptime?: number;
}

const views: ViewCase[] = [
  { name: 'media-level sendonly', fixture: 'hold-sendonly', direction: 'sendonly', effective: 'sendonly', hold: true, address: '198.51.100.7' },
  { name: 'session-level inactive', fixture: 'hold-inactive', direction: 'inactive', effective: 'inactive', hold: true, address: '198.51.100.7' },
  { name: 'c=0.0.0.0 legacy hold', fixture: 'hold-c0', direction: 'sendrecv', effective: 'sendonly', hold: true, address: '0.0.0.0' },
  { name: 'ptime and maxptime', fixture: 'ptime30-lf', direction: 'sendrecv', effective: 'sendrecv', hold: false, address: '192.0.2.60', ptime: 30, maxptime: 60 },
  { name: 'media-level c= per stream', fixture: 'savp-and-avp', index: 1, direction: 'sendrecv', effective: 'sendrecv', hold: false, address: '192.0.2.81' },
  { name: 'IPv6', fixture: 'ipv6', direction: 'sendrecv', effective: 'sendrecv', hold: false, address: '2001:db8::10' },
];

for (const v of views) {
  test(`media view: ${v.name}`, () => {
    const view = viewMedia(parseSdp(fixture(v.fixture)), v.index ?? 0);
    assert.ok(view);
    assert.equal(view.direction, v.direction);
    assert.equal(view.effectiveDirection, v.effective);
    assert.equal(view.hold, v.hold);
    assert.equal(view.connection?.address, v.address);
    assert.equal(view.ptime, v.ptime);
    assert.equal(view.maxptime, v.maxptime);
  });
}

test('SDES crypto lines and the T.38 line are kept', () => {
  const s = parseSdp(fixture('savp-and-avp'));
  assert.equal(s.media[0]?.transport.crypto[0], '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32');
  assert.deepEqual(s.media[2] && [s.media[2].type, s.media[2].port, s.media[2].protocol, s.media[2].formats, s.media[2].payloads], ['image', 0, 'udptl', ['t38'], []]);
});

test('malformed media attributes are ignored, not fatal', () => {
  const s = parseSdp(`${HEAD}m=audio 5000 RTP/AVP 96 0\r\na=rtpmap:96\r\na=ptime:abc\r\na=rtcp:99999\r\na=fmtp:0\r\n`);
  const m = s.media[0];
  assert.equal(m?.payloads[0]?.encoding, undefined);
  assert.equal(m?.ptime, undefined);
  assert.equal(m?.rtcp, undefined);
  assert.equal(m?.payloads[1]?.encoding, 'PCMU');
});

interface BadCase {
  name: string;
  input: unknown;
  message: RegExp;
}

const bad: BadCase[] = [
  { name: 'garbage text', input: 'hello, world', message: /line 1 .*<type>=<value>/ },
  { name: 'a SIP message instead of a body', input: 'INVITE sip:bob@example.com SIP/2.0\r\n\r\n', message: /line 1/ },
  { name: 'empty string', input: '', message: /empty/ },
  { name: 'blank lines only', input: '\r\n \r\n', message: /empty/ },
  { name: 'a number', input: 42, message: /expected text, got number/ },
  { name: 'null', input: null, message: /expected text, got null/ },
  { name: 'an object', input: { sdp: 'v=0' }, message: /expected text, got object/ },
  { name: 'invalid UTF-8 bytes', input: Buffer.from([0x76, 0x3d, 0x30, 0x0d, 0x0a, 0xff, 0xfe]), message: /UTF-8/ },
  { name: 'too long', input: `${HEAD}m=audio 5000 RTP/AVP 0\r\n${'a=x\r\n'.repeat(MAX_SDP_LENGTH / 5)}`, message: /longer than/ },
  { name: 'does not start with v=', input: 'o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n', message: /starts with v=0/ },
  { name: 'version 1', input: HEAD.replace('v=0', 'v=1'), message: /version 0/ },
  { name: 'second v=', input: `${HEAD}v=0\r\nm=audio 5000 RTP/AVP 0\r\n`, message: /v= appears more than once/ },
  { name: 'missing o=', input: 'v=0\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n', message: /o= line is missing/ },
  { name: 'malformed o=', input: 'v=0\r\no=- 1 1\r\nm=audio 5000 RTP/AVP 0\r\n', message: /o= must be/ },
  { name: 'o= twice', input: `${HEAD}o=- 2 2 IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP 0\r\n`, message: /more than once/ },
  { name: 'o= inside a media section', input: `${HEAD}m=audio 5000 RTP/AVP 0\r\no=- 2 2 IN IP4 192.0.2.1\r\n`, message: /session level/ },
  { name: 'missing m=', input: HEAD, message: /no m= line/ },
  { name: 'port out of range', input: `${HEAD}m=audio 70000 RTP/AVP 0\r\n`, message: /port 70000 is out of range/ },
  { name: 'very long port', input: `${HEAD}m=audio 0000000000080 RTP/AVP 0\r\n`, message: /out of range/ },
  { name: 'port not a number', input: `${HEAD}m=audio abc RTP/AVP 0\r\n`, message: /m= must be/ },
  { name: 'negative port', input: `${HEAD}m=audio -1 RTP/AVP 0\r\n`, message: /m= must be/ },
  { name: 'port count', input: `${HEAD}m=audio 5000/2 RTP/AVP 0\r\n`, message: /port count/ },
  { name: 'no formats on an active line', input: `${HEAD}m=audio 5000 RTP/AVP\r\n`, message: /at least one format/ },
  { name: 'payload type above 127', input: `${HEAD}m=audio 5000 RTP/AVP 0 200\r\n`, message: /"200" is not a number 0-127/ },
  { name: 'payload type not a number', input: `${HEAD}m=audio 5000 RTP/AVP PCMU\r\n`, message: /"PCMU"/ },
  { name: 'c= with a host name', input: `${HEAD.replace('c=IN IP4 192.0.2.1', 'c=IN IP4 pbx.example.com')}m=audio 5000 RTP/AVP 0\r\n`, message: /not an IPv4 literal/ },
  { name: 'c= IP6 with an IPv4 address', input: `${HEAD.replace('c=IN IP4', 'c=IN IP6')}m=audio 5000 RTP/AVP 0\r\n`, message: /not an IPv6 literal/ },
  { name: 'c= multicast', input: `${HEAD.replace('192.0.2.1\r\nt', '233.252.0.1/127\r\nt')}m=audio 5000 RTP/AVP 0\r\n`, message: /multicast/ },
  { name: 'c= network type', input: `${HEAD.replace('c=IN', 'c=ATM')}m=audio 5000 RTP/AVP 0\r\n`, message: /c= must be/ },
  { name: 'active stream without any c=', input: 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n', message: /no c= line/ },
  { name: 'upper-case type letter', input: `${HEAD}M=audio 5000 RTP/AVP 0\r\n`, message: /lower-case type letter/ },
  { name: 'a junk line in the middle', input: `${HEAD}this is not sdp\r\nm=audio 5000 RTP/AVP 0\r\n`, message: /line 6/ },
];

for (const b of bad) {
  test(`malformed: ${b.name} -> SDP_PARSE`, () => {
    assert.throws(
      () => parseSdp(b.input),
      (err: unknown) => err instanceof SdpError && err.code === 'SDP_PARSE' && b.message.test(err.message),
    );
  });
}

test('a rejected stream (port 0) needs neither formats nor c=', () => {
  const s = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP\r\n');
  assert.deepEqual(s.media[0]?.formats, []);
});

function onlySdpErrors(input: unknown): void {
  try {
    parseSdp(input);
  } catch (err) {
    if (!(err instanceof SdpError) || err.code !== 'SDP_PARSE') throw err;
  }
}

test('fast-check: arbitrary strings and values throw nothing but SDP_PARSE', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything()), onlySdpErrors), { numRuns: 2000 });
});

const LINE_TYPES = ['v', 'o', 's', 'c', 't', 'm', 'a', 'b', 'i', 'k', 'z'];
const VALUES = [
  '0', '- 1 1 IN IP4 192.0.2.1', '- 1 1 IN IP6 ::1', 'IN IP4 192.0.2.1', 'IN IP6 ::', 'IN IP4 0.0.0.0', '0 0',
  'audio 5000 RTP/AVP 0 8 101', 'audio 0 RTP/AVP 0', 'video 9 UDP/TLS/RTP/SAVPF 96', 'image 6000 udptl t38',
  'rtpmap:101 telephone-event/8000', 'rtpmap:96 opus/48000/2', 'rtpmap:', 'rtpmap:x y/z', 'fmtp:101 0-16', 'fmtp:',
  'ptime:20', 'ptime:', 'ptime:1e400', 'maxptime:40', 'sendonly', 'inactive', 'rtcp:5001', 'rtcp:5001 IN IP4 x', 'rtcp-mux',
  'mid:0', 'candidate:1 1 udp 1 192.0.2.1 1 typ host', 'group:BUNDLE 0', 'ssrc:1 cname:x', 'AS:64', 'TIAS:abc', '',
  '__proto__', 'constructor:x', 'toString',
];

const lineArb = fc.tuple(fc.constantFrom(...LINE_TYPES), fc.oneof(fc.constantFrom(...VALUES), fc.string())).map(([t, v]) => `${t}=${v}`);

test('fast-check: plausible line soups throw nothing but SDP_PARSE', () => {
  fc.assert(
    fc.property(fc.array(lineArb, { maxLength: 30 }), fc.constantFrom('\r\n', '\n', '\r'), (lines, eol) => {
      onlySdpErrors(['v=0', ...lines].join(eol));
    }),
    { numRuns: 2000 },
  );
});

test('fast-check: mutated fixtures throw nothing but SDP_PARSE', () => {
  const texts = NAMES.map((n) => readFileSync(new URL(n, DIR), 'utf8'));
  fc.assert(
    fc.property(fc.constantFrom(...texts), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }), (text, at, cut, insert) => {
      const i = at % (text.length + 1);
      onlySdpErrors(text.slice(0, i) + insert + text.slice(i + cut));
    }),
    { numRuns: 2000 },
  );
});
