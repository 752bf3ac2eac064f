/**
 * A live bridged call re-INVITEd to another codec (RFC 3264 section 8.3.2), through the running server
 * with Opus enabled: phone A and phone B talk PCMU through a bridge; A re-INVITEs to Opus 48 kHz with
 * telephone-event/48000. Afterwards the bridge transcodes: B still hears A's tone (the server decodes
 * A's Opus), A receives Opus it can decode holding B's tone, A's received stream keeps its SSRC, its
 * sequence numbers continuous and its timestamps monotonic across the switch (RFC 3550 5.1), and an
 * RFC 4733 digit on the new telephone-event payload type is detected. A second re-INVITE goes back to
 * PCMU with a 30 ms ptime.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import type { Channel, SwitchEvents } from '../../src/core/index.ts';
import { ULAW_DECODE_TABLE, createCodec, isOpusAvailable, tsAfter } from '../../src/media/index.ts';
import { PhoneCall, TestPhone, type ReceivedRtp } from '../support/test-phone.ts';
import { freePort } from '../support/ports.ts';
import { waitIdle } from '../support/test-server.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';

if (!isOpusAvailable()) throw new Error('the opusscript module is missing (npm install): the codec switch test needs Opus');

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => waitUntil(what, check, ms, 20);

function opusOffer(port: number): string {
  return [
    'v=0', 'o=phone 1 2 IN IP4 127.0.0.1', 's=test', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP 111 110`,
    'a=rtpmap:111 opus/48000/2', 'a=rtpmap:110 telephone-event/48000', 'a=fmtp:110 0-16', 'a=ptime:20', 'a=sendrecv', '',
  ].join('\r\n');
}

/** Sends `ms` of an Opus-encoded sine from A, 20 ms (960 units of the 48 kHz clock) per packet. */
async function sendOpusTone(call: PhoneCall, hz: number, ms: number): Promise<void> {
  const enc = createCodec('opus', { payloadType: 111, sampleRate: 48000, channels: 1 });
  const pcm = new Int16Array(960);
  const out = new Uint8Array(enc.maxPayloadBytes);
  let n = 0;
  try {
    for (let t = 0; t < ms; t += 20) {
      for (let i = 0; i < 960; i++, n++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * n) / 48000));
      const len = enc.encode(pcm, out);
      call.send(111, Buffer.from(out.subarray(0, len)), false, 960);
      await sleep(20);
    }
  } finally {
    enc.close();
  }
}

/** Sends an RFC 4733 event (start with marker, updates, end three times) on payload type `pt`. */
async function sendEvent(call: PhoneCall, pt: number, event: number, unitsPerMs: number): Promise<void> {
  const packet = (duration: number, end: boolean): Buffer => {
    const b = Buffer.alloc(4);
    b[0] = event;
    b[1] = (end ? 0x80 : 0) | 10;
    b.writeUInt16BE(duration, 2);
    return b;
  };
  for (let i = 1; i <= 5; i++) {
    call.send(pt, packet(i * 20 * unitsPerMs, false), i === 1, 0);
    await sleep(20);
  }
  for (let i = 0; i < 3; i++) call.send(pt, packet(120 * unitsPerMs, true), false, i === 2 ? 120 * unitsPerMs : 0);
}

function pcmuSamples(packets: readonly ReceivedRtp[]): Int16Array {
  const out: number[] = [];
  for (const p of packets) if (p.payloadType === 0) for (const c of p.payload) out.push(ULAW_DECODE_TABLE[c]!);
  return Int16Array.from(out);
}

describe('re-INVITE of a live bridged call from PCMU to Opus', () => {
  let server: Server;
  let port: number;
  let dataDir: string;
  before(async () => {
    port = await freePort();
    const rtp = await freePort('127.0.0.1', 33);
    const low = rtp + (rtp & 1);
    dataDir = mkdtempSync(join(tmpdir(), 'sb-codec-switch-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ media: { codecs: ['PCMU', 'PCMA', 'G722', 'opus'] } }));
    server = await startServer({
      configFile,
      flags: { sip: `127.0.0.1:${port}`, esl: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + 31}`, logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent' },
      env: {},
      banner: false,
    });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('audio flows both ways and stays decodable; numbering continuous; DTMF on the new payload type', async () => {
    const a = await TestPhone.start();
    const b = await TestPhone.start();
    const answered: PhoneCall[] = [];
    b.answerCalls(answered);
    const sw = server.sw;
    let legA: Channel | undefined;
    const off = sw.router.register({ number: 'codec-switch' }, async (ch) => {
      legA = ch;
      const out = await sw.originate(`sip:b@127.0.0.1:${b.port}`, { parent: ch, callerId: ch.caller });
      if (!out.ok) {
        await ch.hangup(out.cause);
        return;
      }
      await ch.answer();
      sw.bridge(ch, out.channel);
    });
    const digits: SwitchEvents['channel.dtmf'][] = [];
    const offDtmf = sw.bus.on('channel.dtmf', (e) => digits.push(e));
    try {
      const r = await a.call(`sip:codec-switch@127.0.0.1:${port}`);
      assert.ok(r.ok, 'A answered');
      const callA = r.call;
      await until('B answered', () => answered.length === 1);
      const callB = answered[0]!;
      await until('bridge', () => sw.bridges().length === 1);

      // PCMU both ways.
      await Promise.all([callA.sendTone(440, 400), callB.sendTone(1000, 400)]);
      await sleep(100);
      assert.ok(callA.receivedLevel() > 1000 && callB.receivedLevel() > 1000, 'both hear each other on PCMU');

      // A switches to Opus 48 kHz.
      const aRtp = Number(/m=audio (\d+)/.exec(callA.dialog.localSession?.body.toString('utf8') ?? '')?.[1]);
      assert.ok(aRtp > 0, 'the RTP port of our first offer');
      const update = await callA.dialog.reinvite({ body: opusOffer(aRtp), contentType: 'application/sdp' });
      assert.ok(update.ok, 're-INVITE accepted');
      const answer = update.answer?.body.toString('utf8') ?? '';
      assert.match(answer, /m=audio \d+ RTP\/AVP 111 110/);
      assert.match(answer, /a=rtpmap:111 opus\/48000\/2/);
      assert.match(answer, /a=rtpmap:110 telephone-event\/48000/);
      const markA = callA.received.length;
      const markB = callB.received.length;

      await Promise.all([sendOpusTone(callA, 440, 800), callB.sendTone(1000, 800)]);
      await sleep(150);

      // B (still PCMU) hears A's tone: the server decodes A's Opus.
      const atB = pcmuSamples(callB.received.slice(markB).slice(10));
      assert.ok(atB.length >= 8000 * 0.4, `B got ${atB.length} samples after the switch`);
      assert.ok(Math.abs(dominantFrequency(atB, 8000) - 440) <= 10, 'B hears 440 Hz');

      // The server's receive statistics follow the 48 kHz clock: steady 20 ms packets, small jitter.
      const jitter = legA?.media?.stats().jitterMs ?? Number.NaN;
      assert.ok(jitter >= 0 && jitter < 20, `interarrival jitter of A's stream ${jitter} ms`);

      // A receives Opus it can decode, carrying B's tone.
      const after = callA.received.slice(markA);
      const opus = after.filter((p) => p.payloadType === 111);
      assert.ok(opus.length >= 30, `A got ${opus.length} Opus packets`);
      assert.equal(after.filter((p) => p.payloadType !== 111 && p.payloadType !== 0).length, 0, 'no other payload type');
      const dec = createCodec('opus', { payloadType: 111, sampleRate: 48000, channels: 1 });
      const pcm: number[] = [];
      const frame = new Int16Array(48000 * 0.12);
      try {
        for (const p of opus.slice(10)) {
          const n = dec.decode(p.payload, frame);
          for (let i = 0; i < n; i++) pcm.push(frame[i]!);
        }
      } finally {
        dec.close();
      }
      const heard = Int16Array.from(pcm.slice(0, 48000 * 0.4));
      assert.ok(Math.abs(dominantFrequency(heard, 48000) - 1000) <= 10, 'A decodes 1000 Hz from the Opus stream');

      // One stream at A across the switch: same SSRC, sequence +1 each packet, timestamps moving forward.
      const all = callA.received;
      for (let i = 1; i < all.length; i++) {
        const p = all[i]!;
        const q = all[i - 1]!;
        assert.equal(p.ssrc, q.ssrc, `SSRC at packet ${i}`);
        assert.equal(p.seq, (q.seq + 1) & 0xffff, `sequence at packet ${i}`);
        assert.ok(tsAfter(p.timestamp, q.timestamp), `timestamp at packet ${i}: ${q.timestamp} -> ${p.timestamp}`);
      }
      const firstOpus = all.findIndex((p) => p.payloadType === 111);
      const opusStep = (all[firstOpus + 2]!.timestamp - all[firstOpus + 1]!.timestamp) >>> 0;
      assert.equal(opusStep, 960, '20 ms of the 48 kHz clock per packet');

      // RFC 4733 on the negotiated telephone-event/48000 payload type.
      await sendEvent(callA, 110, 5, 48);
      await until('digit 5', () => digits.some((d) => d.digit === '5'));

      // And back to PCMU at 8 kHz with another ptime (30 ms).
      const back = await callA.dialog.reinvite({
        body: opusOffer(aRtp).replace('RTP/AVP 111 110', 'RTP/AVP 0 101').replace('a=rtpmap:111 opus/48000/2', 'a=rtpmap:0 PCMU/8000')
          .replace('a=rtpmap:110 telephone-event/48000', 'a=rtpmap:101 telephone-event/8000').replace('a=fmtp:110', 'a=fmtp:101')
          .replace('a=ptime:20', 'a=ptime:30').replace('o=phone 1 2', 'o=phone 1 3'),
        contentType: 'application/sdp',
      });
      assert.ok(back.ok, 're-INVITE back to PCMU accepted');
      const markBack = callA.received.length;
      await callB.sendTone(1000, 600);
      await sleep(150);
      const pcmu = callA.received.slice(markBack).filter((p) => p.payloadType === 0).slice(3);
      assert.ok(pcmu.length >= 10, `A got ${pcmu.length} PCMU packets`);
      assert.ok(pcmu.every((p) => p.payload.length === 240), '30 ms of PCMU per packet');
      for (let i = 1; i < pcmu.length; i++) assert.equal((pcmu[i]!.timestamp - pcmu[i - 1]!.timestamp) >>> 0, 240);
      assert.ok(Math.abs(dominantFrequency(pcmuSamples(pcmu), 8000) - 1000) <= 10, 'A hears 1000 Hz on PCMU again');
      const whole = callA.received;
      for (let i = 1; i < whole.length; i++) {
        assert.equal(whole[i]!.seq, (whole[i - 1]!.seq + 1) & 0xffff, `sequence at packet ${i}`);
        assert.ok(tsAfter(whole[i]!.timestamp, whole[i - 1]!.timestamp), `timestamp at packet ${i}`);
      }

      await callA.hangup();
      await until('B hung up by the bridge', () => callB.dialog.state === 'terminated');
      await waitIdle(server, until);
    } finally {
      off();
      offDtmf();
      await a.close();
      await b.close();
    }
  });
});
