/** Message parsing: start line, header section, body length rules and error reasons (RFC 3261 7, 18.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from './parse.ts';
import { SipRequest, SipResponse } from './message.ts';
import { SipParseError } from './errors.ts';

const BASE = [
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.com>',
];

function wire(start: string, headers: string[], body = ''): string {
  return [start, ...headers, '', body].join('\r\n');
}

function invite(headers: string[] = BASE, body = ''): string {
  return wire('INVITE sip:bob@biloxi.com SIP/2.0', headers, body);
}

function request(data: string | Buffer): SipRequest {
  const m = parseMessage(data);
  assert.ok(m instanceof SipRequest);
  return m;
}

test('parses a request: start line, headers in order, body', () => {
  const m = request(invite([...BASE, 'Content-Type: application/sdp', 'Content-Length: 4'], 'v=0\n'));
  assert.equal(m.method, 'INVITE');
  assert.equal(m.uri, 'sip:bob@biloxi.com');
  assert.equal(m.requestUri.user, 'bob');
  assert.equal(m.headers.size, 9);
  assert.equal(m.body.toString(), 'v=0\n');
  assert.equal(m.cseq.seq, 314159);
  assert.equal(m.topVia?.params.branch, 'z9hG4bK776asdhds');
});

test('parses a response, including an empty reason phrase and UTF-8', () => {
  const ok = parseMessage(wire('SIP/2.0 200 OK', [...BASE.slice(0, 1), ...BASE.slice(2)]));
  assert.ok(ok instanceof SipResponse);
  assert.equal(ok.status, 200);
  assert.equal(ok.reason, 'OK');
  const trying = parseMessage(wire('SIP/2.0 100 ', BASE));
  assert.ok(trying instanceof SipResponse);
  assert.equal(trying.reason, '');
  const bare = parseMessage(wire('SIP/2.0 180', BASE));
  assert.ok(bare instanceof SipResponse);
  assert.equal(bare.status, 180);
  const utf = parseMessage(Buffer.from(wire('SIP/2.0 486 Занято', BASE), 'utf8'));
  assert.ok(utf instanceof SipResponse);
  assert.equal(utf.reason, 'Занято');
});

test('compact forms, case-insensitive names, folding, whitespace around the colon', () => {
  const m = request(wire('INVITE sip:bob@biloxi.com SIP/2.0', [
    'v: SIP/2.0/UDP pc33.atlanta.com',
    ' ;branch=z9hG4bK776asdhds',
    'mAX-fORWARDS   :   70',
    't: sip:bob@biloxi.com',
    'f: <sip:alice@atlanta.com>;tag=1',
    'i: abc@host',
    'CSEQ: 1',
    '\t INVITE',
    'X-Long: one',
    '   two  ',
    '\tthree',
    'l: 0',
  ]));
  assert.equal(m.headers.get('Via'), 'SIP/2.0/UDP pc33.atlanta.com ;branch=z9hG4bK776asdhds');
  assert.equal(m.headers.get('X-Long'), 'one two three');
  assert.equal(m.callId, 'abc@host');
  assert.equal(m.maxForwards, 70);
  assert.deepEqual(m.cseq, { seq: 1, method: 'INVITE' });
  assert.deepEqual([...m.headers.entries()].map(([n]) => n), ['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'X-Long', 'Content-Length']);
});

test('leading CRLFs are ignored; bare LF line ends are accepted', () => {
  assert.equal(request('\r\n\r\n' + invite()).method, 'INVITE');
  const lf = request(invite().replace(/\r\n/g, '\n') + 'body');
  assert.equal(lf.callId, 'a84b4c76e66710@pc33.atlanta.com');
  assert.equal(lf.body.toString(), 'body');
});

test('RFC 3261 18.3 body length rules', () => {
  const body = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n';
  const absent = request(invite(BASE, body));
  assert.equal(absent.body.toString(), body, 'no Content-Length: rest of the datagram');
  const shorter = request(invite([...BASE, 'Content-Length: 3'], body));
  assert.equal(shorter.body.toString(), 'v=0', 'shorter Content-Length truncates');
  const zero = request(invite([...BASE, 'Content-Length: 0'], 'garbage'));
  assert.equal(zero.body.length, 0);
  const exact = request(invite([...BASE, `Content-Length: ${body.length}`], body));
  assert.equal(exact.body.toString(), body);
  assert.throws(
    () => parseMessage(invite([...BASE, 'Content-Length: 9999'], body)),
    (e: unknown) => e instanceof SipParseError && e.reason === 'Content-Length larger than message' && e.request instanceof SipRequest,
  );
  const streamed = parseMessage(invite([...BASE, 'Content-Length: 3'], 'abc'), { stream: true });
  assert.equal(streamed.body.toString(), 'abc');
  assert.throws(() => parseMessage(invite([...BASE, 'Content-Length: 4'], 'abc'), { stream: true }), SipParseError);
});

test('binary bodies are kept byte for byte', () => {
  const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10, 0x80]);
  const head = Buffer.from(invite([...BASE, `Content-Length: ${bytes.length}`]));
  const m = request(Buffer.concat([head, bytes]));
  assert.deepEqual(m.body, bytes);
});

interface Bad {
  name: string;
  data: string;
  reason: string;
  code?: string;
  status?: number;
  /** Whether err.request is set (a response can be built). */
  request: boolean;
}

const bad: Bad[] = [
  { name: 'empty', data: '', reason: 'Empty message', request: false },
  { name: 'only CRLF', data: '\r\n\r\n', reason: 'Empty message', request: false },
  { name: 'no line end', data: 'INVITE sip:a@b SIP/2.0', reason: 'Incomplete message', request: false },
  { name: 'no empty line', data: 'INVITE sip:a@b SIP/2.0\r\nVia: x', reason: 'Incomplete message', request: false },
  { name: 'garbage start line', data: wire('HELLO', BASE), reason: 'Bad request line', request: false },
  { name: 'bad method', data: wire('INV@ITE sip:a@b SIP/2.0', BASE), reason: 'Bad method', request: false },
  { name: 'missing version', data: wire('INVITE sip:a@b', BASE), reason: 'Bad request line', request: false },
  { name: 'bad version', data: wire('INVITE sip:a@b HTTP/1.1', BASE), reason: 'Bad request line', request: false },
  { name: 'unsupported version', data: wire('INVITE sip:bob@biloxi.com SIP/3.0', BASE), reason: 'Version Not Supported', code: 'SIP_VERSION', status: 505, request: true },
  { name: 'response version', data: wire('SIP/1.0 200 OK', BASE), reason: 'Version Not Supported', code: 'SIP_VERSION', request: false },
  { name: 'status code', data: wire('SIP/2.0 2000 OK', BASE), reason: 'Bad status code', request: false },
  { name: 'status range', data: wire('SIP/2.0 099 Hm', BASE), reason: 'Bad status code', request: false },
  { name: 'URI in <>', data: wire('INVITE <sip:bob@biloxi.com> SIP/2.0', BASE), reason: 'Bad Request-URI', request: true },
  { name: 'URI headers', data: wire('INVITE sip:bob@biloxi.com?Route=x SIP/2.0', BASE), reason: 'Bad Request-URI', request: true },
  { name: 'URI scheme', data: wire('INVITE bob@biloxi.com SIP/2.0', BASE), reason: 'Bad Request-URI', request: true },
  { name: 'header without colon', data: invite([...BASE, 'Nonsense']), reason: 'Bad header line', request: true },
  { name: 'bad header name', data: invite([...BASE, 'Bad Name: x']), reason: 'Bad header name', request: true },
  { name: 'continuation first', data: 'INVITE sip:a@b SIP/2.0\r\n folded: x\r\n\r\n', reason: 'Bad header line', request: false },
  { name: 'continuation after start line', data: wire('INVITE sip:bob@biloxi.com SIP/2.0', [' x', ...BASE]), reason: 'Bad header line', request: true },
  { name: 'bare CR', data: invite([...BASE, 'X-A: one\rtwo']), reason: 'Bad header line', request: true },
  { name: 'bad line hides Call-ID', data: invite([...BASE.filter((h) => !h.startsWith('Call-ID')), 'Call-ID a@b']), reason: 'Bad header line', request: false },
  { name: 'missing Via', data: invite(BASE.slice(1)), reason: 'Missing Via', request: false },
  { name: 'bad Via', data: invite(['Via: SIP/2.0/UDP', ...BASE.slice(1)]), reason: 'Bad Via', request: false },
  { name: 'missing From', data: invite(BASE.filter((h) => !h.startsWith('From'))), reason: 'Missing From', request: false },
  { name: 'missing To', data: invite(BASE.filter((h) => !h.startsWith('To'))), reason: 'Missing To', request: false },
  { name: 'missing Call-ID', data: invite(BASE.filter((h) => !h.startsWith('Call-ID'))), reason: 'Missing Call-ID', request: false },
  { name: 'missing CSeq', data: invite(BASE.filter((h) => !h.startsWith('CSeq'))), reason: 'Missing CSeq', request: false },
  { name: 'bad Call-ID', data: invite([...BASE.filter((h) => !h.startsWith('Call-ID')), 'Call-ID: a b']), reason: 'Bad Call-ID', request: false },
  { name: 'bad From', data: invite([...BASE.filter((h) => !h.startsWith('From')), 'From: Bell, A <sip:a@b>']), reason: 'Bad From', request: false },
  { name: 'CSeq number', data: invite([...BASE.filter((h) => !h.startsWith('CSeq')), 'CSeq: 2147483648 INVITE']), reason: 'Bad CSeq number', request: false },
  { name: 'CSeq method', data: invite([...BASE.filter((h) => !h.startsWith('CSeq')), 'CSeq: 1 INV ITE']), reason: 'Bad CSeq method', request: false },
  { name: 'CSeq mismatch', data: invite([...BASE.filter((h) => !h.startsWith('CSeq')), 'CSeq: 1 ACK']), reason: 'CSeq method mismatch', request: true },
  { name: 'two To', data: invite([...BASE, 'To: <sip:x@y>']), reason: 'Multiple To headers', request: true },
  { name: 'two CSeq', data: invite([...BASE, 'CSeq: 2 INVITE']), reason: 'Multiple CSeq headers', request: true },
  { name: 'Max-Forwards', data: invite([...BASE.filter((h) => !h.startsWith('Max')), 'Max-Forwards: ten']), reason: 'Bad Max-Forwards', request: true },
  { name: 'Max-Forwards range', data: invite([...BASE.filter((h) => !h.startsWith('Max')), 'Max-Forwards: 300']), reason: 'Bad Max-Forwards', request: true },
  { name: 'Content-Length', data: invite([...BASE, 'Content-Length: -1']), reason: 'Bad Content-Length', request: true },
  { name: 'two Content-Length', data: invite([...BASE, 'l: 1', 'Content-Length: 2'], 'ab'), reason: 'Multiple Content-Length headers', request: true },
];

test('malformed messages: SipParseError with reason, code, status and request', () => {
  for (const b of bad) {
    assert.throws(
      () => parseMessage(b.data),
      (e: unknown) => {
        assert.ok(e instanceof SipParseError, b.name);
        assert.equal(e.reason, b.reason, b.name);
        assert.equal(e.code, b.code ?? 'SIP_PARSE', b.name);
        assert.equal(e.status, b.status ?? (b.code === 'SIP_VERSION' ? 505 : 400), b.name);
        assert.equal(e.request instanceof SipRequest, b.request, `${b.name}: request`);
        return true;
      },
      b.name,
    );
  }
});

test('two equal Content-Length fields count as one', () => {
  assert.equal(request(invite([...BASE, 'Content-Length: 2', 'l: 2'], 'ab')).body.toString(), 'ab');
});

test('size limits: SIP_TOO_LARGE with status 513', () => {
  const big = invite(BASE, 'x'.repeat(2000));
  assert.throws(() => parseMessage(big, { maxSize: 1000 }), (e: unknown) => e instanceof SipParseError && e.code === 'SIP_TOO_LARGE' && e.status === 513);
  assert.equal(parseMessage(big, { maxSize: 5000 }).body.length, 2000);
  const many = invite([...BASE, ...Array.from({ length: 20 }, (_, i) => `X-${i}: v`)]);
  assert.throws(() => parseMessage(many, { maxHeaders: 10 }), (e: unknown) => e instanceof SipParseError && e.code === 'SIP_TOO_LARGE');
});

test('the request in an error can be answered', () => {
  try {
    parseMessage(invite([...BASE.filter((h) => !h.startsWith('Max')), 'Max-Forwards: x']));
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof SipParseError && e.request);
    assert.equal(e.request.callId, 'a84b4c76e66710@pc33.atlanta.com');
    assert.equal(e.request.fromTag, '1928301774');
    assert.equal(e.message, 'Bad Max-Forwards');
  }
});
