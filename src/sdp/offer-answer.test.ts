/**
 * Whole offer/answer exchanges between two legs (RFC 3264 sections 4, 7, 8; RFC 3261 section 13.2.1
 * for offers in INVITE, 2xx and ACK; RFC 6337 for hold): initial offer, session refresh, hold and
 * unhold from either side, late offer in INVITE and re-INVITE, glare and rollback, o= versioning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OfferAnswer } from './offer-answer.ts';
import { SdpError } from './sdp-error.ts';
import type { LocalMediaConfig } from './local-media.ts';
import type { SdpDirection } from './sdp-model.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`${name}.sdp`, DIR), 'utf8');

const A_LOCAL: LocalMediaConfig = { address: '192.0.2.1', port: 30000, codecs: ['PCMU', 'PCMA', 'G722', 'L16/16000', 'opus'] };
const B_LOCAL: LocalMediaConfig = { address: '192.0.2.2', port: 40000, codecs: ['opus', 'PCMA'], codecPolicy: 'local' };

function legs(): { a: OfferAnswer; b: OfferAnswer } {
  return {
    a: new OfferAnswer({ local: A_LOCAL, sessionId: '1000' }),
    b: new OfferAnswer({ local: B_LOCAL, sessionId: '2000', sessionVersion: '1' }),
  };
}

const version = (sdp: string): string => /^o=\S+ \d+ (\d+) /m.exec(sdp)?.[1] ?? '';
const sessionId = (sdp: string): string => /^o=\S+ (\d+) /m.exec(sdp)?.[1] ?? '';
const direction = (sdp: string): string => /^a=(sendrecv|sendonly|recvonly|inactive)$/m.exec(sdp)?.[1] ?? '';
const mLines = (sdp: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith('m='));

/** offerer -> answerer -> offerer; returns the texts exchanged. */
function exchange(offerer: OfferAnswer, answerer: OfferAnswer): { offer: string; answer: string } {
  const { sdp: offer } = offerer.createOffer();
  const answered = answerer.receiveOffer(offer);
  assert.ok(answered.ok, answered.ok ? '' : answered.reason);
  const processed = offerer.receiveAnswer(answered.sdp);
  assert.ok(processed.ok, processed.ok ? '' : processed.reason);
  assert.equal(offerer.state, 'stable');
  return { offer, answer: answered.sdp };
}

function assertDirections(a: OfferAnswer, b: OfferAnswer, da: SdpDirection, db: SdpDirection): void {
  assert.equal(a.media?.direction, da, 'A direction');
  assert.equal(b.media?.direction, db, 'B direction');
}

test('initial offer/answer: both legs agree on codec, telephone-event and addresses', () => {
  const { a, b } = legs();
  const { offer, answer } = exchange(a, b);
  assert.equal(version(offer), '1000');
  assert.equal(sessionId(answer), '2000');
  assert.equal(version(answer), '1');
  assert.equal(a.media?.codec.name, 'opus');
  assert.equal(b.media?.codec.name, 'opus');
  assert.equal(a.media?.codec.pt, b.media?.codec.receivePt);
  assert.equal(a.media?.telephoneEvent?.clockRate, 48000);
  assert.equal(a.media?.telephoneEvent?.pt, b.media?.telephoneEvent?.pt);
  assert.deepEqual([a.media?.remote.address, a.media?.remote.port], ['192.0.2.2', 40000]);
  assert.deepEqual([b.media?.remote.address, b.media?.remote.port], ['192.0.2.1', 30000]);
  assertDirections(a, b, 'sendrecv', 'sendrecv');
});

test('session refresh: an unchanged re-offer and answer keep their o= versions', () => {
  const { a, b } = legs();
  exchange(a, b);
  const first = exchange(a, b);
  const second = exchange(a, b);
  assert.equal(version(first.offer), '1001', 'the re-offer lists the codec in use first: changed');
  assert.equal(version(second.offer), '1001');
  assert.equal(second.offer, first.offer);
  assert.equal(version(second.answer), version(first.answer));
  const again = b.receiveOffer(second.offer);
  assert.ok(again.ok);
  assert.equal(again.changed, false);
  assert.equal(sessionId(second.offer), '1000');
});

test('hold and unhold from both sides (RFC 3264 8.4, RFC 6337)', () => {
  const { a, b } = legs();
  exchange(a, b);
  const steps: Array<{ who: 'a' | 'b'; hold: boolean; offer: SdpDirection; answer: SdpDirection; da: SdpDirection; db: SdpDirection }> = [
    { who: 'a', hold: true, offer: 'sendonly', answer: 'recvonly', da: 'sendonly', db: 'recvonly' },
    { who: 'b', hold: true, offer: 'inactive', answer: 'inactive', da: 'inactive', db: 'inactive' },
    { who: 'a', hold: false, offer: 'sendrecv', answer: 'sendonly', da: 'recvonly', db: 'sendonly' },
    { who: 'b', hold: false, offer: 'sendrecv', answer: 'sendrecv', da: 'sendrecv', db: 'sendrecv' },
  ];
  let lastA = 0n;
  for (const s of steps) {
    const [offerer, answerer] = s.who === 'a' ? [a, b] : [b, a];
    offerer.setHold(s.hold);
    const { offer, answer } = exchange(offerer, answerer);
    assert.equal(direction(offer), s.offer, `${s.who} hold=${s.hold} offer`);
    assert.equal(direction(answer), s.answer, `${s.who} hold=${s.hold} answer`);
    assertDirections(a, b, s.da, s.db);
    assert.equal(a.media?.localHold, a.hold);
    assert.equal(b.media?.remoteHold, a.hold || (s.who === 'b' && s.hold && a.media?.direction === 'inactive'));
    const va = BigInt(version(s.who === 'a' ? offer : answer));
    assert.ok(va > lastA, 'A version grows with every changed description');
    lastA = va;
  }
});

test('late offer: INVITE without SDP, offer in the 2xx, answer in the ACK', () => {
  const { a, b } = legs();
  const { sdp: offerIn200 } = b.createOffer();
  assert.equal(b.state, 'have-local-offer');
  const answered = a.receiveOffer(offerIn200);
  assert.ok(answered.ok);
  const ack = b.receiveAnswer(answered.sdp);
  assert.ok(ack.ok);
  assert.equal(b.state, 'stable');
  assert.equal(a.media?.codec.name, 'opus', 'A answers in the offerer order: B listed opus first');
  assert.equal(b.media?.codec.name, 'opus');
  assert.deepEqual([b.media?.remote.address, b.media?.remote.port], ['192.0.2.1', 30000]);
});

test('re-INVITE without SDP: the offer comes from the current state and changes nothing', () => {
  const { a, b } = legs();
  exchange(a, b);
  const before = b.media;
  const { sdp } = b.createOffer();
  assert.deepEqual(mLines(sdp), ['m=audio 40000 RTP/AVP 97 8 99 101']);
  const answered = a.receiveOffer(sdp);
  assert.ok(answered.ok);
  const done = b.receiveAnswer(answered.sdp);
  assert.ok(done.ok);
  assert.equal(done.media.codec.name, before?.codec.name);
  assert.equal(done.media.codec.receivePt, before?.codec.receivePt);
});

test('re-offer after answering video + audio keeps the declined video line first', () => {
  const a = new OfferAnswer({ local: A_LOCAL, sessionId: '1000' });
  const answered = a.receiveOffer(fixture('video-audio'));
  assert.ok(answered.ok);
  assert.deepEqual(mLines(answered.sdp), ['m=video 0 RTP/AVP 96 97', 'm=audio 30000 RTP/AVP 0 101']);
  a.setHold(true);
  const { sdp } = a.createOffer();
  assert.deepEqual(mLines(sdp), ['m=video 0 RTP/AVP 96 97', 'm=audio 30000 RTP/AVP 0 8 9 96 97 101 98 99']);
  assert.equal(direction(sdp), 'sendonly');
  assert.equal(version(sdp), '1001');
});

test('a WebRTC leg answering Chromium re-offers hold on the same transport', () => {
  const local: LocalMediaConfig = {
    ...A_LOCAL, protocols: ['UDP/TLS/RTP/SAVPF'], rtcpMux: true,
    transport: { iceUfrag: 'u', icePwd: 'p'.repeat(22), fingerprints: ['sha-256 AB'], setup: 'active' },
  };
  const a = new OfferAnswer({ local, sessionId: '1000' });
  const answered = a.receiveOffer(fixture('chromium'));
  assert.ok(answered.ok);
  a.setHold(true);
  const { sdp } = a.createOffer();
  assert.match(sdp, /^m=audio 30000 UDP\/TLS\/RTP\/SAVPF 111 /m);
  for (const l of ['a=mid:0', 'a=group:BUNDLE 0', 'a=rtcp-mux', 'a=sendonly']) assert.ok(sdp.split('\r\n').includes(l), l);
});

test('488: an unacceptable offer leaves the session as it was', () => {
  const { a, b } = legs();
  exchange(a, b);
  const before = a.media;
  const result = a.receiveOffer(fixture('unsupported-only'));
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.status, 488);
  assert.equal(a.media, before);
});

test('glare: an offer while ours is pending is SDP_STATE; rollback restores stable', () => {
  const { a, b } = legs();
  exchange(a, b);
  const media = a.media;
  a.setHold(true);
  const pending = a.createOffer();
  const { sdp: theirs } = b.createOffer();
  assert.throws(() => a.receiveOffer(theirs), { code: 'SDP_STATE' });
  assert.throws(() => a.createOffer(), { code: 'SDP_STATE' });
  a.rollback();
  b.rollback();
  assert.equal(a.state, 'stable');
  assert.equal(a.media, media);
  const retry = a.createOffer();
  assert.equal(retry.sdp, pending.sdp, 'the same offer again keeps its version');
});

test('answers out of order or malformed', () => {
  const { a, b } = legs();
  assert.throws(() => a.receiveAnswer(fixture('sipp-uac')), { code: 'SDP_STATE' });
  a.createOffer();
  assert.throws(() => a.receiveAnswer('garbage'), { code: 'SDP_PARSE' });
  assert.throws(() => a.receiveAnswer(fixture('video-audio')), (e: unknown) => e instanceof SdpError && e.code === 'SDP_ANSWER_MISMATCH');
  assert.equal(a.state, 'have-local-offer', 'a bad answer leaves the offer pending');
  a.rollback();
  exchange(a, b);
  assert.equal(a.media?.codec.name, 'opus');
});

test('an answer declining audio leaves no negotiated media', () => {
  const { a } = legs();
  const { sdp } = a.createOffer();
  assert.ok(sdp);
  const result = a.receiveAnswer('v=0\r\no=- 1 1 IN IP4 192.0.2.2\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n');
  assert.equal(result.ok, false);
  assert.equal(a.media, undefined);
  assert.equal(a.state, 'stable');
});

test('IPv6 origin and connection', () => {
  const a = new OfferAnswer({ local: { ...A_LOCAL, address: '2001:db8::1' }, sessionId: '7' });
  const { sdp } = a.createOffer();
  assert.match(sdp, /^o=- 7 7 IN IP6 2001:db8::1\r\n/m);
  assert.match(sdp, /^c=IN IP6 2001:db8::1\r\n/m);
});

test('constructor and setLocal validate settings', () => {
  assert.throws(() => new OfferAnswer({ local: { ...A_LOCAL, codecs: ['G729'] } }), { code: 'SDP_CONFIG' });
  assert.throws(() => new OfferAnswer({ local: A_LOCAL, sessionId: 'abc' }), { code: 'SDP_CONFIG' });
  const a = new OfferAnswer({ local: A_LOCAL });
  assert.match(sessionId(a.createOffer().sdp), /^\d+$/);
  assert.throws(() => a.setLocal({ ...A_LOCAL, port: 70000 }), { code: 'SDP_CONFIG' });
});
