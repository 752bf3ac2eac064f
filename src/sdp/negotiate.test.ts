/**
 * RFC 3264 section 6 answers to offers modelled on what real endpoints send (test/fixtures/sdp): the
 * chosen codec and payload type, telephone-event (RFC 4733), direction and hold (section 8.4), the
 * remote RTP/RTCP address (RFC 3605, RFC 5761), ptime, and the shape of the answer's m= lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { negotiateAnswer } from './negotiate.ts';
import { parseSdp } from './parse-sdp.ts';
import { writeSdp } from './write-sdp.ts';
import type { LocalMediaConfig } from './local-media.ts';
import type { SdpDirection, SdpOrigin } from './sdp-model.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(`${name}.sdp`, DIR), 'utf8');

const ORIGIN: SdpOrigin = { username: '-', sessionId: '1000', sessionVersion: '1000', family: 'IP4', address: '192.0.2.1' };
const SIP: LocalMediaConfig = { address: '192.0.2.1', port: 30000, codecs: ['PCMU', 'PCMA', 'G722', 'L16/16000', 'opus'] };
const WEBRTC: LocalMediaConfig = {
  ...SIP,
  protocols: ['UDP/TLS/RTP/SAVPF'],
  rtcpMux: true,
  transport: {
    iceUfrag: 'sbUf',
    icePwd: 'sbPwd0123456789abcdefghij',
    fingerprints: ['sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9'],
    setup: 'active',
    candidates: ['1 1 udp 2130706431 192.0.2.1 30000 typ host'],
  },
};

interface Accepted {
  codec: { name: string; pt: number; clockRate: number; sampleRate?: number; channels?: number; fmtp?: string };
  te: { pt: number; clockRate: number } | undefined;
  direction: SdpDirection;
  remote: { address: string; port: number; rtcpPort: number; rtcpAddress?: string; family?: 'IP4' | 'IP6' };
  mLines: string[];
  ptime?: number;
  remoteHold?: boolean;
  rtcpMux?: boolean;
  index?: number;
  /** Lines the answer text must contain. */
  contains?: string[];
  /** Lines it must not contain. */
  lacks?: string[];
}

interface Case {
  name: string;
  fixture: string;
  local?: Partial<LocalMediaConfig>;
  hold?: boolean;
  expect: Accepted | { status: 488; warning: 302 | 304 | 305 };
}

const cases: Case[] = [
  {
    name: 'sipp uac: PCMU only',
    fixture: 'sipp-uac',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: undefined, direction: 'sendrecv',
      remote: { address: '127.0.0.1', port: 6000, rtcpPort: 6001 }, mLines: ['m=audio 30000 RTP/AVP 0'], ptime: 20,
      contains: ['a=rtpmap:0 PCMU/8000', 'a=ptime:20', 'a=sendrecv'],
    },
  },
  {
    name: 'baresip: offerer order picks PCMU, telephone-event 101',
    fixture: 'baresip',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv',
      remote: { address: '192.168.1.20', port: 10486, rtcpPort: 10487 }, mLines: ['m=audio 30000 RTP/AVP 0 101'],
      contains: ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'],
    },
  },
  {
    name: 'baresip: our order picks opus on its dynamic type, telephone-event/8000 by fallback',
    fixture: 'baresip',
    local: { codecs: ['opus', 'PCMU'], codecPolicy: 'local' },
    expect: {
      codec: { name: 'opus', pt: 96, clockRate: 48000, channels: 2, fmtp: 'stereo=1;sprop-stereo=1' },
      te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv',
      remote: { address: '192.168.1.20', port: 10486, rtcpPort: 10487 }, mLines: ['m=audio 30000 RTP/AVP 96 101'],
      contains: ['a=rtpmap:96 opus/48000/2', 'a=fmtp:96 stereo=1;sprop-stereo=1'],
    },
  },
  {
    name: 'baresip: opus without the telephone-event rate fallback has no telephone-event',
    fixture: 'baresip',
    local: { codecs: ['opus'], telephoneEventRateFallback: false },
    expect: {
      codec: { name: 'opus', pt: 96, clockRate: 48000 }, te: undefined, direction: 'sendrecv',
      remote: { address: '192.168.1.20', port: 10486, rtcpPort: 10487 }, mLines: ['m=audio 30000 RTP/AVP 96'],
    },
  },
  {
    name: 'baresip: telephone-event disabled locally',
    fixture: 'baresip',
    local: { telephoneEvent: false },
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: undefined, direction: 'sendrecv',
      remote: { address: '192.168.1.20', port: 10486, rtcpPort: 10487 }, mLines: ['m=audio 30000 RTP/AVP 0'],
      lacks: ['a=rtpmap:101 telephone-event/8000'],
    },
  },
  {
    name: 'Chromium: opus 111 with telephone-event/48000 110, ICE/DTLS/BUNDLE/rtcp-mux',
    fixture: 'chromium',
    local: WEBRTC,
    expect: {
      codec: { name: 'opus', pt: 111, clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
      te: { pt: 110, clockRate: 48000 }, direction: 'sendrecv', remoteHold: false, rtcpMux: true,
      remote: { address: '0.0.0.0', port: 9, rtcpPort: 9 }, mLines: ['m=audio 30000 UDP/TLS/RTP/SAVPF 111 110'],
      contains: [
        'a=group:BUNDLE 0', 'a=mid:0', 'a=rtcp-mux', 'a=ice-ufrag:sbUf', 'a=ice-pwd:sbPwd0123456789abcdefghij',
        'a=setup:active', 'a=candidate:1 1 udp 2130706431 192.0.2.1 30000 typ host', 'a=fmtp:111 minptime=10;useinbandfec=1',
      ],
    },
  },
  {
    name: 'Chromium: PCMU preferred picks telephone-event/8000 126',
    fixture: 'chromium',
    local: { ...WEBRTC, codecs: ['PCMU'] },
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 126, clockRate: 8000 }, direction: 'sendrecv',
      remote: { address: '0.0.0.0', port: 9, rtcpPort: 9 }, mLines: ['m=audio 30000 UDP/TLS/RTP/SAVPF 0 126'],
    },
  },
  {
    name: 'Chromium: G722 keeps the 8000 SDP clock rate and a 16 kHz sample rate',
    fixture: 'chromium',
    local: { ...WEBRTC, codecs: ['G722', 'PCMU'], codecPolicy: 'local' },
    expect: {
      codec: { name: 'G722', pt: 9, clockRate: 8000, sampleRate: 16000 }, te: { pt: 126, clockRate: 8000 },
      direction: 'sendrecv', remote: { address: '0.0.0.0', port: 9, rtcpPort: 9 },
      mLines: ['m=audio 30000 UDP/TLS/RTP/SAVPF 9 126'], contains: ['a=rtpmap:9 G722/8000'],
    },
  },
  { name: 'Chromium to a plain RTP/AVP endpoint: 488, incompatible transport', fixture: 'chromium', expect: { status: 488, warning: 302 } },
  {
    name: 'FreeSWITCH: offerer order picks opus 102 and telephone-event/48000 100, a=rtcp port',
    fixture: 'freeswitch',
    expect: {
      codec: { name: 'opus', pt: 102, clockRate: 48000 }, te: { pt: 100, clockRate: 48000 }, direction: 'sendrecv',
      remote: { address: '10.0.0.5', port: 24680, rtcpPort: 24681, rtcpAddress: '10.0.0.5' },
      mLines: ['m=audio 30000 RTP/AVP 102 100'], contains: ['a=fmtp:100 0-16'],
    },
  },
  {
    name: 'FreeSWITCH: our order picks PCMA',
    fixture: 'freeswitch',
    local: { codecs: ['PCMA', 'PCMU'], codecPolicy: 'local' },
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv',
      remote: { address: '10.0.0.5', port: 24680, rtcpPort: 24681 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
    },
  },
  {
    name: 'FreeSWITCH: L16 at any rate matches L16/16000 on 104',
    fixture: 'freeswitch',
    local: { codecs: ['l16'] },
    expect: {
      codec: { name: 'L16', pt: 104, clockRate: 16000, sampleRate: 16000 }, te: { pt: 101, clockRate: 8000 },
      direction: 'sendrecv', remote: { address: '10.0.0.5', port: 24680, rtcpPort: 24681 },
      mLines: ['m=audio 30000 RTP/AVP 104 101'], contains: ['a=rtpmap:104 L16/16000'],
    },
  },
  { name: 'FreeSWITCH: L16/48000 is not offered: 488', fixture: 'freeswitch', local: { codecs: ['L16/48000'] }, expect: { status: 488, warning: 305 } },
  {
    name: 'video + audio: video declined with port 0 and its formats, audio second',
    fixture: 'video-audio',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv', index: 1,
      remote: { address: '192.0.2.10', port: 49170, rtcpPort: 49171 },
      mLines: ['m=video 0 RTP/AVP 96 97', 'm=audio 30000 RTP/AVP 0 101'], lacks: ['a=rtpmap:96 VP8/90000'],
    },
  },
  {
    name: 'hold with a=sendonly: answered recvonly',
    fixture: 'hold-sendonly',
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'recvonly', remoteHold: true,
      remote: { address: '198.51.100.7', port: 40000, rtcpPort: 40001 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
      contains: ['a=recvonly'],
    },
  },
  {
    name: 'hold with a=sendonly while we hold too: inactive',
    fixture: 'hold-sendonly',
    hold: true,
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'inactive', remoteHold: true,
      remote: { address: '198.51.100.7', port: 40000, rtcpPort: 40001 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
      contains: ['a=inactive'],
    },
  },
  {
    name: 'hold with session-level a=inactive: inactive',
    fixture: 'hold-inactive',
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'inactive', remoteHold: true,
      remote: { address: '198.51.100.7', port: 40000, rtcpPort: 40001 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
    },
  },
  {
    name: 'RFC 2543 hold with c=0.0.0.0: answered recvonly',
    fixture: 'hold-c0',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'recvonly', remoteHold: true,
      remote: { address: '0.0.0.0', port: 30000, rtcpPort: 30001 }, mLines: ['m=audio 30000 RTP/AVP 0 101'],
      contains: ['a=fmtp:101 0-16'],
    },
  },
  {
    name: 'we hold and the peer offers sendrecv: sendonly',
    fixture: 'sipp-uac',
    hold: true,
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: undefined, direction: 'sendonly', remoteHold: false,
      remote: { address: '127.0.0.1', port: 6000, rtcpPort: 6001 }, mLines: ['m=audio 30000 RTP/AVP 0'], contains: ['a=sendonly'],
    },
  },
  {
    name: 'listen-only leg (direction recvonly)',
    fixture: 'sipp-uac',
    local: { direction: 'recvonly' },
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: undefined, direction: 'recvonly',
      remote: { address: '127.0.0.1', port: 6000, rtcpPort: 6001 }, mLines: ['m=audio 30000 RTP/AVP 0'],
    },
  },
  { name: 'only unsupported codecs: 488, incompatible media format', fixture: 'unsupported-only', expect: { status: 488, warning: 305 } },
  {
    name: 'ptime 30 (LF line endings) is honoured',
    fixture: 'ptime30-lf',
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv', ptime: 30,
      remote: { address: '192.0.2.60', port: 20000, rtcpPort: 20001 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
      contains: ['a=ptime:30'],
    },
  },
  {
    name: 'ptime 30 we cannot do falls back to ours',
    fixture: 'ptime30-lf',
    local: { ptimes: [20] },
    expect: {
      codec: { name: 'PCMA', pt: 8, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv', ptime: 20,
      remote: { address: '192.0.2.60', port: 20000, rtcpPort: 20001 }, mLines: ['m=audio 30000 RTP/AVP 8 101'],
    },
  },
  {
    name: 'telephone-event only at 48000 with opus chosen (upper-case OPUS)',
    fixture: 'opus-te48000',
    expect: {
      codec: { name: 'opus', pt: 109, clockRate: 48000, fmtp: 'useinbandfec=1;usedtx=1' }, te: { pt: 101, clockRate: 48000 },
      direction: 'sendrecv', rtcpMux: false,
      remote: { address: '192.0.2.70', port: 7078, rtcpPort: 7079 }, mLines: ['m=audio 30000 RTP/AVP 109 101'],
      contains: ['a=rtpmap:109 opus/48000/2', 'a=rtpmap:101 telephone-event/48000'], lacks: ['a=rtcp-mux'],
    },
  },
  {
    name: 'telephone-event only at 48000 with PCMU chosen: no telephone-event',
    fixture: 'opus-te48000',
    local: { codecPolicy: 'local' },
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: undefined, direction: 'sendrecv',
      remote: { address: '192.0.2.70', port: 7078, rtcpPort: 7079 }, mLines: ['m=audio 30000 RTP/AVP 0'],
    },
  },
  {
    name: 'rtcp-mux accepted when we support it',
    fixture: 'opus-te48000',
    local: { rtcpMux: true },
    expect: {
      codec: { name: 'opus', pt: 109, clockRate: 48000 }, te: { pt: 101, clockRate: 48000 }, direction: 'sendrecv', rtcpMux: true,
      remote: { address: '192.0.2.70', port: 7078, rtcpPort: 7078 }, mLines: ['m=audio 30000 RTP/AVP 109 101'], contains: ['a=rtcp-mux'],
    },
  },
  {
    name: 'IPv6 with a=rtcp port',
    fixture: 'ipv6',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv',
      remote: { family: 'IP6', address: '2001:db8::10', port: 5004, rtcpPort: 5009, rtcpAddress: '2001:db8::10' },
      mLines: ['m=audio 30000 RTP/AVP 0 101'],
    },
  },
  {
    name: 'SRTP and RTP audio lines plus T.38: the RTP/AVP line is accepted',
    fixture: 'savp-and-avp',
    expect: {
      codec: { name: 'PCMU', pt: 0, clockRate: 8000 }, te: { pt: 101, clockRate: 8000 }, direction: 'sendrecv', index: 1,
      remote: { address: '192.0.2.81', port: 12002, rtcpPort: 12003 },
      mLines: ['m=audio 0 RTP/SAVP 0 8 101', 'm=audio 30000 RTP/AVP 0 101', 'm=image 0 udptl t38'],
      lacks: ['a=crypto'],
    },
  },
];

function sections(text: string): string[][] {
  const out: string[][] = [[]];
  for (const line of text.split('\r\n').slice(0, -1)) {
    if (line.startsWith('m=')) out.push([]);
    out[out.length - 1]?.push(line);
  }
  return out;
}

for (const c of cases) {
  test(`answer: ${c.name}`, () => {
    const offer = parseSdp(fixture(c.fixture));
    const local = { ...SIP, ...c.local };
    const outcome = negotiateAnswer(offer, local, { origin: ORIGIN, hold: c.hold ?? false });
    const want = c.expect;
    if ('status' in want) {
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.status, 488);
      assert.equal(outcome.warning.code, want.warning);
      assert.ok(outcome.reason.length > 0);
      return;
    }
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
    const { media, answer } = outcome;
    for (const [key, value] of Object.entries(want.codec)) {
      assert.equal(media.codec[key as keyof typeof media.codec], value, `codec.${key}`);
    }
    assert.equal(media.codec.receivePt, media.codec.pt);
    assert.deepEqual(media.telephoneEvent && { pt: media.telephoneEvent.pt, clockRate: media.telephoneEvent.clockRate }, want.te);
    assert.equal(media.direction, want.direction);
    for (const [key, value] of Object.entries(want.remote)) {
      assert.equal(media.remote[key as keyof typeof media.remote], value, `remote.${key}`);
    }
    assert.equal(media.ptime, want.ptime ?? 20);
    if (want.remoteHold !== undefined) assert.equal(media.remoteHold, want.remoteHold);
    if (want.rtcpMux !== undefined) assert.equal(media.rtcpMux, want.rtcpMux);
    assert.equal(media.index, want.index ?? 0);
    assert.equal(media.localHold, c.hold ?? false);

    const text = writeSdp(answer);
    assert.ok(text.startsWith('v=0\r\no=- 1000 1000 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n'), text);
    assert.ok(text.endsWith('\r\n'));
    assert.doesNotMatch(text, /[^\r]\n/, 'only CRLF line endings');
    const mLines = text.split('\r\n').filter((l) => l.startsWith('m='));
    assert.deepEqual(mLines, want.mLines);
    assert.equal(mLines.length, offer.media.length, 'same number of m= lines as the offer');
    for (const section of sections(text)) assert.equal(new Set(section).size, section.length, 'no duplicate lines');
    const lines = text.split('\r\n');
    for (const line of want.contains ?? []) assert.ok(lines.includes(line), `answer has ${line}\n${text}`);
    for (const line of want.lacks ?? []) assert.ok(!lines.some((l) => l.startsWith(line)), `answer lacks ${line}\n${text}`);
    const audio = sections(text)[media.index + 1] ?? [];
    assert.ok(audio.includes(`a=${media.direction}`), 'explicit direction on the accepted line');
    assert.ok(audio.includes(`a=ptime:${media.ptime}`));
    assert.deepEqual(parseSdp(text), answer, 'the answer text parses back to the same model');
  });
}

test('answer: a Chromium offer keeps its ICE/DTLS attributes for the WebRTC endpoint', () => {
  const outcome = negotiateAnswer(parseSdp(fixture('chromium')), WEBRTC, { origin: ORIGIN });
  assert.ok(outcome.ok);
  const t = outcome.media.remoteTransport;
  assert.equal(t.iceUfrag, 'Wq7k');
  assert.equal(t.icePwd, 'Y1dwbx9TZGq8bxYK0mxqTGx5');
  assert.equal(t.setup, 'actpass');
  assert.equal(t.mid, '0');
  assert.equal(t.candidates.length, 2);
  assert.equal(t.candidates[0], '1467250027 1 udp 2122260223 192.168.1.7 46243 typ host generation 0 network-id 1 network-cost 10');
  assert.match(t.fingerprints[0] ?? '', /^sha-256 4A:AD:/);
  assert.equal(t.ssrcs.length, 2);
});

test('answer: an offer with no audio stream is 488 with warning 304', () => {
  const offer = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n');
  const outcome = negotiateAnswer(offer, SIP, { origin: ORIGIN });
  assert.deepEqual(outcome, {
    ok: false, status: 488, warning: { code: 304, text: 'Media type not available' }, reason: 'the offer has no active audio stream',
  });
});

test('answer: an audio line offered with port 0 stays declined', () => {
  const offer = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\nm=audio 5000 RTP/AVP 8\r\n');
  const outcome = negotiateAnswer(offer, SIP, { origin: ORIGIN });
  assert.ok(outcome.ok);
  const mLines = writeSdp(outcome.answer).split('\r\n').filter((l) => l.startsWith('m='));
  assert.deepEqual(mLines, ['m=audio 0 RTP/AVP 0', 'm=audio 30000 RTP/AVP 8']);
  assert.equal(outcome.media.codec.name, 'PCMA');
});

test('answer: unusable local settings throw SDP_CONFIG', () => {
  const offer = parseSdp(fixture('sipp-uac'));
  for (const bad of [
    { codecs: ['G729'] }, { codecs: [] }, { address: 'example.com' }, { port: 0 }, { telephoneEvent: { pt: 13 } },
    { ptime: 25 }, { codecs: ['L16/44100'] },
  ]) {
    assert.throws(() => negotiateAnswer(offer, { ...SIP, ...bad }, { origin: ORIGIN }), { code: 'SDP_CONFIG' }, JSON.stringify(bad));
  }
});
