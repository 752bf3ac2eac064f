import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, parseUri, type SipRequest, type SipResponse } from '../message/index.ts';
import { DialogState, requestUriOf } from './dialog-state.ts';

function msg(lines: string[]): SipRequest | SipResponse {
  return parseMessage(Buffer.from([...lines, 'Content-Length: 0', '', ''].join('\r\n')));
}

const INVITE = msg([
  'INVITE sip:bob@b.example SIP/2.0',
  'Via: SIP/2.0/UDP p2.example;branch=z9hG4bK2',
  'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1',
  'Record-Route: <sip:p2.example;lr>',
  'Record-Route: <sip:p1.example;lr>',
  'From: "Alice" <sip:alice@a.example>;tag=a1',
  'To: <sip:bob@b.example>',
  'Call-ID: call-1',
  'CSeq: 10 INVITE',
  'Contact: <sip:alice@192.0.2.1:5060;transport=tcp>',
]) as SipRequest;

const OK = msg([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1',
  'Record-Route: <sip:p2.example;lr>',
  'Record-Route: <sip:p1.example;lr>',
  'From: "Alice" <sip:alice@a.example>;tag=a1',
  'To: <sip:bob@b.example>;tag=b1',
  'Call-ID: call-1',
  'CSeq: 10 INVITE',
  'Contact: <sip:bob@192.0.2.2>',
]) as SipResponse;

const ME = parseUri('sip:me@192.0.2.9');

test('UAS dialog state (section 12.1.1): route set in order, target from Contact, remote CSeq', () => {
  const s = DialogState.forUas(INVITE, 'b1', ME);
  assert.deepEqual(s.id, { callId: 'call-1', localTag: 'b1', remoteTag: 'a1' });
  assert.deepEqual(s.routeSet.map((r) => r.uri.host), ['p2.example', 'p1.example']);
  assert.equal(s.remoteTarget.host, '192.0.2.1');
  assert.equal(s.remoteSeq, 10);
  assert.equal(s.localSeq, undefined);
  assert.equal(s.fromHeader(), '<sip:bob@b.example>;tag=b1');
  assert.equal(s.toHeader(), '"Alice" <sip:alice@a.example>;tag=a1');
  const bye = s.buildRequest('BYE');
  assert.equal(bye.uri, 'sip:alice@192.0.2.1:5060;transport=tcp');
  assert.deepEqual(bye.headers.getAll('route'), ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
  assert.equal(bye.headers.get('contact'), undefined);
  assert.ok(bye.cseq.seq >= 1);
});

test('UAC dialog state (section 12.1.2): route set reversed, CSeq continues from the INVITE', () => {
  const s = DialogState.forUac(INVITE, OK, ME);
  assert.deepEqual(s.id, { callId: 'call-1', localTag: 'a1', remoteTag: 'b1' });
  assert.deepEqual(s.routeSet.map((r) => r.uri.host), ['p1.example', 'p2.example']);
  const info = s.buildRequest('INFO');
  assert.equal(info.cseq.seq, 11);
  assert.equal(info.uri, 'sip:bob@192.0.2.2');
  const ack = s.buildRequest('ACK', 10);
  assert.equal(ack.headers.get('cseq'), '10 ACK');
  assert.equal(s.localSeq, 11, 'the ACK does not consume a sequence number');
  const reinvite = s.buildRequest('INVITE');
  assert.equal(reinvite.headers.get('contact'), '<sip:me@192.0.2.9>');
});

test('strict router first in the route set (section 12.2.1.1): it becomes the Request-URI', () => {
  const s = DialogState.forUac(INVITE, OK, ME);
  s.routeSet = [{ uri: parseUri('sip:strict.example;maddr=10.0.0.1'), params: {} }, { uri: parseUri('sip:p2.example;lr'), params: {} }];
  const bye = s.buildRequest('BYE');
  assert.equal(bye.uri, 'sip:strict.example;maddr=10.0.0.1');
  assert.deepEqual(bye.headers.getAll('route'), ['<sip:p2.example;lr>', '<sip:bob@192.0.2.2>']);
});

test('remote CSeq (section 12.2.2): lower is out of order, equal or higher is accepted', () => {
  const s = DialogState.forUas(INVITE, 'b1', ME);
  assert.equal(s.acceptRemoteSeq(9), false);
  assert.equal(s.acceptRemoteSeq(10), true);
  assert.equal(s.acceptRemoteSeq(12), true);
  assert.equal(s.acceptRemoteSeq(11), false);
  assert.equal(s.remoteSeq, 12);
});

test('target refresh and Request-URI cleaning', () => {
  const s = DialogState.forUac(INVITE, OK, ME);
  const refresh = msg(['UPDATE sip:a SIP/2.0', 'Via: SIP/2.0/UDP x;branch=z9hG4bK3', 'From: <sip:b@x>;tag=b1', 'To: <sip:a@x>;tag=a1', 'Call-ID: call-1', 'CSeq: 2 UPDATE', 'Contact: <sip:bob@198.51.100.7>']);
  assert.equal(s.refreshTarget(refresh), true);
  assert.equal(s.remoteTarget.host, '198.51.100.7');
  const clean = requestUriOf(parseUri('sip:x@y;method=INVITE;lr?subject=hi'));
  assert.deepEqual([clean.params, clean.headers], [{ lr: null }, {}]);
});
