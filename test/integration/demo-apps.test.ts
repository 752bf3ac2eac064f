/**
 * The demo dialplan's `tone` and `record` applications called through the running server
 * (startServer) by the scripted test phone:
 * - tone: one PCMU stream at 50 packets per second (sequence +1, timestamp +160 each) that decodes to
 *   a steady 440 Hz tone;
 * - record: a 1000 Hz beep, then the caller's 700 Hz tone is recorded until the caller presses #
 *   (RFC 4733): the WAV in <dataDir>/recordings holds the caller's tone and not the beep, is played
 *   back to the caller, and then the server hangs up;
 * - record, caller hangs up while recording: the WAV is kept and nothing is played.
 * After each call the registries are empty and the RTP ports are back in the pool.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, type TestServer, waitIdle } from '../support/test-server.ts';
import { decodeReceived, sendPacedTone, sendRfc4733 } from '../support/phone-audio.ts';
import { dominantFrequency, readWavFile, toneShare, voiced } from '../support/wav-analysis.ts';
import { rms } from '../support/signals.ts';
import type { SwitchEvents } from '../../src/core/index.ts';
import { sleep, until } from '../support/wait.ts';



const RATE = 8000;
const DTMF_POUND = 11;

/** Asserts a clean `hz` tone over the middle of `x`; returns its RMS. */
function assertTone(what: string, x: Int16Array, hz: number, opts: { notHz?: number } = {}): number {
  assert.ok(x.length >= RATE / 5, `${what}: only ${x.length} samples`);
  const middle = x.subarray(Math.floor(x.length * 0.1), Math.floor(x.length * 0.9));
  const dominant = dominantFrequency(middle, RATE);
  assert.ok(Math.abs(dominant - hz) <= 10, `${what}: dominant ${dominant} Hz, expected ${hz} Hz`);
  const share = toneShare(middle, hz, RATE);
  assert.ok(share > 0.9, `${what}: ${(share * 100).toFixed(1)}% of the energy at ${hz} Hz`);
  if (opts.notHz !== undefined) {
    const other = toneShare(middle, opts.notHz, RATE);
    assert.ok(other < 0.01, `${what}: ${(other * 100).toFixed(2)}% of the energy at ${opts.notHz} Hz`);
  }
  return rms(middle);
}

type MediaEvents = {
  recordStarted: SwitchEvents['record.started'][];
  recordStopped: SwitchEvents['record.stopped'][];
  playStarted: SwitchEvents['playback.started'][];
  playStopped: SwitchEvents['playback.stopped'][];
  off(): void;
};

describe('demo apps: tone and record', () => {
  let srv: TestServer;
  let phone: TestPhone;
  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone.close();
    await srv.close();
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);

  const mediaEvents = (): MediaEvents => {
    const bus = srv.server.sw.bus;
    const e: Omit<MediaEvents, 'off'> = { recordStarted: [], recordStopped: [], playStarted: [], playStopped: [] };
    const offs = [
      bus.on('record.started', (x) => void e.recordStarted.push(x)),
      bus.on('record.stopped', (x) => void e.recordStopped.push(x)),
      bus.on('playback.started', (x) => void e.playStarted.push(x)),
      bus.on('playback.stopped', (x) => void e.playStopped.push(x)),
    ];
    return { ...e, off: () => offs.forEach((off) => off()) };
  };

  test('tone: one PCMU stream at 50 packets/s that decodes to a steady 440 Hz tone', async () => {
    const r = await phone.call(srv.uri('tone'));
    assert.ok(r.ok, 'answered');
    const call = r.call;
    await until('the first RTP packet', () => call.received.length > 0, 2000);
    await sleep(300);
    const n0 = call.received.length;
    const t0 = performance.now();
    await sleep(2000);
    const n1 = call.received.length;
    const t1 = performance.now();
    const perSecond = ((n1 - n0) * 1000) / (t1 - t0);
    assert.ok(Math.abs(perSecond - 50) <= 3, `${perSecond.toFixed(1)} packets/s`);

    const window = call.received.slice(n0, n1);
    const ssrcs = new Set(window.map((p) => p.ssrc));
    assert.equal(ssrcs.size, 1, 'one stream');
    for (let i = 0; i < window.length; i++) {
      const p = window[i]!;
      assert.equal(p.payloadType, 0, 'PCMU');
      assert.equal(p.payload.length, 160, '20 ms of audio per packet');
      if (i > 0) {
        const prev = window[i - 1]!;
        assert.equal(p.seq, (prev.seq + 1) & 0xffff, `sequence at packet ${i}`);
        assert.equal(p.timestamp, (prev.timestamp + 160) >>> 0, `timestamp at packet ${i}`);
      }
    }
    const audio = decodeReceived(window);
    assert.equal(voiced(audio, RATE, 1000).length, audio.length, 'no gap or quiet frame in the tone');
    const level = assertTone('tone', audio, 440);
    assert.ok(level > 3000, `tone RMS ${level.toFixed(0)}`);

    await call.hangup();
    await idle();
    await srv.server.sw.flushCdrs();
    const cdr = (await srv.server.cdrs.list({})).find((c) => c.callee.number === 'tone');
    assert.ok(cdr);
    assert.equal(cdr.hangupCause, 'NORMAL_CLEARING');
    assert.equal(cdr.hangupBy, 'remote');
    assert.ok((cdr.media?.packetsOut ?? 0) >= n1, JSON.stringify(cdr.media));
  });

  test('record: beep, the caller\'s tone is recorded until #, played back, then the server hangs up', async () => {
    const ev = mediaEvents();
    try {
      const r = await phone.call(srv.uri('record'));
      assert.ok(r.ok, 'answered');
      const call = r.call;
      await until('recording to start', () => ev.recordStarted.length === 1);
      const started = ev.recordStarted[0]!;
      const uuid = started.channel?.uuid;
      assert.ok(uuid);
      const path = join(srv.dataDir, 'recordings', `${uuid}.wav`);
      assert.equal(started.sink, path);
      assert.equal(ev.playStarted[0]?.source.startsWith('tone_stream://'), true, 'the beep is played first');

      // The beep is what came before the recording.
      const beep = voiced(decodeReceived(call.received), RATE);
      assert.ok(beep.length >= 0.2 * RATE && beep.length <= 0.35 * RATE, `beep of ${beep.length} samples`);
      assertTone('beep', beep, 1000);

      const sent = await sendPacedTone(call, 700, { ms: 1500, amplitude: 8000 });
      await sendRfc4733(call, DTMF_POUND, { ms: 100 });
      await until('recording to stop', () => ev.recordStopped.length === 1);
      const outcome = ev.recordStopped[0]!.outcome;
      assert.equal(outcome.reason, 'terminator', JSON.stringify(outcome));
      assert.equal(outcome.terminator, '#');
      assert.ok(outcome.durationMs >= 1300 && outcome.durationMs <= 2200, JSON.stringify(outcome));

      await until('playback of the recording', () => ev.playStarted.some((p) => p.source === path));
      const playFrom = call.received.length;
      await until('the server to hang up after playback', () => call.dialog.state === 'terminated', 6000);
      const played = ev.playStopped.find((p) => p.source === path);
      assert.ok(played, 'playback of the recording ended');
      assert.equal(played.outcome.status, 'done', JSON.stringify(played.outcome));

      assert.ok(existsSync(path), `${path} exists`);
      const wav = readWavFile(path);
      assert.equal(wav.rate, RATE);
      const recorded = voiced(wav.samples, RATE);
      const seconds = recorded.length / RATE;
      assert.ok(Math.abs(seconds - sent * 0.02) <= 0.2, `recorded ${seconds.toFixed(2)} s of tone, sent ${(sent * 0.02).toFixed(2)} s`);
      const level = assertTone('recording', recorded, 700, { notHz: 1000 });
      const levelDb = 20 * Math.log10(level / (8000 / Math.SQRT2));
      assert.ok(Math.abs(levelDb) < 1.5, `recorded level ${levelDb.toFixed(2)} dB from what was sent`);

      const heard = voiced(decodeReceived(call.received, playFrom), RATE);
      assert.ok(Math.abs(heard.length / RATE - seconds) <= 0.2, `played back ${(heard.length / RATE).toFixed(2)} s`);
      assertTone('playback', heard, 700, { notHz: 1000 });

      await idle();
      await srv.server.sw.flushCdrs();
      const cdr = (await srv.server.cdrs.list({})).find((c) => c.uuid === uuid);
      assert.ok(cdr);
      assert.equal(cdr.variables['demo_recording'], path);
      assert.equal(cdr.hangupCause, 'NORMAL_CLEARING');
      assert.equal(cdr.hangupBy, 'local');
      assert.ok((cdr.media?.dtmfIn ?? 0) >= 1, JSON.stringify(cdr.media));
    } finally {
      ev.off();
    }
  });

  test('record: the caller hanging up while recording keeps the WAV and plays nothing', async () => {
    const ev = mediaEvents();
    try {
      const r = await phone.call(srv.uri('record'));
      assert.ok(r.ok, 'answered');
      await until('recording to start', () => ev.recordStarted.length === 1);
      const path = ev.recordStarted[0]!.sink;
      await sendPacedTone(r.call, 500, { ms: 1000, amplitude: 6000 });
      await r.call.hangup();
      await until('recording to stop', () => ev.recordStopped.length === 1);
      const outcome = ev.recordStopped[0]!.outcome;
      assert.equal(outcome.status, 'stopped', JSON.stringify(outcome));
      assert.equal(outcome.reason, 'hangup', JSON.stringify(outcome));
      assert.ok(outcome.durationMs >= 800, JSON.stringify(outcome));
      await idle();
      assert.deepEqual(ev.playStarted.map((p) => p.source).filter((s) => s === path), [], 'nothing played back');
      const wav = readWavFile(path);
      const recorded = voiced(wav.samples, RATE);
      assert.ok(recorded.length >= 0.8 * RATE, `recorded ${recorded.length} samples`);
      assertTone('recording', recorded, 500);
    } finally {
      ev.off();
    }
  });
});
