import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMultipart } from '../../../sip/index.ts';
import { audioStreams, parseSdp } from '../../../sdp/index.ts';
import { buildSiprecBody } from './siprec-body.ts';
import { buildMetadata, escapeXml, metadataId, type MetadataInit } from './siprec-metadata.ts';
import { buildOffer, readAnswer } from './siprec-sdp.ts';
import { isFinal, nextState } from './siprec-state.ts';

const IDS = { group: 'G', session: 'S', caller: 'P1', callee: 'P2', stream1: 'T1', stream2: 'T2' };
const meta = (extra: Partial<MetadataInit> = {}): string => buildMetadata({
  ids: IDS, callId: 'abc@host', caller: { aor: 'sip:+1555@example.com', name: '+1555' }, callee: { aor: 'sip:bob@example.com' },
  labels: ['1', '2'], time: new Date('2026-01-02T03:04:05.678Z'), ...extra,
});

test('metadata: session with the Call-ID, two participants with AoRs, two labelled streams, who sends and receives what', () => {
  const xml = meta({ extensionData: { callsid: 'c-1', 'Recording ID': 'r<1>', '9bad': 'x' } });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\r\n<recording xmlns="urn:ietf:params:xml:ns:recording:1">'));
  assert.ok(xml.includes('<datamode>complete</datamode>'));
  assert.ok(xml.includes('<group group_id="G">\r\n    <associate-time>2026-01-02T03:04:05Z</associate-time>'));
  assert.ok(xml.includes('<session session_id="S">\r\n    <group-ref>G</group-ref>\r\n    <sipSessionID>abc@host</sipSessionID>'));
  assert.ok(xml.includes('<participant participant_id="P1">\r\n    <nameID aor="sip:+1555@example.com">\r\n      <name>+1555</name>'));
  assert.ok(xml.includes('<participant participant_id="P2">\r\n    <nameID aor="sip:bob@example.com">\r\n    </nameID>'), 'no name element without a name');
  assert.ok(xml.includes('<participantsessionassoc participant_id="P2" session_id="S">'));
  assert.ok(xml.includes('<stream stream_id="T1" session_id="S">\r\n    <label>1</label>'));
  assert.ok(xml.includes('<stream stream_id="T2" session_id="S">\r\n    <label>2</label>'));
  assert.ok(xml.includes('<participantstreamassoc participant_id="P1">\r\n    <send>T1</send>\r\n    <recv>T2</recv>'));
  assert.ok(xml.includes('<participantstreamassoc participant_id="P2">\r\n    <send>T2</send>\r\n    <recv>T1</recv>'));
  assert.ok(xml.includes('<extensiondata xmlns:jb="http://jambonz.org/siprec">'));
  assert.ok(xml.includes('<jb:callsid>c-1</jb:callsid>'));
  assert.ok(xml.includes('<jb:recordingid>r&lt;1&gt;</jb:recordingid>'), 'key cleaned, value escaped');
  assert.ok(!xml.includes('9bad'), 'a key that cannot be an element name is dropped');
  assert.ok(!meta().includes('extensiondata'), 'no extension data when none is given');
  assert.ok(xml.endsWith('</recording>\r\n'));
});

test('metadata escapes what the call gives it; ids are base64 UUIDs', () => {
  const xml = meta({ callId: 'a"<b>&c', caller: { aor: 'sip:"x"@h', name: "O'Brien\u0001" } });
  assert.ok(xml.includes('<sipSessionID>a&quot;&lt;b&gt;&amp;c</sipSessionID>'));
  assert.ok(xml.includes('<nameID aor="sip:&quot;x&quot;@h">'));
  assert.ok(xml.includes('<name>O&apos;Brien</name>'), 'control characters dropped');
  assert.equal(escapeXml('<&>'), '&lt;&amp;&gt;');
  assert.equal(metadataId('00000000-0000-0000-0000-000000000001'), 'AAAAAAAAAAAAAAAAAAAAAQ==');
  assert.equal(Buffer.from(metadataId('7e1f0a2c-9b3d-4e5f-8a6b-1c2d3e4f5a6b'), 'base64').length, 16);
});

test('offer: two send-only audio streams labelled 1 and 2 with our codecs; inactive to pause', () => {
  const sdp = buildOffer({ address: '10.0.0.5', ports: [20000, 20002], labels: ['1', '2'], codecs: ['PCMA', 'PCMU', 'opus', 'G722'], sessionId: '42', version: 3, direction: 'sendonly' });
  assert.match(sdp, /^o=switchboard 42 3 IN IP4 10\.0\.0\.5\r\n/m);
  const parsed = parseSdp(sdp);
  const streams = audioStreams(parsed);
  assert.equal(streams.length, 2);
  assert.deepEqual(streams.map((s) => s.port), [20000, 20002]);
  assert.deepEqual(streams.map((s) => s.direction), ['sendonly', 'sendonly']);
  assert.deepEqual(streams[0]!.payloads.map((p) => `${p.pt} ${p.encoding}`), ['8 PCMA', '0 PCMU', '9 G722'], 'static payload types only, in preference order');
  assert.deepEqual(parsed.media.map((m) => m.attributes.find((a) => a.name === 'label')?.value), ['1', '2']);
  const paused = buildOffer({ address: '::1', ports: [1, 3], labels: ['1', '2'], codecs: [], sessionId: '42', version: 4, direction: 'inactive' });
  assert.match(paused, /^c=IN IP6 ::1\r\n/m);
  assert.equal((paused.match(/^a=inactive\r\n/gm) ?? []).length, 2);
  assert.match(paused, /^m=audio 1 RTP\/AVP 0\r\n/m, 'PCMU when no usable codec is configured');
});

const answer = (m1: string, m2: string, dir1 = 'recvonly', dir2 = 'recvonly'): string => [
  'v=0', 'o=srs 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0',
  m1, `a=${dir1}`, m2, `a=${dir2}`, 'a=rtcp:7000', '',
].join('\r\n');

test('answer: per stream the remote address, codec and direction; rejected and unusable streams are not sent', () => {
  const codecs = ['PCMU', 'PCMA', 'G722'];
  const ok = readAnswer(answer('m=audio 6000 RTP/AVP 8', 'm=audio 6002 RTP/AVP 9\r\na=ptime:30'), codecs);
  assert.ok(ok.ok);
  const [s1, s2] = ok.streams;
  assert.ok(s1.send && s2.send);
  assert.deepEqual(s1.config, {
    codec: { name: 'PCMA', pt: 8, clockRate: 8000, sampleRate: 8000, channels: 1 }, ptime: 20, direction: 'sendonly',
    remote: { address: '192.0.2.1', port: 6000, rtcpPort: 6001 },
  });
  assert.equal(s2.config.codec.name, 'G722');
  assert.equal(s2.config.codec.sampleRate, 16000);
  assert.equal(s2.config.ptime, 30);
  assert.equal(s2.config.remote?.rtcpPort, 7000);
  const inactive = readAnswer(answer('m=audio 6000 RTP/AVP 0', 'm=audio 0 RTP/AVP 0', 'inactive'), codecs);
  assert.ok(inactive.ok);
  assert.ok(inactive.streams[0].send && inactive.streams[0].config.direction === 'inactive', 'a stream the server does not receive stays quiet');
  assert.deepEqual(inactive.streams[1], { send: false, why: 'rejected (port 0)' });
  const none = readAnswer(answer('m=audio 6000 RTP/AVP 18', 'm=audio 0 RTP/AVP 0'), codecs);
  assert.ok(!none.ok);
  assert.match(none.reason, /no codec in common.*rejected/);
  const g722Only = readAnswer(answer('m=audio 6000 RTP/AVP 9', 'm=audio 6002 RTP/AVP 9'), ['PCMU']);
  assert.ok(!g722Only.ok, 'a codec we did not offer is not used');
  assert.ok(!readAnswer('garbage', codecs).ok);
  assert.ok(!readAnswer(answer('m=audio 6000 RTP/AVP 0', 'm=video 6002 RTP/AVP 96').replace('c=IN IP4 192.0.2.1\r\n', ''), codecs).ok, 'no address');
});

test('body: multipart/mixed with the SDP (session) and the metadata (recording-session)', () => {
  const { body, contentType } = buildSiprecBody('v=0\r\n', meta());
  assert.match(contentType, /^multipart\/mixed;boundary=[0-9a-f]+$/);
  const parts = parseMultipart(body, contentType);
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.headers.get('content-type'), 'application/sdp');
  assert.equal(parts[0]!.headers.get('content-disposition'), 'session;handling=required');
  assert.equal(parts[0]!.body.toString(), 'v=0\r\n');
  assert.equal(parts[1]!.headers.get('content-type'), 'application/rs-metadata+xml');
  assert.equal(parts[1]!.headers.get('content-disposition'), 'recording-session');
  assert.equal(parts[1]!.body.toString(), meta());
});

test('state machine: start, pause, resume, stop; failures and the ends are final', () => {
  const run = (events: Parameters<typeof nextState>[1][]): string => {
    let s: ReturnType<typeof nextState> = 'starting';
    for (const e of events) s = s === undefined ? undefined : nextState(s, e);
    return String(s);
  };
  assert.equal(run(['answered']), 'recording');
  assert.equal(run(['answered', 'paused', 'resumed', 'paused']), 'paused');
  assert.equal(run(['answered', 'paused', 'stop']), 'stopped');
  assert.equal(run(['answered', 'remote-bye']), 'stopped');
  assert.equal(run(['answered', 'hangup']), 'stopped');
  assert.equal(run(['failed']), 'failed');
  assert.equal(run(['stop']), 'stopped', 'stopped before the answer');
  assert.equal(run(['paused']), 'undefined', 'no pause before the answer');
  assert.equal(run(['answered', 'resumed']), 'undefined', 'no resume while recording');
  assert.equal(run(['stop', 'answered']), 'undefined', 'nothing after the end');
  assert.equal(run(['failed', 'stop']), 'undefined');
  assert.equal(isFinal('stopped') && isFinal('failed') && !isFinal('paused') && !isFinal('starting'), true);
});
