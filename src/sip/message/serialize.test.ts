/** Writing messages (RFC 3261 7, 18.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeMessage } from './serialize.ts';
import { parseMessage } from './parse.ts';
import { SipRequest, SipResponse } from './message.ts';

test('writes start line, canonical names, real Content-Length in place, body', () => {
  const m = parseMessage(
    'INVITE sip:bob@biloxi.com SIP/2.0\r\nv: SIP/2.0/UDP a;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:b@c>\r\ni: x@y\r\n' +
      'CSEQ: 1 INVITE\r\nl: 3\r\nX-Custom: yes\r\nc: text/plain\r\n\r\nabcdef',
  );
  assert.equal(
    serializeMessage(m).toString(),
    'INVITE sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\n' +
      'Call-ID: x@y\r\nCSeq: 1 INVITE\r\nContent-Length: 3\r\nX-Custom: yes\r\nContent-Type: text/plain\r\n\r\nabc',
  );
  m.setBody('hello world');
  assert.match(serializeMessage(m).toString(), /\r\nContent-Length: 11\r\nX-Custom: yes\r\n/);
});

test('adds Content-Length when absent and replaces duplicates', () => {
  const r = new SipResponse(200, 'OK', [['Via', 'SIP/2.0/UDP a'], ['Content-Length', '99'], ['Content-Length', '98']]);
  assert.equal(serializeMessage(r).toString(), 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\nContent-Length: 0\r\n\r\n');
  const q = new SipRequest('OPTIONS', 'sip:a@b', [['Via', 'SIP/2.0/UDP a']], Buffer.from([0, 255]));
  const out = serializeMessage(q);
  assert.equal(out.subarray(0, out.length - 2).toString(), 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nContent-Length: 2\r\n\r\n');
  assert.deepEqual(out.subarray(out.length - 2), Buffer.from([0, 255]));
});

test('UTF-8 in headers and reason phrase; body length counts bytes', () => {
  const r = new SipResponse(486, 'Занято', [
    ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1'], ['From', '"Jürgen" <sip:j@x>;tag=1'], ['To', '<sip:b@y>;tag=2'],
    ['Call-ID', 'c@x'], ['CSeq', '1 INVITE'], ['Subject', 'привет'],
  ], 'ü');
  const out = serializeMessage(r);
  assert.match(out.toString('utf8'), /^SIP\/2.0 486 Занято\r\n.*\r\nSubject: привет\r\nContent-Length: 2\r\n\r\nü$/s);
  const back = parseMessage(out);
  assert.ok(back instanceof SipResponse);
  assert.equal(back.reason, 'Занято');
  assert.equal(back.from.displayName, 'Jürgen');
  assert.equal(back.headers.get('subject'), 'привет');
  assert.equal(back.body.toString(), 'ü');
});

test('standalone: the same bytes in memory of their own, not a slice of the shared pool', () => {
  const m = new SipResponse(200, 'OK', [['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1'], ['CSeq', '1 BYE']]);
  const pooled = serializeMessage(m);
  const own = serializeMessage(m, { standalone: true });
  assert.deepEqual(own, pooled);
  assert.equal(own.byteOffset, 0);
  assert.equal(own.buffer.byteLength, own.length, 'a kept final response does not pin a pool slab');
  m.setBody('abc', 'text/plain');
  const withBody = serializeMessage(m, { standalone: true });
  assert.equal(withBody.buffer.byteLength, withBody.length);
  assert.ok(withBody.toString().endsWith('\r\n\r\nabc'));
});
