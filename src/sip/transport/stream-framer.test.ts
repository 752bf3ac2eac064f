import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FramingError } from './errors.ts';
import { StreamFramer, contentLength, type FramerLimits } from './stream-framer.ts';

type Event = { message: string } | 'ping' | { error: string; head: string; limit?: string | undefined };

function collect(limits?: Partial<FramerLimits>): { framer: StreamFramer; events: Event[]; buffers: Buffer[] } {
  const events: Event[] = [];
  const buffers: Buffer[] = [];
  const framer = new StreamFramer(
    {
      message: (data) => {
        buffers.push(data);
        events.push({ message: data.toString('latin1') });
      },
      ping: () => events.push('ping'),
      error: (err: FramingError) => events.push({ error: err.code, head: err.head.toString('latin1'), ...(err.limit ? { limit: err.limit } : {}) }),
    },
    limits,
  );
  return { framer, events, buffers };
}

const INVITE = 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP a.example.com;branch=z9hG4bK1\r\nContent-Length: 5\r\n\r\nhello';
const OPTIONS = 'OPTIONS sip:x@example.com SIP/2.0\r\nl: 0\r\n\r\n';
const RESPONSE = 'SIP/2.0 200 OK\r\nCONTENT-LENGTH :  3 \r\nCall-ID: a\r\n\r\nabc';

function feed(framer: StreamFramer, text: string, chunkSize: number): void {
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += chunkSize) framer.push(Buffer.from(bytes.subarray(i, i + chunkSize)));
}

const tables: Array<{ name: string; input: string; expect: Event[]; limits?: Partial<FramerLimits> }> = [
  { name: 'one message with a body', input: INVITE, expect: [{ message: INVITE }] },
  { name: 'compact l: header, no body', input: OPTIONS, expect: [{ message: OPTIONS }] },
  { name: 'upper-case name and spaces around the colon and value', input: RESPONSE, expect: [{ message: RESPONSE }] },
  { name: 'several messages back to back', input: INVITE + OPTIONS + RESPONSE, expect: [{ message: INVITE }, { message: OPTIONS }, { message: RESPONSE }] },
  { name: 'CRLFCRLF between messages is a ping', input: `${OPTIONS}\r\n\r\n${OPTIONS}`, expect: [{ message: OPTIONS }, 'ping', { message: OPTIONS }] },
  { name: 'a leading ping', input: `\r\n\r\n${INVITE}`, expect: ['ping', { message: INVITE }] },
  { name: 'single CRLFs between messages are skipped', input: `\r\n${OPTIONS}\r\n${OPTIONS}`, expect: [{ message: OPTIONS }, { message: OPTIONS }] },
  { name: 'two pings in a row', input: '\r\n\r\n\r\n\r\n', expect: ['ping', 'ping'] },
  { name: 'bare LF line ends', input: 'OPTIONS sip:x SIP/2.0\nContent-Length: 2\n\nok', expect: [{ message: 'OPTIONS sip:x SIP/2.0\nContent-Length: 2\n\nok' }] },
  { name: 'bare LF ping', input: `\n\n${OPTIONS}`, expect: ['ping', { message: OPTIONS }] },
  { name: 'mixed CRLF then LF header end', input: 'OPTIONS sip:x SIP/2.0\r\nl:1\n\nX', expect: [{ message: 'OPTIONS sip:x SIP/2.0\r\nl:1\n\nX' }] },
  { name: 'a body that contains CRLFCRLF is not split', input: 'MESSAGE sip:x SIP/2.0\r\nContent-Length: 8\r\n\r\n\r\n\r\nab\r\n', expect: [{ message: 'MESSAGE sip:x SIP/2.0\r\nContent-Length: 8\r\n\r\n\r\n\r\nab\r\n' }] },
  { name: 'folded Content-Length value', input: 'OPTIONS sip:x SIP/2.0\r\nContent-Length:\r\n 2\r\n\r\nok', expect: [{ message: 'OPTIONS sip:x SIP/2.0\r\nContent-Length:\r\n 2\r\n\r\nok' }] },
  { name: 'repeated equal Content-Length', input: 'OPTIONS sip:x SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\nz', expect: [{ message: 'OPTIONS sip:x SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\nz' }] },
  {
    name: 'a header named like Content-Length-X does not count',
    input: 'OPTIONS sip:x SIP/2.0\r\nContent-Lengthy: 4\r\nLocation: 9\r\n\r\n',
    expect: [{ error: 'SIP_FRAME_NO_LENGTH', head: 'OPTIONS sip:x SIP/2.0\r\nContent-Lengthy: 4\r\nLocation: 9\r\n\r\n' }],
  },
  {
    name: 'missing Content-Length',
    input: 'INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\nbody',
    expect: [{ error: 'SIP_FRAME_NO_LENGTH', head: 'INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n' }],
  },
  {
    name: 'Content-Length that is not a number',
    input: 'INVITE sip:x SIP/2.0\r\nContent-Length: 1x\r\n\r\n',
    expect: [{ error: 'SIP_FRAME_BAD_LENGTH', head: 'INVITE sip:x SIP/2.0\r\nContent-Length: 1x\r\n\r\n' }],
  },
  {
    name: 'conflicting Content-Length values',
    input: 'INVITE sip:x SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n',
    expect: [{ error: 'SIP_FRAME_BAD_LENGTH', head: 'INVITE sip:x SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n' }],
  },
  {
    name: 'message over the size limit (error carries the complete head)',
    input: 'MESSAGE sip:x SIP/2.0\r\nContent-Length: 100\r\n\r\n',
    limits: { maxMessageBytes: 120 },
    expect: [{ error: 'SIP_FRAME_TOO_LARGE', head: 'MESSAGE sip:x SIP/2.0\r\nContent-Length: 100\r\n\r\n', limit: 'message' }],
  },
  {
    name: 'header section over the limit without an end (error carries the partial head)',
    input: `INVITE sip:x SIP/2.0\r\nSubject: ${'a'.repeat(100)}`,
    limits: { maxHeaderBytes: 64 },
    expect: [{ error: 'SIP_FRAME_TOO_LARGE', head: `INVITE sip:x SIP/2.0\r\nSubject: ${'a'.repeat(100)}`.slice(0, 64), limit: 'header' }],
  },
  {
    name: 'nothing is reported after an error',
    input: `INVITE sip:x SIP/2.0\r\n\r\n${OPTIONS}\r\n\r\n`,
    expect: [{ error: 'SIP_FRAME_NO_LENGTH', head: 'INVITE sip:x SIP/2.0\r\n\r\n' }],
  },
  { name: 'an incomplete body waits', input: 'INVITE sip:x SIP/2.0\r\nl: 10\r\n\r\nabc', expect: [] },
];

for (const t of tables) {
  for (const chunkSize of [1, 2, 3, 7, 64, 100_000]) {
    test(`framer: ${t.name} (chunks of ${chunkSize})`, () => {
      const { framer, events } = collect(t.limits);
      feed(framer, t.input, chunkSize);
      assert.deepEqual(events, t.expect);
    });
  }
}

test('framer: messages inside one chunk are zero-copy views of it', () => {
  const { framer, buffers } = collect();
  const chunk = Buffer.from(INVITE + OPTIONS);
  framer.push(chunk);
  assert.equal(buffers.length, 2);
  assert.equal(buffers[0]!.buffer, chunk.buffer);
  assert.equal(buffers[1]!.buffer, chunk.buffer);
  assert.equal(framer.buffered, 0);
});

test('framer: a handed-out message is never overwritten by later data', () => {
  const { framer, buffers } = collect();
  feed(framer, INVITE + OPTIONS + RESPONSE + INVITE, 5);
  assert.deepEqual(
    buffers.map((b) => b.toString('latin1')),
    [INVITE, OPTIONS, RESPONSE, INVITE],
  );
});

test('framer: the partial remainder of a chunk is kept for the next', () => {
  const { framer, events } = collect();
  framer.push(Buffer.from(OPTIONS + INVITE.slice(0, 30)));
  assert.equal(events.length, 1);
  assert.equal(framer.buffered, 30);
  framer.push(Buffer.from(INVITE.slice(30)));
  assert.deepEqual(events, [{ message: OPTIONS }, { message: INVITE }]);
  assert.equal(framer.buffered, 0);
});

test('framer: many small messages byte by byte stay linear', () => {
  const { framer, events } = collect();
  const many = OPTIONS.repeat(2000);
  const started = performance.now();
  feed(framer, many, 1);
  assert.equal(events.length, 2000);
  assert.ok(performance.now() - started < 5000);
});

test('framer: a large body split in many chunks', () => {
  const { framer, buffers } = collect();
  const body = 'x'.repeat(100_000);
  const text = `MESSAGE sip:x SIP/2.0\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  feed(framer, text + OPTIONS, 1000);
  assert.equal(buffers.length, 2);
  assert.equal(buffers[0]!.toString('latin1'), text);
});

test('contentLength: table', () => {
  const cases: Array<[string, ReturnType<typeof contentLength>]> = [
    ['A sip:x SIP/2.0\r\nContent-Length: 12\r\n\r\n', { kind: 'ok', length: 12 }],
    ['A sip:x SIP/2.0\r\ncontent-length:0\r\n\r\n', { kind: 'ok', length: 0 }],
    ['A sip:x SIP/2.0\r\nL\t:\t7\r\n\r\n', { kind: 'ok', length: 7 }],
    ['A sip:x SIP/2.0\r\nLoc: 7\r\n\r\n', { kind: 'missing' }],
    ['l: 3 sip:x SIP/2.0\r\nVia: x\r\n\r\n', { kind: 'missing' }],
    ['A sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n', { kind: 'bad', reason: 'Content-Length is not a number' }],
    ['A sip:x SIP/2.0\r\nContent-Length: 1234567890123456\r\n\r\n', { kind: 'bad', reason: 'Content-Length too long' }],
  ];
  for (const [head, expected] of cases) assert.deepEqual(contentLength(Buffer.from(head)), expected, head);
});
