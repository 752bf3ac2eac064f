/** Event serialization tests against specs/esl.md §1.6 (BACKGROUND_JOB example) and §4.1. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serializeJson, serializePlain, serializeXml, xmlEscape, type EslEvent, type EventHeader } from './esl-event.ts';
import { eventFrame } from './framing.ts';
import { EventStamper, gmtDate } from './event-stamp.ts';

const HEADERS: EventHeader[] = [
  ['Event-Name', 'BACKGROUND_JOB'],
  ['Core-UUID', '3f0c6b1e-6b9c-4d0c-9a3f-2b1f0c9d2a11'],
  ['FreeSWITCH-Hostname', 'pbx1'],
  ['FreeSWITCH-Switchname', 'pbx1'],
  ['FreeSWITCH-IPv4', '10.0.0.5'],
  ['FreeSWITCH-IPv6', '::1'],
  ['Event-Date-Local', '2024-05-01 12:34:56'],
  ['Event-Date-GMT', 'Wed, 01 May 2024 10:34:56 GMT'],
  ['Event-Date-Timestamp', '1714559696123456'],
  ['Event-Calling-File', 'mod_event_socket.c'],
  ['Event-Calling-Function', 'api_exec'],
  ['Event-Calling-Line-Number', '1589'],
  ['Event-Sequence', '48213'],
  ['Job-UUID', '7f4de4bc-17d7-11dd-b7a0-db4edd065621'],
  ['Job-Command', 'originate'],
  ['Job-Command-Arg', 'user/1000 &park()'],
];
const BODY = '+OK 0a3b4b1e-2c44-4b8e-9d2a-6c9c3f1d7e21\n';
const JOB: EslEvent = { headers: HEADERS, body: BODY };

const SPEC_FRAME = `Content-Length: 594
Content-Type: text/event-plain

Event-Name: BACKGROUND_JOB
Core-UUID: 3f0c6b1e-6b9c-4d0c-9a3f-2b1f0c9d2a11
FreeSWITCH-Hostname: pbx1
FreeSWITCH-Switchname: pbx1
FreeSWITCH-IPv4: 10.0.0.5
FreeSWITCH-IPv6: %3A%3A1
Event-Date-Local: 2024-05-01%2012%3A34%3A56
Event-Date-GMT: Wed,%2001%20May%202024%2010%3A34%3A56%20GMT
Event-Date-Timestamp: 1714559696123456
Event-Calling-File: mod_event_socket.c
Event-Calling-Function: api_exec
Event-Calling-Line-Number: 1589
Event-Sequence: 48213
Job-UUID: 7f4de4bc-17d7-11dd-b7a0-db4edd065621
Job-Command: originate
Job-Command-Arg: user/1000%20%26park()
Content-Length: 41

+OK 0a3b4b1e-2c44-4b8e-9d2a-6c9c3f1d7e21
`;

describe('esl event serialization (§1.6)', () => {
  it('plain: the BACKGROUND_JOB example byte for byte (payload; outer length = payload bytes)', () => {
    assert.equal(Buffer.byteLength(BODY), 41);
    const payload = SPEC_FRAME.slice(SPEC_FRAME.indexOf('\n\n') + 2);
    assert.equal(serializePlain(JOB), payload);
    // The spec's example says 594, but its own payload is 619 bytes; the length must be the byte count.
    assert.equal(eventFrame('plain', serializePlain(JOB)), SPEC_FRAME.replace('Content-Length: 594', `Content-Length: ${Buffer.byteLength(payload)}`));
    assert.equal(Buffer.byteLength(payload), 619);
  });

  it('plain: no body ends with a blank line; empty body has no inner Content-Length', () => {
    assert.equal(serializePlain({ headers: [['Event-Name', 'HEARTBEAT']] }), 'Event-Name: HEARTBEAT\n\n');
    assert.equal(serializePlain({ headers: [['Event-Name', 'X']], body: '' }), 'Event-Name: X\n\n');
  });

  it('plain: array headers as ARRAY::a|:b, encoded', () => {
    assert.equal(serializePlain({ headers: [['X', ['v1', 'v2', 'v3']]] }), 'X: ARRAY%3A%3Av1%7C%3Av2%7C%3Av3\n\n');
  });

  it('json: compact, raw values, Content-Length + _body appended, duplicates kept', () => {
    const json = serializeJson({ headers: [['Event-Name', 'CHANNEL_HANGUP_COMPLETE'], ['Hangup-Cause', 'A'], ['Hangup-Cause', 'A'],
      ['Channel-Name', 'sofia/internal/1000@10.0.0.5'], ['Ctl', 'a"b\\c\n\t\u0001é']], body: BODY });
    assert.equal(json, '{"Event-Name":"CHANNEL_HANGUP_COMPLETE","Hangup-Cause":"A","Hangup-Cause":"A",'
      + '"Channel-Name":"sofia/internal/1000@10.0.0.5","Ctl":"a\\"b\\\\c\\n\\t\\u0001é",'
      + '"Content-Length":"41","_body":"+OK 0a3b4b1e-2c44-4b8e-9d2a-6c9c3f1d7e21\\n"}');
  });

  it('json: empty body still has Content-Length 0 and _body (bgapi with no output)', () => {
    assert.equal(serializeJson({ headers: [['Event-Name', 'BACKGROUND_JOB']], body: '' }),
      '{"Event-Name":"BACKGROUND_JOB","Content-Length":"0","_body":""}');
    assert.equal(serializeJson({ headers: [['A', ['x', 'y']]] }), '{"A":["x","y"]}');
  });

  it('xml: two-space layout, URL-encoded header text, escaped body, trailing newline', () => {
    const xml = serializeXml({ headers: [['Event-Name', 'HEARTBEAT'], ['Up-Time', '0 years'], ['Arr', ['a', 'b']]], body: '<x> & é "q"\t' });
    assert.equal(xml, '<event>\n  <headers>\n    <Event-Name>HEARTBEAT</Event-Name>\n    <Up-Time>0%20years</Up-Time>\n'
      + '    <Arr>a</Arr>\n    <Arr>b</Arr>\n  </headers>\n  <Content-Length>13</Content-Length>\n'
      + '  <body>&lt;x&gt; &amp; &#xE9; "q"\t</body>\n</event>\n');
    assert.equal(serializeXml({ headers: [['Event-Name', 'X']] }), '<event>\n  <headers>\n    <Event-Name>X</Event-Name>\n  </headers>\n</event>\n');
  });

  it('xml escaping: non-ASCII as hex references (§11.6)', () => assert.equal(xmlEscape('é😀'), '&#xE9;&#x1F600;'));
});

describe('esl standard headers (§4.1)', () => {
  it('stamps the standard block in order with one sequence counter', () => {
    const ms = Date.UTC(2024, 4, 1, 10, 34, 56, 123) + 0.456;
    const s = new EventStamper({ coreUuid: 'c', hostname: 'pbx1', switchname: 'pbx1', ipv4: '10.0.0.5', ipv6: '::1' }, () => ms, 48213);
    const e = s.stamp({ name: 'CUSTOM', subclass: 'conference::maintenance', origin: ['f.c', 'fn', 7], headers: [['Action', 'lock']] });
    assert.deepEqual(e.headers.map(([n]) => n), [
      'Event-Name', 'Core-UUID', 'FreeSWITCH-Hostname', 'FreeSWITCH-Switchname', 'FreeSWITCH-IPv4', 'FreeSWITCH-IPv6',
      'Event-Date-Local', 'Event-Date-GMT', 'Event-Date-Timestamp', 'Event-Calling-File', 'Event-Calling-Function',
      'Event-Calling-Line-Number', 'Event-Sequence', 'Event-Subclass', 'Action',
    ]);
    const get = (n: string): unknown => e.headers.find(([h]) => h === n)?.[1];
    assert.equal(get('Event-Date-GMT'), 'Wed, 01 May 2024 10:34:56 GMT');
    assert.equal(get('Event-Date-Timestamp'), '1714559696123456');
    assert.equal(get('Event-Sequence'), '48213');
    assert.equal(s.stamp({ name: 'X', headers: [] }).headers.find(([h]) => h === 'Event-Sequence')?.[1], '48214');
    assert.match(String(get('Event-Date-Local')), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(gmtDate(0), 'Thu, 01 Jan 1970 00:00:00 GMT');
  });
});
