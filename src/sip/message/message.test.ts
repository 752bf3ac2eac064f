/** Typed header getters, caching, bodies and cloning of SIP messages (RFC 3261 7, 20). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipRequest, SipResponse } from './message.ts';
import { SipHeaders } from './headers.ts';
import { SipParseError } from './errors.ts';
import { formatSipDate, parseSipDate } from './sip-date.ts';

function req(extra: [string, string][] = []): SipRequest {
  return new SipRequest('INVITE', 'sip:bob@biloxi.com', [
    ['Via', 'SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1, SIP/2.0/TCP p2.example.com:5061;branch=z9hG4bKp2'],
    ['Via', 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776;received=192.0.2.1;rport=5060'],
    ['From', '"Alice" <sip:alice@atlanta.com>;tag=1928301774'],
    ['To', '<sip:bob@biloxi.com>'],
    ['Call-ID', '  a84b4c76e66710@pc33.atlanta.com '],
    ['CSeq', '314159 INVITE'],
    ...extra,
  ]);
}

test('typed getters', () => {
  const m = req([
    ['Contact', '<sip:alice@pc33.atlanta.com>;expires=60, "B" <sip:b@x>'],
    ['Route', '<sip:r1.example.com;lr>'],
    ['Route', '<sip:r2.example.com;lr>'],
    ['Record-Route', '<sip:rr.example.com;lr>'],
    ['Max-Forwards', '70'],
    ['Content-Type', 'Application/SDP; charset=UTF-8'],
    ['Expires', '3600'],
    ['Require', '100rel, timer'],
    ['k', 'replaces'],
    ['Supported', 'path'],
    ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
  ]);
  assert.deepEqual(m.vias.map((v) => v.host), ['p1.example.com', 'p2.example.com', 'pc33.atlanta.com']);
  assert.equal(m.topVia?.params.branch, 'z9hG4bKp1');
  assert.equal(m.vias[2]?.params.rport, '5060');
  assert.equal(m.from.displayName, 'Alice');
  assert.equal(m.fromTag, '1928301774');
  assert.equal(m.toTag, undefined);
  assert.equal(m.to.uri.user, 'bob');
  assert.equal(m.callId, 'a84b4c76e66710@pc33.atlanta.com');
  assert.deepEqual(m.cseq, { seq: 314159, method: 'INVITE' });
  assert.equal(m.contacts.length, 2);
  assert.deepEqual(m.routes.map((r) => r.uri.host), ['r1.example.com', 'r2.example.com']);
  assert.equal(m.recordRoutes[0]?.uri.params.lr, null);
  assert.equal(m.maxForwards, 70);
  assert.equal(m.contentType, 'application/sdp');
  assert.deepEqual(m.contentTypeParams, { charset: 'UTF-8' });
  assert.equal(m.expires, 3600);
  assert.deepEqual(m.require, ['100rel', 'timer']);
  assert.deepEqual(m.supported, ['replaces', 'path']);
  assert.equal(m.date?.toISOString(), '2010-11-13T23:29:00.000Z');
  assert.equal(m.isRequest(), true);
  assert.equal(m.requestUri.host, 'biloxi.com');
});

test('optional headers: absent gives undefined or empty', () => {
  const m = req();
  assert.equal(m.maxForwards, undefined);
  assert.equal(m.contentType, undefined);
  assert.deepEqual(m.contentTypeParams, {});
  assert.equal(m.expires, undefined);
  assert.equal(m.date, undefined);
  assert.deepEqual(m.contacts, []);
  assert.deepEqual(m.routes, []);
  assert.deepEqual(m.require, []);
  assert.equal(new SipRequest('OPTIONS', 'sip:x').topVia, undefined);
});

test('mandatory headers: absent or malformed throws SipParseError with a reason', () => {
  const empty = new SipRequest('OPTIONS', 'sip:x@y');
  const reasons: [() => unknown, string][] = [
    [() => empty.from, 'Missing From'],
    [() => empty.to, 'Missing To'],
    [() => empty.callId, 'Missing Call-ID'],
    [() => empty.cseq, 'Missing CSeq'],
    [() => empty.fromTag, 'Missing From'],
  ];
  for (const [get, reason] of reasons) assert.throws(get, (e: unknown) => e instanceof SipParseError && e.reason === reason, reason);
  const bad = new SipRequest('OPTIONS', 'sip x', [
    ['Contact', 'sip:a@b?x=y'], ['Max-Forwards', 'many'], ['Expires', 'soon'], ['Date', 'Fri, 01 Jan 2010 16:00:00 EST'],
    ['Content-Type', 'sdp'], ['Route', '<sip:a'], ['Via', 'SIP/2.0/UDP'], ['Require', 'a b'],
  ]);
  const more: [() => unknown, string][] = [
    [() => bad.contacts, 'Bad Contact'], [() => bad.maxForwards, 'Bad Max-Forwards'], [() => bad.expires, 'Bad Expires'],
    [() => bad.date, 'Bad Date'], [() => bad.contentType, 'Bad Content-Type'], [() => bad.routes, 'Bad Route'],
    [() => bad.vias, 'Bad Via'], [() => bad.require, 'Bad Require'], [() => bad.requestUri, 'Bad Request-URI'],
  ];
  for (const [get, reason] of more) assert.throws(get, (e: unknown) => e instanceof SipParseError && e.reason === reason, reason);
  assert.throws(() => new SipRequest('R', 'sip:a', [['Contact', '*, <sip:a@b>']]).contacts, SipParseError);
});

test('parsed values are cached per header version and refreshed after a change', () => {
  const m = req();
  const from = m.from;
  assert.equal(m.from, from);
  assert.equal(m.vias, m.vias);
  m.headers.set('From', '<sip:carol@chicago.com>;tag=9');
  assert.notEqual(m.from, from);
  assert.equal(m.fromTag, '9');
  m.headers.removeFirstValue('Via');
  assert.equal(m.topVia?.host, 'p2.example.com');
  m.headers = new SipHeaders([['Via', 'SIP/2.0/UDP other;branch=z9hG4bKo']]);
  assert.equal(m.topVia?.host, 'other');
  assert.throws(() => m.from, SipParseError);
});

test('requestUri is cached on the uri text', () => {
  const m = req();
  const u = m.requestUri;
  assert.equal(m.requestUri, u);
  m.uri = 'sips:carol@chicago.com:5061';
  assert.equal(m.requestUri.scheme, 'sips');
  assert.equal(m.requestUri.port, 5061);
});

test('setBody and clone', () => {
  const m = req([['Content-Length', '0']]);
  m.setBody('v=0\r\n', 'application/sdp');
  assert.equal(m.body.toString(), 'v=0\r\n');
  assert.equal(m.contentType, 'application/sdp');
  assert.equal(m.headers.get('Content-Length'), '5');
  m.setBody(Buffer.from([1, 2, 3]));
  assert.equal(m.body.length, 3);
  const c = m.clone();
  assert.ok(c instanceof SipRequest);
  c.headers.set('To', '<sip:x@y>;tag=2');
  c.uri = 'sip:x@y';
  assert.equal(m.toTag, undefined);
  assert.equal(c.toTag, '2');
  assert.equal(m.uri, 'sip:bob@biloxi.com');
  const r = new SipResponse(180, 'Ringing', [['To', '<sip:a@b>;tag=t']], 'x');
  const rc = r.clone();
  assert.ok(rc instanceof SipResponse);
  assert.equal(rc.status, 180);
  assert.equal(rc.toTag, 't');
  assert.equal(rc.body.toString(), 'x');
  assert.equal(r.isRequest(), false);
  assert.equal(r.startLine(), 'SIP/2.0 180 Ringing');
});

test('SIP dates (RFC 3261 20.17)', () => {
  assert.equal(parseSipDate('Sat, 13 Nov 2010 23:29:00 GMT').getTime(), Date.UTC(2010, 10, 13, 23, 29, 0));
  assert.equal(formatSipDate(new Date(Date.UTC(2010, 10, 13, 23, 29, 0))), 'Sat, 13 Nov 2010 23:29:00 GMT');
  for (const bad of ['Fri, 01 Jan 2010 16:00:00 EST', 'Sat, 31 Feb 2010 00:00:00 GMT', '13 Nov 2010', 'Sat, 13 Nov 2010 24:00:00 GMT']) {
    assert.throws(() => parseSipDate(bad), SipParseError, bad);
  }
});

test('replaceTopVia rewrites only the top Via value and keeps the other parsed headers cached', () => {
  const m = req();
  const from = m.from;
  const cseq = m.cseq;
  const top = m.topVia;
  assert.ok(top);
  m.replaceTopVia({ ...top, params: { ...top.params, received: '192.0.2.9' } });
  assert.equal(m.from, from, 'From is not parsed again');
  assert.equal(m.cseq, cseq);
  assert.equal(m.topVia?.params['received'], '192.0.2.9');
  assert.equal(m.vias.length, 3);
  assert.equal(m.vias[1]?.host, 'p2.example.com');
  assert.deepEqual(m.headers.values('via').slice(0, 2), ['SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1;received=192.0.2.9', 'SIP/2.0/TCP p2.example.com:5061;branch=z9hG4bKp2']);
  m.headers.set('To', '<sip:carol@biloxi.com>');
  assert.equal(m.to.uri.user, 'carol', 'any other change still refreshes every cached value');
});
