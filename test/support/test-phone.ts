/**
 * A scripted SIP phone for tests: places calls with our SIP stack (RFC 3261) carrying a PCMU +
 * telephone-event offer (RFC 3264, RFC 4733), and exchanges raw RTP (RFC 3550) on a plain UDP socket:
 * packets it sends carry their index in the first payload bytes, so echoed packets can be matched one
 * for one; everything received is kept.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { SipStack, type Dialog, type InviteResult } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { ULAW_DECODE_TABLE, ulawCompress } from '../../src/media/index.ts';
import { freePort } from './ports.ts';

export interface ReceivedRtp {
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
}

export function offerSdp(port: number, opts: { codecs?: string; extra?: string[] } = {}): string {
  return [
    'v=0', 'o=phone 1 1 IN IP4 127.0.0.1', 's=test', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP ${opts.codecs ?? '0 101'}`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv',
    ...(opts.extra ?? []), '',
  ].join('\r\n');
}

export function parseRtp(buf: Buffer): ReceivedRtp | undefined {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return undefined;
  const cc = buf[0]! & 0x0f;
  const start = 12 + cc * 4;
  return {
    payloadType: buf[1]! & 0x7f,
    marker: (buf[1]! & 0x80) !== 0,
    seq: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(start),
  };
}

export class PhoneCall {
  readonly dialog: Dialog;
  readonly remote: { address: string; port: number };
  readonly #rtp: Socket;
  readonly #received: ReceivedRtp[];
  #seq = randomInt(0, 60000);
  #ts = randomInt(0, 1_000_000);
  readonly #ssrc = randomInt(1, 0xffffffff);

  constructor(dialog: Dialog, remote: { address: string; port: number }, rtp: Socket, received: ReceivedRtp[]) {
    this.dialog = dialog;
    this.remote = remote;
    this.#rtp = rtp;
    this.#received = received;
  }

  get received(): readonly ReceivedRtp[] {
    return this.#received;
  }

  /** Sends one RTP packet. */
  send(payloadType: number, payload: Buffer, marker = false, timestampStep = 160): void {
    const head = Buffer.alloc(12);
    head[0] = 0x80;
    head[1] = (marker ? 0x80 : 0) | payloadType;
    head.writeUInt16BE(this.#seq, 2);
    head.writeUInt32BE(this.#ts >>> 0, 4);
    head.writeUInt32BE(this.#ssrc, 8);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts += timestampStep;
    this.#rtp.send(Buffer.concat([head, payload]), this.remote.port, this.remote.address);
  }

  /** Sends `count` PCMU packets 20 ms apart; payload bytes 0-1 carry the index, the rest a marker byte. */
  async sendIndexed(count: number, fill = 0x55): Promise<void> {
    for (let i = 0; i < count; i++) {
      const payload = Buffer.alloc(160, fill);
      payload.writeUInt16BE(i, 0);
      this.send(0, payload);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends `ms` of a PCMU sine (or digital silence when `hz` is 0), 20 ms per packet. */
  async sendTone(hz: number, ms: number, amplitude = 8000): Promise<void> {
    let n = 0;
    for (let t = 0; t < ms; t += 20) {
      const payload = Buffer.alloc(160);
      for (let i = 0; i < 160; i++, n++) payload[i] = ulawCompress(hz === 0 ? 0 : Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / 8000)));
      this.send(0, payload);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** RMS of the PCMU audio received since packet `from`. */
  receivedLevel(from = 0): number {
    let sum = 0;
    let count = 0;
    for (const p of this.#received.slice(from)) {
      if (p.payloadType !== 0) continue;
      for (const c of p.payload) {
        const v = ULAW_DECODE_TABLE[c]!;
        sum += v * v;
        count++;
      }
    }
    return Math.sqrt(sum / Math.max(1, count));
  }

  /** Indices of the received indexed packets whose payload was filled with `fill`. */
  echoedIndices(fill = 0x55): Set<number> {
    const out = new Set<number>();
    for (const p of this.#received) {
      if (p.payloadType !== 0 || p.payload.length !== 160) continue;
      if (p.payload[2] === fill && p.payload[159] === fill) out.add(p.payload.readUInt16BE(0));
    }
    return out;
  }

  async hangup(): Promise<void> {
    await this.dialog.bye();
  }
}

export class TestPhone {
  readonly stack: SipStack;
  readonly port: number;
  readonly #sockets: Socket[] = [];

  private constructor(stack: SipStack, port: number) {
    this.stack = stack;
    this.port = port;
  }

  /** A phone whose SIP listens on `sipAddress` (a loopback address; its RTP stays on 127.0.0.1). */
  static async start(sipAddress = '127.0.0.1'): Promise<TestPhone> {
    const port = await freePort(sipAddress);
    const stack = await SipStack.start({ listeners: [{ transport: 'udp', address: sipAddress, port }], logger: silentLogger(), flood: false });
    return new TestPhone(stack, port);
  }

  /** Opens an RTP socket on a free port. */
  async rtpSocket(received: ReceivedRtp[]): Promise<{ socket: Socket; port: number }> {
    const socket = createSocket('udp4');
    this.#sockets.push(socket);
    socket.on('message', (msg) => {
      const p = parseRtp(msg);
      if (p) received.push(p);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return { socket, port: socket.address().port };
  }

  /** Calls `uri` with our offer (or the body given); resolves with the call or the failure. */
  async call(uri: string, opts: { body?: string | null; from?: string; headers?: Record<string, string> } = {}): Promise<
    { ok: true; call: PhoneCall; result: Extract<InviteResult, { ok: true }> } | { ok: false; status: number; result: InviteResult }
  > {
    const received: ReceivedRtp[] = [];
    const { socket, port } = await this.rtpSocket(received);
    const body = opts.body === undefined ? offerSdp(port) : opts.body;
    const invite = this.stack.invite({
      uri,
      from: opts.from ?? `<sip:phone@127.0.0.1:${this.port}>`,
      ...(body === null ? {} : { body, contentType: 'application/sdp' }),
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
    const result = await invite.result;
    if (!result.ok) return { ok: false, status: result.status, result };
    const sdp = (result.offer?.body ?? result.response.body).toString('utf8');
    if (result.offer) {
      invite.ack({ body: offerSdp(port).replace('a=sendrecv', 'a=sendrecv'), contentType: 'application/sdp' });
    }
    const remote = {
      address: /c=IN IP4 ([0-9.]+)/.exec(sdp)?.[1] ?? '127.0.0.1',
      port: Number(/m=audio (\d+)/.exec(sdp)?.[1] ?? 0),
    };
    return { ok: true, call: new PhoneCall(result.dialog, remote, socket, received), result };
  }

  /** Answers every INVITE with a PCMU + telephone-event answer; answered calls are pushed to `calls`. */
  answerCalls(calls: PhoneCall[]): void {
    this.stack.handle({
      onInvite: (invite) => {
        const received: ReceivedRtp[] = [];
        void this.rtpSocket(received).then(async ({ socket, port }) => {
          const offer = invite.offer?.body.toString('utf8') ?? '';
          const remote = {
            address: /c=IN IP4 ([0-9.]+)/.exec(offer)?.[1] ?? '127.0.0.1',
            port: Number(/m=audio (\d+)/.exec(offer)?.[1] ?? 0),
          };
          invite.progress(180);
          const dialog = await invite.accept({ body: offerSdp(port), contentType: 'application/sdp' });
          calls.push(new PhoneCall(dialog, remote, socket, received));
        });
      },
    });
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.close();
    await this.stack.close();
  }
}
