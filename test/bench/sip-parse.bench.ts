/**
 * SIP message parse/serialize throughput (RFC 3261 section 7 messages): src/sip/message against the npm
 * `sip` package, in one process, alternating, several rounds; medians and ratios are printed.
 *
 * Both sides start from a Buffer, as a socket delivers it, and end with a Buffer ready to send: `sip`
 * takes the Buffer (it converts to a string itself) and its stringify() output is converted back with
 * Buffer.from(s, 'binary') as its own transport does. "UAS access" reads what a UAS touches on every
 * message: top Via branch, From tag, To, Call-ID, CSeq and the parsed Contact URI.
 *
 * Run: npx tsx test/bench/sip-parse.bench.ts [roundMs=500] [rounds=7]
 */
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import type { SipRequest, SipResponse } from '../../src/sip/message/index.ts';
import { parseMessage, serializeMessage } from '../../src/sip/message/index.ts';

interface PkgUri {
  host?: string;
}
interface PkgAddr {
  uri?: string;
  params?: Record<string, string | null>;
}
interface PkgMessage {
  headers: {
    via?: { params?: Record<string, string | null> }[];
    from?: PkgAddr;
    to?: PkgAddr;
    'call-id'?: string;
    cseq?: { seq: number; method: string };
    contact?: PkgAddr[];
  };
}
interface SipPackage {
  parse(data: Buffer | string): PkgMessage | undefined;
  stringify(m: PkgMessage): string;
  parseUri(s: string): PkgUri | undefined;
}

const sip = createRequire(import.meta.url)('sip') as SipPackage;

const CRLF = '\r\n';
const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49172 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join(CRLF);

const INVITE = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP ss1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport=5060',
    'Max-Forwards: 69',
    'Record-Route: <sip:ss1.atlanta.example.com;lr>',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
    'Supported: replaces, timer, 100rel',
    'User-Agent: Switchboard-Bench/1.0',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join(CRLF),
);

const OK = Buffer.from(
  [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP ss1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport=5060',
    'Record-Route: <sip:ss1.atlanta.example.com;lr>',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>;tag=8321234356',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 1 INVITE',
    'Contact: <sip:bob@192.0.2.4;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE',
    'Supported: replaces, timer',
    'Server: Switchboard-Bench/1.0',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join(CRLF),
);

type Work = (input: Buffer) => number;

function oursFull(input: Buffer): number {
  const m: SipRequest | SipResponse = parseMessage(input);
  const c = m.contacts[0];
  const n =
    (m.topVia?.params.branch?.length ?? 0) +
    (m.fromTag?.length ?? 0) +
    m.to.uri.host.length +
    m.callId.length +
    m.cseq.seq +
    (c !== undefined && c !== '*' ? c.uri.host.length : 0);
  return n + serializeMessage(m).length;
}

function oursParse(input: Buffer): number {
  return parseMessage(input).headers.size;
}

function pkgFull(input: Buffer): number {
  const m = sip.parse(input);
  if (m === undefined) throw new Error('sip package failed to parse');
  const h = m.headers;
  const contact = h.contact?.[0]?.uri;
  const n =
    (h.via?.[0]?.params?.branch?.length ?? 0) +
    (h.from?.params?.tag?.length ?? 0) +
    (h.to?.uri?.length ?? 0) +
    (h['call-id']?.length ?? 0) +
    (h.cseq?.seq ?? 0) +
    (contact !== undefined ? (sip.parseUri(contact)?.host?.length ?? 0) : 0);
  return n + Buffer.from(sip.stringify(m), 'binary').length;
}

function pkgParse(input: Buffer): number {
  const m = sip.parse(input);
  if (m === undefined) throw new Error('sip package failed to parse');
  return Object.keys(m.headers).length;
}

/** Runs `work` for about `ms` milliseconds (at most `maxOps` times); returns operations per second. */
function measure(work: Work, input: Buffer, ms: number, maxOps: number): { rate: number; sink: number } {
  let sink = 0;
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (ops < maxOps) {
    for (let k = 0; k < 200; k++) sink += work(input);
    ops += 200;
    elapsed = process.hrtime.bigint() - start;
    if (elapsed >= limit) break;
  }
  return { rate: (ops * 1e9) / Number(elapsed), sink };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const roundMs = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 7);
const MAX_OPS = 5_000_000;

console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`method: ${rounds} rounds x ${roundMs} ms per side, alternating order; sizes INVITE ${INVITE.length} B, 200 OK ${OK.length} B`);

let totalSink = 0;
const cases: [string, Buffer, Work, Work][] = [
  ['INVITE  parse+UAS access+serialize', INVITE, oursFull, pkgFull],
  ['200 OK  parse+UAS access+serialize', OK, oursFull, pkgFull],
  ['INVITE  parse only', INVITE, oursParse, pkgParse],
  ['200 OK  parse only', OK, oursParse, pkgParse],
];
for (const [name, input, ours, theirs] of cases) {
  for (let w = 0; w < 3; w++) {
    totalSink += measure(ours, input, 100, MAX_OPS).sink + measure(theirs, input, 100, MAX_OPS).sink;
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: [Work, number[]][] = r % 2 === 0 ? [[ours, a], [theirs, b]] : [[theirs, b], [ours, a]];
    for (const [work, out] of order) {
      const res = measure(work, input, roundMs, MAX_OPS);
      out.push(res.rate);
      totalSink += res.sink;
    }
  }
  const ma = median(a);
  const mb = median(b);
  console.log(
    `${name.padEnd(36)} switchboard ${Math.round(ma).toLocaleString('en-US').padStart(9)} msg/s   ` +
      `sip ${Math.round(mb).toLocaleString('en-US').padStart(9)} msg/s   ratio ${(ma / mb).toFixed(2)}x`,
  );
}
if (totalSink === 42) console.log('');
