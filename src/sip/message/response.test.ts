/** Building responses and reason phrases (RFC 3261 8.2.6, 21). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse } from './response.ts';
import { reasonPhrase } from './reason-phrases.ts';
import { parseMessage } from './parse.ts';
import { SipRequest } from './message.ts';

const INVITE = [
  'INVITE sip:bob@biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP p1;branch=z9hG4bKa, SIP/2.0/UDP p2;branch=z9hG4bKb',
  'Record-Route: <sip:p1;lr>',
  'Via: SIP/2.0/UDP pc33;branch=z9hG4bKc;received=192.0.2.1',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'To: Bob <sip:bob@biloxi.com>',
  'Call-ID: a84b4c76e66710@pc33',
  'CSeq: 314159 INVITE',
  'Timestamp: 54',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function invite(): SipRequest {
  const m = parseMessage(INVITE);
  assert.ok(m instanceof SipRequest);
  return m;
}

test('createResponse copies Via (in order), From, To, Call-ID, CSeq', () => {
  const r = createResponse(invite(), 180, undefined, { toTag: 'a6c85cf' });
  assert.equal(r.status, 180);
  assert.equal(r.reason, 'Ringing');
  assert.deepEqual([...r.headers], [
    ['Via', 'SIP/2.0/UDP p1;branch=z9hG4bKa, SIP/2.0/UDP p2;branch=z9hG4bKb'],
    ['Via', 'SIP/2.0/UDP pc33;branch=z9hG4bKc;received=192.0.2.1'],
    ['From', 'Alice <sip:alice@atlanta.com>;tag=1928301774'],
    ['To', 'Bob <sip:bob@biloxi.com>;tag=a6c85cf'],
    ['Call-ID', 'a84b4c76e66710@pc33'],
    ['CSeq', '314159 INVITE'],
  ]);
  assert.equal(r.toTag, 'a6c85cf');
  assert.equal(r.vias.length, 3);
});

test('an existing To tag is kept; 100 echoes Timestamp; custom reason', () => {
  const req = invite();
  req.headers.set('To', 'Bob <sip:bob@biloxi.com>;tag=existing');
  const r = createResponse(req, 200, 'Fine', { toTag: 'new' });
  assert.equal(r.toTag, 'existing');
  assert.equal(r.reason, 'Fine');
  assert.equal(r.headers.has('Timestamp'), false);
  assert.equal(createResponse(invite(), 100).headers.get('Timestamp'), '54');
  assert.equal(createResponse(invite(), 487).headers.get('To'), 'Bob <sip:bob@biloxi.com>');
});

test('addr-spec To gains a header tag, not a URI parameter', () => {
  const req = invite();
  req.headers.set('To', 'sip:bob@biloxi.com');
  const r = createResponse(req, 200, undefined, { toTag: 'x1' });
  assert.equal(r.toTag, 'x1');
  assert.deepEqual(r.to.uri.params, {});
});

test('reason phrases', () => {
  const rows: [number, string][] = [
    [100, 'Trying'], [183, 'Session Progress'], [200, 'OK'], [202, 'Accepted'], [302, 'Moved Temporarily'], [400, 'Bad Request'],
    [401, 'Unauthorized'], [407, 'Proxy Authentication Required'], [408, 'Request Timeout'], [420, 'Bad Extension'],
    [422, 'Session Interval Too Small'], [423, 'Interval Too Brief'], [481, 'Call/Transaction Does Not Exist'],
    [486, 'Busy Here'], [487, 'Request Terminated'], [488, 'Not Acceptable Here'], [489, 'Bad Event'], [491, 'Request Pending'],
    [494, 'Security Agreement Required'], [500, 'Server Internal Error'], [503, 'Service Unavailable'],
    [505, 'Version Not Supported'], [513, 'Message Too Large'], [603, 'Decline'], [199, 'Early Dialog Terminated'],
    [299, 'Success'], [499, 'Client Error'], [699, 'Global Failure'], [799, 'Unknown'],
  ];
  for (const [code, phrase] of rows) assert.equal(reasonPhrase(code), phrase, String(code));
});
