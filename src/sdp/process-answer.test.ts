/**
 * Processing answers to our offer (RFC 3264 sections 6 and 7): subset and layout checks, payload
 * numbers that differ between offer and answer, the codec to send with, telephone-event, direction and
 * hold, ptime, rtcp-mux, and declined streams as result values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOffer } from './build-offer.ts';
import { processAnswer } from './process-answer.ts';
import { parseSdp } from './parse-sdp.ts';
import { SdpError } from './sdp-error.ts';
import type { LocalMediaConfig } from './local-media.ts';
import type { SdpDirection, SdpOrigin } from './sdp-model.ts';

const ORIGIN: SdpOrigin = { username: '-', sessionId: '1000', sessionVersion: '1000', family: 'IP4', address: '192.0.2.1' };
const SIP: LocalMediaConfig = { address: '192.0.2.1', port: 30000, codecs: ['PCMU', 'PCMA', 'G722', 'L16/16000', 'opus'] };
// Offered: 0 PCMU, 8 PCMA, 9 G722, 96 L16/16000, 97 opus, 101 te/8000, 98 te/16000, 99 te/48000.
const OFFER = buildOffer(SIP, { origin: ORIGIN });
const HOLD_OFFER = buildOffer(SIP, { origin: ORIGIN, hold: true });
const MUX_OFFER = buildOffer({ ...SIP, rtcpMux: true }, { origin: ORIGIN });

const head = (c = 'IN IP4 198.51.100.9'): string => `v=0\r\no=peer 5 5 IN IP4 198.51.100.9\r\ns=-\r\nc=${c}\r\nt=0 0\r\n`;
const answer = (m: string, attrs: string[] = [], c?: string): string => `${head(c)}m=${m}\r\n${attrs.map((a) => `a=${a}\r\n`).join('')}`;

interface Case {
  name: string;
  answer: string;
  offer?: typeof OFFER;
  local?: Partial<LocalMediaConfig>;
  expect:
    | {
        codec: [string, number, number];
        codecs?: string[];
        te?: [number, number, number];
        direction: SdpDirection;
        remote?: [string, number, number];
        ptime?: number;
        localHold?: boolean;
        remoteHold?: boolean;
        rtcpMux?: boolean;
      }
    | { rejected: RegExp }
    | { error: 'SDP_ANSWER_MISMATCH' | 'SDP_PARSE'; message: RegExp };
}

const cases: Case[] = [
  {
    name: 'PCMU and telephone-event as offered',
    answer: answer('audio 4000 RTP/AVP 0 101', ['rtpmap:0 PCMU/8000', 'rtpmap:101 telephone-event/8000', 'fmtp:101 0-15']),
    expect: { codec: ['PCMU', 0, 0], te: [101, 101, 8000], direction: 'sendrecv', remote: ['198.51.100.9', 4000, 4001], remoteHold: false },
  },
  {
    name: 'opus and telephone-event renumbered by the answerer',
    answer: answer('audio 4000 RTP/AVP 111 110', ['rtpmap:111 opus/48000/2', 'rtpmap:110 telephone-event/48000']),
    expect: { codec: ['opus', 111, 97], te: [110, 99, 48000], direction: 'sendrecv' },
  },
  {
    name: 'several codecs: the first is sent, all are usable',
    answer: answer('audio 4000 RTP/AVP 8 0 9 101', ['rtpmap:101 telephone-event/8000']),
    expect: { codec: ['PCMA', 8, 8], codecs: ['PCMA', 'PCMU', 'G722'], te: [101, 101, 8000], direction: 'sendrecv' },
  },
  {
    name: 'a dynamic type without rtpmap means our format under that number',
    answer: answer('audio 4000 RTP/AVP 97 99'),
    expect: { codec: ['opus', 97, 97], te: [99, 99, 48000], direction: 'sendrecv' },
  },
  {
    name: 'no telephone-event in the answer',
    answer: answer('audio 4000 RTP/AVP 0'),
    expect: { codec: ['PCMU', 0, 0], te: undefined, direction: 'sendrecv' },
  },
  {
    name: 'telephone-event only at another rate than the codec',
    answer: answer('audio 4000 RTP/AVP 0 99', ['rtpmap:99 telephone-event/48000']),
    expect: { codec: ['PCMU', 0, 0], te: undefined, direction: 'sendrecv' },
  },
  {
    name: 'answer recvonly: we only send',
    answer: answer('audio 4000 RTP/AVP 0', ['recvonly']),
    expect: { codec: ['PCMU', 0, 0], direction: 'sendonly', remoteHold: false },
  },
  {
    name: 'answer sendonly: the peer holds',
    answer: answer('audio 4000 RTP/AVP 0', ['sendonly']),
    expect: { codec: ['PCMU', 0, 0], direction: 'recvonly', remoteHold: true },
  },
  {
    name: 'answer with c=0.0.0.0: the peer does not receive',
    answer: answer('audio 4000 RTP/AVP 0', [], 'IN IP4 0.0.0.0'),
    expect: { codec: ['PCMU', 0, 0], direction: 'recvonly', remoteHold: true, remote: ['0.0.0.0', 4000, 4001] },
  },
  {
    name: 'our hold offer answered recvonly',
    offer: HOLD_OFFER,
    answer: answer('audio 4000 RTP/AVP 0', ['recvonly']),
    expect: { codec: ['PCMU', 0, 0], direction: 'sendonly', localHold: true, remoteHold: false },
  },
  {
    name: 'our hold offer answered inactive',
    offer: HOLD_OFFER,
    answer: answer('audio 4000 RTP/AVP 0', ['inactive']),
    expect: { codec: ['PCMU', 0, 0], direction: 'inactive', localHold: true, remoteHold: true },
  },
  {
    name: 'answer ptime 30 and a=rtcp',
    answer: answer('audio 4000 RTP/AVP 0', ['ptime:30', 'rtcp:4009 IN IP4 198.51.100.10']),
    expect: { codec: ['PCMU', 0, 0], direction: 'sendrecv', ptime: 30, remote: ['198.51.100.9', 4000, 4009] },
  },
  {
    name: 'rtcp-mux offered and accepted',
    offer: MUX_OFFER,
    answer: answer('audio 4000 RTP/AVP 0', ['rtcp-mux']),
    expect: { codec: ['PCMU', 0, 0], direction: 'sendrecv', rtcpMux: true, remote: ['198.51.100.9', 4000, 4000] },
  },
  {
    name: 'rtcp-mux in the answer but not offered',
    answer: answer('audio 4000 RTP/AVP 0', ['rtcp-mux']),
    expect: { codec: ['PCMU', 0, 0], direction: 'sendrecv', rtcpMux: false, remote: ['198.51.100.9', 4000, 4001] },
  },
  { name: 'audio declined with port 0', answer: answer('audio 0 RTP/AVP 0'), expect: { rejected: /declined/ } },
  { name: 'only telephone-event kept', answer: answer('audio 4000 RTP/AVP 101'), expect: { rejected: /no audio codec/ } },
  {
    name: 'a codec we did not offer',
    answer: answer('audio 4000 RTP/AVP 18', ['rtpmap:18 G729/8000']),
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /format 18 \(G729\/8000\) was not offered/ },
  },
  {
    name: 'a dynamic number we did not offer, without rtpmap',
    answer: answer('audio 4000 RTP/AVP 120'),
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /format 120 was not offered/ },
  },
  {
    name: 'an opus rate we did not offer',
    answer: answer('audio 4000 RTP/AVP 97', ['rtpmap:97 L16/8000']),
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /L16\/8000/ },
  },
  {
    name: 'an extra m= line',
    answer: `${answer('audio 4000 RTP/AVP 0')}m=video 0 RTP/AVP 96\r\n`,
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /2 m= line\(s\), the offer had 1/ },
  },
  {
    name: 'a different media type',
    answer: answer('video 4000 RTP/AVP 0'),
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /m= line 1 is video/ },
  },
  {
    name: 'a different transport protocol',
    answer: answer('audio 4000 RTP/SAVP 0'),
    expect: { error: 'SDP_ANSWER_MISMATCH', message: /RTP\/SAVP differs/ },
  },
  { name: 'garbage', answer: 'not sdp', expect: { error: 'SDP_PARSE', message: /line 1/ } },
];

for (const c of cases) {
  test(`process answer: ${c.name}`, () => {
    const run = () => processAnswer(c.offer ?? OFFER, parseSdp(c.answer), { ...SIP, ...c.local });
    const want = c.expect;
    if ('error' in want) {
      assert.throws(run, (e: unknown) => e instanceof SdpError && e.code === want.error && want.message.test(e.message));
      return;
    }
    const result = run();
    if ('rejected' in want) {
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, want.rejected);
      return;
    }
    assert.ok(result.ok, result.ok ? '' : result.reason);
    const m = result.media;
    assert.deepEqual([m.codec.name, m.codec.pt, m.codec.receivePt], want.codec);
    if (want.codecs) assert.deepEqual(m.codecs.map((x) => x.name), want.codecs);
    if ('te' in want) {
      assert.deepEqual(m.telephoneEvent && [m.telephoneEvent.pt, m.telephoneEvent.receivePt, m.telephoneEvent.clockRate], want.te);
    }
    assert.equal(m.direction, want.direction);
    if (want.remote) assert.deepEqual([m.remote.address, m.remote.port, m.remote.rtcpPort], want.remote);
    assert.equal(m.ptime, want.ptime ?? 20);
    assert.equal(m.localHold, want.localHold ?? false);
    if (want.remoteHold !== undefined) assert.equal(m.remoteHold, want.remoteHold);
    if (want.rtcpMux !== undefined) assert.equal(m.rtcpMux, want.rtcpMux);
  });
}

test('process answer: an offer without an active audio stream is SDP_STATE', () => {
  const offer = { ...OFFER, media: OFFER.media.map((m) => ({ ...m, port: 0 })) };
  assert.throws(() => processAnswer(offer, parseSdp(answer('audio 0 RTP/AVP 0')), SIP), { code: 'SDP_STATE' });
});
