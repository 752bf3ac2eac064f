/**
 * Audio helpers for calls placed with the test phone (test-phone.ts): PCMU tones sent on a steady
 * 20 ms schedule (deadlines from the start, so timer lateness does not add up), RFC 4733 digits
 * (RFC 4733 section 2.5.1: one timestamp for the event, marker on the first packet, the end packet
 * sent three times), and the received PCMU decoded back to 16-bit samples.
 */
import { ULAW_DECODE_TABLE, encodeTelephoneEvent, ulawCompress } from '../../src/media/index.ts';
import type { PhoneCall, ReceivedRtp } from './test-phone.ts';

const FRAME = 160;
const PTIME_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Sends a PCMU sine of `hz` (peak `amplitude`) until `ms` have passed or `until()` says stop; returns packets sent. */
export async function sendPacedTone(
  call: PhoneCall,
  hz: number,
  opts: { ms?: number; amplitude?: number; until?: () => boolean } = {},
): Promise<number> {
  const amplitude = opts.amplitude ?? 8000;
  const limit = opts.ms ?? 60_000;
  const start = Date.now();
  let n = 0;
  let sent = 0;
  for (let i = 0; i * PTIME_MS < limit; i++) {
    if (opts.until?.()) break;
    await sleep(start + i * PTIME_MS - Date.now());
    const payload = Buffer.alloc(FRAME);
    for (let k = 0; k < FRAME; k++, n++) payload[k] = ulawCompress(Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / 8000)));
    call.send(0, payload);
    sent++;
  }
  return sent;
}

/**
 * Sends one RFC 4733 event (payload type `pt`, default 101) lasting `ms`, then lets the RTP clock run
 * on by that much so following audio is in time.
 */
export async function sendRfc4733(call: PhoneCall, event: number, opts: { ms?: number; pt?: number; volume?: number } = {}): Promise<void> {
  const pt = opts.pt ?? 101;
  const ms = opts.ms ?? 100;
  const packets = Math.max(1, Math.round(ms / PTIME_MS));
  const start = Date.now();
  const payload = (duration: number, end: boolean) => {
    const out = Buffer.alloc(4);
    encodeTelephoneEvent({ event, end, volume: opts.volume ?? 10, duration }, out);
    return out;
  };
  for (let i = 1; i <= packets; i++) {
    await sleep(start + (i - 1) * PTIME_MS - Date.now());
    call.send(pt, payload(i * FRAME, false), i === 1, 0);
  }
  for (let i = 0; i < 3; i++) call.send(pt, payload(packets * FRAME, true), false, i === 2 ? packets * FRAME : 0);
}

/** The PCMU payloads of `received[from..]` decoded and joined, in arrival order. */
export function decodeReceived(received: readonly ReceivedRtp[], from = 0, to = received.length): Int16Array {
  const packets = received.slice(from, to).filter((p) => p.payloadType === 0);
  const out = new Int16Array(packets.reduce((n, p) => n + p.payload.length, 0));
  let at = 0;
  for (const p of packets) for (const c of p.payload) out[at++] = ULAW_DECODE_TABLE[c]!;
  return out;
}

/** Sends a 600 Hz tone from `from` and returns the RMS of what `to` hears of it, 150 ms after the start, for 300 ms. */
export async function heardWhileTalking(from: PhoneCall, to: PhoneCall): Promise<number> {
  let done = false;
  const talking = sendPacedTone(from, 600, { ms: 3000, until: () => done });
  await sleep(150);
  const mark = to.received.length;
  await sleep(300);
  const level = to.receivedLevel(mark);
  done = true;
  await talking;
  return level;
}
