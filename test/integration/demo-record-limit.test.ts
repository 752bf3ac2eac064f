/**
 * The demo `record` application's time limit (RECORD_LIMIT_MS), through the running server with the
 * scripted test phone: the caller talks (a 700 Hz tone) and never presses #; the recording stops at the
 * limit with reason max-duration, the WAV holds the whole limit of the caller's tone, and playback of
 * it starts at once. The caller hangs up during playback. This takes the limit in real time (about
 * 30 s), so it has its own file and runs beside the other tests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { decodeReceived, sendPacedTone } from '../support/phone-audio.ts';
import { dominantFrequency, readWavFile, toneShare, voiced } from '../support/wav-analysis.ts';
import { RECORD_LIMIT_MS } from '../../src/api/index.ts';
import type { SwitchEvents } from '../../src/core/index.ts';
import { sleep, until } from '../support/wait.ts';



const RATE = 8000;

describe('demo record: the time limit', () => {
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

  test(`recording stops after ${RECORD_LIMIT_MS / 1000} s without #, and the recording is played back`, { timeout: RECORD_LIMIT_MS + 20_000 }, async () => {
    const bus = srv.server.sw.bus;
    const started: SwitchEvents['record.started'][] = [];
    const stopped: SwitchEvents['record.stopped'][] = [];
    const plays: SwitchEvents['playback.started'][] = [];
    const playEnds: SwitchEvents['playback.stopped'][] = [];
    const offs = [
      bus.on('record.started', (e) => void started.push(e)),
      bus.on('record.stopped', (e) => void stopped.push(e)),
      bus.on('playback.started', (e) => void plays.push(e)),
      bus.on('playback.stopped', (e) => void playEnds.push(e)),
    ];
    try {
      const r = await phone.call(srv.uri('record'));
      assert.ok(r.ok, 'answered');
      const call = r.call;
      await until('recording to start', () => started.length === 1);
      const uuid = started[0]!.channel?.uuid;
      assert.ok(uuid);
      const path = join(srv.dataDir, 'recordings', `${uuid}.wav`);
      assert.equal(started[0]!.sink, path);

      const t0 = Date.now();
      const sending = sendPacedTone(call, 700, { amplitude: 8000, ms: RECORD_LIMIT_MS + 5000, until: () => stopped.length > 0 });
      await until('the time limit', () => stopped.length === 1, RECORD_LIMIT_MS + 5000);
      const elapsed = Date.now() - t0;
      await sending;
      const outcome = stopped[0]!.outcome;
      assert.equal(outcome.reason, 'max-duration', JSON.stringify(outcome));
      assert.equal(outcome.status, 'done', JSON.stringify(outcome));
      assert.ok(Math.abs(outcome.durationMs - RECORD_LIMIT_MS) <= 100, JSON.stringify(outcome));
      assert.ok(elapsed >= RECORD_LIMIT_MS - 500, `stopped after ${elapsed} ms of talking`);

      await until('playback of the recording', () => plays.some((p) => p.source === path));
      const from = call.received.length;
      await sleep(1500);
      const heard = voiced(decodeReceived(call.received, from), RATE);
      assert.ok(heard.length >= 1.2 * RATE, `heard ${heard.length} samples of playback`);
      assert.equal(dominantFrequency(heard, RATE), 700);
      assert.ok(toneShare(heard, 700, RATE) > 0.9);
      assert.equal(call.dialog.state === 'terminated', false, 'the call lasts while the recording plays');

      await call.hangup();
      await until('playback to end', () => playEnds.some((p) => p.source === path));
      assert.equal(playEnds.find((p) => p.source === path)!.outcome.status, 'stopped');
      await until('channels to end', () => srv.server.sw.counts().channels === 0);
      await until('RTP ports back', () => srv.server.media.portsInUse === 0);

      const wav = readWavFile(path);
      assert.equal(wav.rate, RATE);
      const seconds = wav.samples.length / RATE;
      assert.ok(Math.abs(seconds - RECORD_LIMIT_MS / 1000) <= 0.1, `WAV of ${seconds.toFixed(2)} s`);
      const recorded = voiced(wav.samples, RATE);
      assert.ok(recorded.length / RATE >= RECORD_LIMIT_MS / 1000 - 0.5, `${(recorded.length / RATE).toFixed(2)} s of it voiced`);
      // A second from the start, the middle and the end.
      for (const at of [0.5, RECORD_LIMIT_MS / 2000, RECORD_LIMIT_MS / 1000 - 1.5]) {
        const part = wav.samples.subarray(Math.round(at * RATE), Math.round((at + 1) * RATE));
        assert.equal(dominantFrequency(part, RATE), 700, `at ${at} s`);
        assert.ok(toneShare(part, 700, RATE) > 0.9, `at ${at} s: ${toneShare(part, 700, RATE).toFixed(3)}`);
      }
    } finally {
      for (const off of offs) off();
    }
  });
});
