/**
 * Bad input at the stack's front door: malformed requests are answered 400 with the parser's reason
 * (505 for another SIP version), garbage and truncated datagrams are dropped without harm, a flood from
 * one source is answered 503 with Retry-After, and the stack keeps serving well-formed requests. An
 * INVITE that arrives before an application is attached gets 503 with Retry-After.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { freePort } from '../support/ports.ts';
import { SipStack } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';

let stack: SipStack;
let port: number;
let client: Socket;
let clientPort: number;
const inbox: string[] = [];

function options(branch: string, extra = ''): string {
  return [
    `OPTIONS sip:probe@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${clientPort};branch=z9hG4bK${branch}`,
    'From: <sip:tester@127.0.0.1>;tag=t1',
    `To: <sip:probe@127.0.0.1:${port}>`,
    `Call-ID: ${branch}@robustness`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    extra,
    'Content-Length: 0',
    '',
    '',
  ].filter((l, i, all) => l !== '' || i >= all.length - 2).join('\r\n');
}

async function exchange(data: string | Buffer, match: string, ms = 2000): Promise<string | undefined> {
  const start = inbox.length;
  client.send(typeof data === 'string' ? Buffer.from(data) : data, port, '127.0.0.1');
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const hit = inbox.slice(start).find((m) => m.includes(match));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

before(async () => {
  port = await freePort();
  stack = await SipStack.start({
    listeners: [{ transport: 'udp', address: '127.0.0.1', port }, { transport: 'tcp', address: '127.0.0.1', port }],
    logger: silentLogger(),
    flood: { ratePerSecond: 20, burst: 40 },
  });
  client = createSocket('udp4');
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
  clientPort = client.address().port;
  client.on('message', (m) => inbox.push(m.toString()));
});

after(async () => {
  client.close();
  await stack.close();
});

test('a well-formed OPTIONS is answered 200 with Allow', async () => {
  const res = await exchange(options('ok1'), 'Call-ID: ok1@robustness');
  assert.match(res ?? '', /^SIP\/2\.0 200 /);
  assert.match(res ?? '', /Allow: .*INVITE/);
});

test('malformed requests get 400 with the reason, or 505 for another version', async () => {
  const cases: [string, string, RegExp][] = [
    ['bad-maxfwd', options('bad-maxfwd').replace('Max-Forwards: 70', 'Max-Forwards: seventy'), /^SIP\/2\.0 400 /],
    ['cseq-method', options('cseq-method').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'), /^SIP\/2\.0 400 .*CSeq/],
    ['version', options('version').replace('SIP/2.0\r\nVia', 'SIP/7.0\r\nVia'), /^SIP\/2\.0 505 /],
    ['bad-header', options('bad-header', 'This line has no colon'), /^SIP\/2\.0 400 /],
    ['big-clen', options('big-clen').replace('Content-Length: 0', 'Content-Length: 999'), /^SIP\/2\.0 400 /],
  ];
  for (const [branch, msg, expected] of cases) {
    const res = await exchange(msg, `Call-ID: ${branch}@robustness`);
    assert.ok(res, `no answer to ${branch}`);
    assert.match(res, expected, branch);
    assert.ok(res.split('\r\n')[0]!.length > 'SIP/2.0 400 '.length, `${branch}: a reason phrase is given`);
  }
});

test('a request whose CSeq cannot be read cannot be answered (no CSeq to copy): dropped', async () => {
  const res = await exchange(options('bad-cseq').replace('CSeq: 1 OPTIONS', 'CSeq: one OPTIONS'), 'Call-ID: bad-cseq@robustness', 300);
  assert.equal(res, undefined);
});

test('garbage, binary and truncated datagrams are dropped; the stack keeps answering', async () => {
  for (const junk of [Buffer.from([0, 1, 2, 3, 255, 254]), Buffer.from('hello world\r\n\r\n'), Buffer.from(options('cut').slice(0, 40))]) {
    client.send(junk, port, '127.0.0.1');
  }
  const res = await exchange(options('after-junk'), 'Call-ID: after-junk@robustness');
  assert.match(res ?? '', /^SIP\/2\.0 200 /);
});

test('a TCP peer sending garbage and disconnecting midway does not disturb the stack', async () => {
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write('INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKx\r\nContent-Le');
      s.destroy();
      resolve();
    });
  });
  const res = await exchange(options('after-tcp'), 'Call-ID: after-tcp@robustness');
  assert.match(res ?? '', /^SIP\/2\.0 200 /);
});

test('an INVITE before any application is attached (still starting) is answered 503 Retry-After: 1', async () => {
  const invite = [
    `INVITE sip:someone@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${clientPort};branch=z9hG4bKstarting`,
    'From: <sip:tester@127.0.0.1>;tag=t2',
    `To: <sip:someone@127.0.0.1:${port}>`,
    'Call-ID: starting@robustness',
    'CSeq: 1 INVITE',
    `Contact: <sip:tester@127.0.0.1:${clientPort}>`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = await exchange(invite, 'SIP/2.0 503');
  assert.match(res ?? '', /^SIP\/2\.0 503 Starting/);
  assert.match(res ?? '', /Retry-After: 1\r\n/);
});

test('a flood from one source is answered 503 with Retry-After, not served', async () => {
  await new Promise((r) => setTimeout(r, 2100)); // refill the bucket spent by earlier tests
  const start = inbox.length;
  for (let i = 0; i < 120; i++) client.send(Buffer.from(options(`flood${i}`)), port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 500));
  const answers = inbox.slice(start);
  const ok = answers.filter((m) => m.startsWith('SIP/2.0 200')).length;
  const busy = answers.filter((m) => m.startsWith('SIP/2.0 503'));
  assert.ok(ok >= 30 && ok <= 60, `${ok} requests served within the burst`);
  assert.ok(busy.length > 0, 'some requests were refused with 503');
  assert.match(busy[0]!, /Retry-After: \d+/);
});
