/**
 * Offers (RFC 3264 section 5) and re-offers (section 8): payload numbering (RFC 3551 section 6 static,
 * 96-127 dynamic), telephone-event per clock rate (RFC 4733), hold directions (8.4), m= layout and
 * payload numbers kept across the session (8.1, 8.3.2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildOffer } from './build-offer.ts';
import { negotiateAnswer } from './negotiate.ts';
import { parseSdp } from './parse-sdp.ts';
import { writeSdp } from './write-sdp.ts';
import type { LocalMediaConfig } from './local-media.ts';
import type { SdpOrigin } from './sdp-model.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`${name}.sdp`, DIR), 'utf8');
const ORIGIN: SdpOrigin = { username: '-', sessionId: '1000', sessionVersion: '1000', family: 'IP4', address: '192.0.2.1' };
const SIP: LocalMediaConfig = { address: '192.0.2.1', port: 30000, codecs: ['PCMU', 'PCMA', 'G722', 'L16/16000', 'opus'] };
const WEBRTC: LocalMediaConfig = {
  ...SIP, protocols: ['UDP/TLS/RTP/SAVPF'], rtcpMux: true,
  transport: { mid: '0', iceUfrag: 'u', icePwd: 'p'.repeat(22), fingerprints: ['sha-256 AB:CD'], setup: 'actpass' },
};

const lines = (text: string): string[] => text.split('\r\n').slice(0, -1);
const mLines = (text: string): string[] => lines(text).filter((l) => l.startsWith('m='));

test('offer: full default preference list', () => {
  assert.equal(
    writeSdp(buildOffer(SIP, { origin: ORIGIN })),
    [
      'v=0', 'o=- 1000 1000 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0',
      'm=audio 30000 RTP/AVP 0 8 9 96 97 101 98 99',
      'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:9 G722/8000', 'a=rtpmap:96 L16/16000', 'a=rtpmap:97 opus/48000/2',
      'a=rtpmap:101 telephone-event/8000', 'a=rtpmap:98 telephone-event/16000', 'a=rtpmap:99 telephone-event/48000',
      'a=fmtp:101 0-16', 'a=fmtp:98 0-16', 'a=fmtp:99 0-16', 'a=ptime:20', 'a=sendrecv', '',
    ].join('\r\n'),
  );
});

interface OfferCase {
  name: string;
  local?: Partial<LocalMediaConfig>;
  hold?: boolean;
  peerHolds?: boolean;
  mLines: string[];
  contains?: string[];
  lacks?: string[];
}

const cases: OfferCase[] = [
  { name: 'PCMU only', local: { codecs: ['PCMU'] }, mLines: ['m=audio 30000 RTP/AVP 0 101'], contains: ['a=rtpmap:101 telephone-event/8000'] },
  { name: 'opus only: telephone-event 101 at 48000', local: { codecs: ['opus'] }, mLines: ['m=audio 30000 RTP/AVP 96 101'], contains: ['a=rtpmap:101 telephone-event/48000'] },
  { name: 'L16 at three rates', local: { codecs: ['L16/8000', 'L16/16000', 'L16/48000'] }, mLines: ['m=audio 30000 RTP/AVP 96 97 98 101 99 100'] },
  { name: 'bare L16 is offered at 16000', local: { codecs: ['L16'] }, mLines: ['m=audio 30000 RTP/AVP 96 101'], contains: ['a=rtpmap:96 L16/16000'] },
  { name: 'telephone-event off', local: { codecs: ['PCMA'], telephoneEvent: false }, mLines: ['m=audio 30000 RTP/AVP 8'] },
  {
    name: 'custom telephone-event and opus fmtp', local: { codecs: ['opus', 'PCMU'], telephoneEvent: { pt: 120, events: '0-15' }, fmtp: { opus: 'minptime=10;useinbandfec=1' } },
    mLines: ['m=audio 30000 RTP/AVP 96 0 120 97'], contains: ['a=fmtp:96 minptime=10;useinbandfec=1', 'a=fmtp:120 0-15', 'a=rtpmap:97 telephone-event/8000'],
  },
  { name: 'ptime 30', local: { codecs: ['PCMU'], ptime: 30 }, mLines: ['m=audio 30000 RTP/AVP 0 101'], contains: ['a=ptime:30'] },
  { name: 'hold', local: { codecs: ['PCMU'] }, hold: true, mLines: ['m=audio 30000 RTP/AVP 0 101'], contains: ['a=sendonly'] },
  { name: 'hold when the peer holds us', local: { codecs: ['PCMU'] }, hold: true, peerHolds: true, mLines: ['m=audio 30000 RTP/AVP 0 101'], contains: ['a=inactive'] },
  { name: 'peer holds us, we do not', local: { codecs: ['PCMU'] }, peerHolds: true, mLines: ['m=audio 30000 RTP/AVP 0 101'], contains: ['a=sendrecv'] },
  {
    name: 'IPv6', local: { codecs: ['PCMU'], address: '2001:db8::1' }, mLines: ['m=audio 30000 RTP/AVP 0 101'],
    contains: ['c=IN IP6 2001:db8::1'],
  },
  {
    name: 'WebRTC transport', local: { ...WEBRTC, codecs: ['opus', 'PCMU'] }, mLines: ['m=audio 30000 UDP/TLS/RTP/SAVPF 96 0 101 97'],
    contains: ['a=group:BUNDLE 0', 'a=mid:0', 'a=rtcp-mux', 'a=ice-ufrag:u', 'a=setup:actpass', 'a=fingerprint:sha-256 AB:CD'],
  },
];

for (const c of cases) {
  test(`offer: ${c.name}`, () => {
    const text = writeSdp(buildOffer({ ...SIP, ...c.local }, { origin: ORIGIN, hold: c.hold, peerHolds: c.peerHolds }));
    assert.deepEqual(mLines(text), c.mLines);
    for (const l of c.contains ?? []) assert.ok(lines(text).includes(l), `${l}\n${text}`);
    for (const l of c.lacks ?? []) assert.ok(!lines(text).includes(l), `${l}\n${text}`);
    assert.ok(lines(text).filter((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l)).length === 1);
    assert.deepEqual(parseSdp(text).media.length, 1);
  });
}

test('re-offer after answering video + audio keeps the m= layout and payload numbers', () => {
  const offer = parseSdp(fixture('video-audio'));
  const answered = negotiateAnswer(offer, SIP, { origin: ORIGIN });
  assert.ok(answered.ok);
  const text = writeSdp(buildOffer(SIP, { origin: ORIGIN, previous: answered.answer, current: answered.media }));
  assert.deepEqual(mLines(text), ['m=video 0 RTP/AVP 96 97', 'm=audio 30000 RTP/AVP 0 8 9 96 97 101 98 99']);
});

test('re-offer after answering Chromium keeps opus 111, telephone-event 110, mid and BUNDLE', () => {
  const local: LocalMediaConfig = { ...WEBRTC, transport: { ...WEBRTC.transport, mid: undefined } };
  const answered = negotiateAnswer(parseSdp(fixture('chromium')), local, { origin: ORIGIN });
  assert.ok(answered.ok);
  const text = writeSdp(buildOffer(local, { origin: ORIGIN, previous: answered.answer, current: answered.media }));
  assert.deepEqual(mLines(text), ['m=audio 30000 UDP/TLS/RTP/SAVPF 111 0 8 9 96 110 101 97']);
  for (const l of ['a=rtpmap:111 opus/48000/2', 'a=rtpmap:110 telephone-event/48000', 'a=rtpmap:101 telephone-event/8000', 'a=mid:0', 'a=group:BUNDLE 0']) {
    assert.ok(lines(text).includes(l), l);
  }
});

test('re-offer after the SRTP line was declined keeps it declined and the order', () => {
  const answered = negotiateAnswer(parseSdp(fixture('savp-and-avp')), SIP, { origin: ORIGIN });
  assert.ok(answered.ok);
  const text = writeSdp(buildOffer({ ...SIP, codecs: ['PCMU'] }, { origin: ORIGIN, previous: answered.answer, current: answered.media, hold: true }));
  assert.deepEqual(mLines(text), ['m=audio 0 RTP/SAVP 0 8 101', 'm=audio 30000 RTP/AVP 0 101', 'm=image 0 udptl t38']);
  assert.ok(lines(text).includes('a=sendonly'));
});

test('offer: out of dynamic payload types is SDP_CONFIG', () => {
  const formats = Array.from({ length: 32 }, (_, i) => 96 + i).join(' ');
  const previous = parseSdp(`v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP ${formats}\r\n`);
  assert.throws(() => buildOffer(SIP, { origin: ORIGIN, previous }), { code: 'SDP_CONFIG' });
});
