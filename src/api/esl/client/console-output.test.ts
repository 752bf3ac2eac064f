import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatApiReply, formatCommandReply, formatFrame, parsePlainEvent, serializeEvent, type OutputState } from './console-output.ts';
import type { ServerFrame } from './frame-reader.ts';

const plain: OutputState = { color: false, uuidFilter: undefined, logFilter: undefined };
const log = (body: string, userData = '', level = '6'): ServerFrame => ({
  headers: [['Content-Type', 'log/data'], ['Content-Length', String(Buffer.byteLength(body))], ['Log-Level', level], ['User-Data', userData]], body,
});

describe('console output (fs_cli msg_thread_run)', () => {
  it('plain events: RECV EVENT, decoded headers, inner body', () => {
    const payload = 'Event-Name: CUSTOM\nCaller-Caller-ID-Name: Jane%20Doe\nContent-Length: 5\n\nhello';
    const frame: ServerFrame = { headers: [['Content-Length', String(payload.length)], ['Content-Type', 'text/event-plain']], body: payload };
    assert.equal(formatFrame(frame, plain), 'RECV EVENT\nEvent-Name: CUSTOM\nCaller-Caller-ID-Name: Jane Doe\nContent-Length: 5\n\nhello\n');
    const bare: ServerFrame = { headers: [['Content-Type', 'text/event-plain']], body: 'Event-Name: HEARTBEAT\nUp-Time: 0%20years\n\n' };
    assert.equal(formatFrame(bare, plain), 'RECV EVENT\nEvent-Name: HEARTBEAT\nUp-Time: 0 years\n\n\n');
  });

  it('parsePlainEvent / serializeEvent: an empty value prints as _undef_', () => {
    const e = parsePlainEvent('A: 1\nB: \n\n');
    assert.deepEqual(e, { headers: [['A', '1'], ['B', '']], body: undefined });
    assert.equal(serializeEvent(e.headers, e.body), 'A: 1\nB: _undef_\n\n');
  });

  it('other frames: INCOMING DATA [type] and the body', () => {
    const json: ServerFrame = { headers: [['Content-Type', 'text/event-json']], body: '{"Event-Name":"HEARTBEAT"}' };
    assert.equal(formatFrame(json, plain), 'INCOMING DATA [text/event-json]\n{"Event-Name":"HEARTBEAT"}\n');
    assert.equal(formatFrame({ headers: [['Content-Type', 'text/disconnect-notice']], body: 'bye' }, plain), undefined);
  });

  it('log lines: newline added, color by level, /uuid and /logfilter filters', () => {
    assert.equal(formatFrame(log('a line'), plain), 'a line\n');
    assert.equal(formatFrame(log('warn\n', '', '4'), { ...plain, color: true }), '\x1b[35mwarn\n\x1b[0m');
    assert.equal(formatFrame(log('\n'), plain), undefined, 'a bare newline is not printed');
    const uuid = { ...plain, uuidFilter: 'ABC' };
    assert.equal(formatFrame(log('mine\n', 'abc'), uuid), 'mine\n');
    assert.equal(formatFrame(log('other\n', 'def'), uuid), undefined);
    assert.equal(formatFrame(log('no call\n', ''), uuid), 'no call\n', 'lines of no call pass the uuid filter');
    const text = { ...plain, logFilter: 'sofia' };
    assert.equal(formatFrame(log('sofia says\n'), text), 'sofia says\n');
    assert.equal(formatFrame(log('core says\n'), text), undefined);
  });

  it('api replies: body + newline, or Error: ...! for a -ERR command/reply', () => {
    assert.equal(formatApiReply({ headers: [['Content-Type', 'api/response']], body: '+OK\n' }), '+OK\n\n');
    assert.equal(formatApiReply({ headers: [['Content-Type', 'command/reply'], ['Reply-Text', '-ERR permission denied']] }), 'Error:  permission denied!\n');
    assert.equal(formatCommandReply({ headers: [['Content-Type', 'command/reply'], ['Reply-Text', '+OK events nixed']] }), '+OK events nixed\n');
  });
});
