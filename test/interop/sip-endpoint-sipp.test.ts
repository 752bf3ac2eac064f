/**
 * The running server (startServer) called by sipp (Debian `sip-tester`), a client nobody here wrote:
 * - the built-in `uac_pcap` scenario into `echo` (G.711 A-law from a pcap, then the RFC 4733 digit 1):
 *   no failed call, and the digit reaches the switch's bus as channel.dtmf;
 * - a raw mu-law 440 Hz tone streamed with rtp_stream into `record`: the WAV written holds the same tone.
 * Every sipp run is bounded by a call count (-m) and a hard timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';
import { ULAW_DECODE_TABLE, parseWav, ulawCompress } from '../../src/media/index.ts';
import type { SwitchEvents } from '../../src/core/index.ts';

const scenario = (name: string) => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!sippAvailable()) {
  throw new Error('sipp is not installed (Debian package sip-tester); run .ci/run or apt-get install sip-tester');
}

/** Goertzel power of `f` Hz in `x` sampled at `rate`, normalized by length. */
function power(x: Int16Array, f: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * f) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s = v + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / x.length;
}

function dominant(x: Int16Array, rate: number): number {
  let best = 0;
  let bestP = -1;
  for (let f = 100; f <= 3500; f += 5) {
    const p = power(x, f, rate);
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}

function rms(x: Int16Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Best normalized correlation of `a` against `b` over lags of one period or so. */
function correlation(a: Int16Array, b: Int16Array, maxLag: number): number {
  let best = 0;
  const n = Math.min(a.length, b.length - maxLag);
  for (let lag = 0; lag < maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      ab += a[i]! * b[i + lag]!;
      aa += a[i]! * a[i]!;
      bb += b[i + lag]! * b[i + lag]!;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb || 1));
  }
  return best;
}

describe('sipp against the server', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  test('uac_pcap into echo: the call completes and the RFC 4733 digit reaches the bus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-sipp-pcap-'));
    symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'));
    const digits: SwitchEvents['channel.dtmf'][] = [];
    const off = srv.server.sw.bus.on('channel.dtmf', (e) => digits.push(e));
    const res = await runSipp({
      cwd: dir,
      args: ['-sn', 'uac_pcap', `127.0.0.1:${srv.port}`, '-s', 'echo', '-i', '127.0.0.1', '-p', String(await freePort()),
        '-mp', String(await freePort('127.0.0.1', 4)), '-m', '1'],
      timeoutMs: 30_000,
    });
    off();
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
    assert.equal(res.successful, 1);
    assert.equal(res.failed, 0);
    assert.deepEqual(digits.map((d) => [d.digit, d.source]), [['1', 'rfc4733']]);
    // The CDR is written once the leg is destroyed (after its media reported its final counters).
    await until('the call to end', () => srv.server.sw.counts().channels === 0);
    await srv.server.sw.flushCdrs();
    const cdr = (await srv.server.cdrs.list({})).find((c) => c.callee.number === 'echo');
    assert.ok(cdr && (cdr.media?.packetsIn ?? 0) > 100, JSON.stringify(cdr?.media));
    assert.equal(srv.server.sw.counts().channels, 0);
  });

  test('rtp_stream of a 440 Hz mu-law tone into record: the WAV holds the same tone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-sipp-rec-'));
    const rate = 8000;
    const seconds = 2;
    const tone = Buffer.alloc(rate * seconds);
    for (let i = 0; i < tone.length; i++) tone[i] = ulawCompress(Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate)));
    writeFileSync(join(dir, 'tone.ulaw'), tone);
    const stopped: SwitchEvents['record.stopped'][] = [];
    const off = srv.server.sw.bus.on('record.stopped', (e) => stopped.push(e));
    const res = await runSipp({
      cwd: dir,
      args: [`127.0.0.1:${srv.port}`, '-sf', scenario('record-tone.xml'), '-s', 'record', '-i', '127.0.0.1',
        '-p', String(await freePort()), '-mp', String(await freePort('127.0.0.1', 4)), '-m', '1'],
      timeoutMs: 30_000,
    });
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
    assert.equal(res.successful, 1);
    for (let i = 0; i < 100 && stopped.length === 0; i++) await sleep(50);
    off();
    assert.equal(stopped.length, 1);
    const event = stopped[0]!;
    const wav = readFileSync(event.sink);
    const info = parseWav(wav);
    assert.equal(info.sampleRate, 8000);
    const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + info.dataOffset, wav.byteOffset + info.dataOffset + info.dataLength));
    // The recording starts after the beep; skip a little and keep what is voiced.
    const voiced = pcm.subarray(800).filter((_, i, a) => Math.abs(a[i]!) > 0);
    assert.ok(voiced.length > rate, `recorded ${voiced.length} voiced samples`);
    const middle = pcm.subarray(1600, 1600 + rate);
    assert.ok(Math.abs(dominant(middle, rate) - 440) <= 10, `dominant ${dominant(middle, rate)} Hz`);
    const source = Int16Array.from(tone.subarray(0, rate + 40), (c) => ULAW_DECODE_TABLE[c]!);
    const c = correlation(middle.subarray(0, 2000), source, 40);
    assert.ok(c > 0.95, `correlation ${c.toFixed(3)}`);
    const levelDb = 20 * Math.log10(rms(middle) / rms(source));
    assert.ok(Math.abs(levelDb) < 1.5, `level ${levelDb.toFixed(2)} dB`);
  });
});
