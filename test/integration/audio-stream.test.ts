/**
 * Audio pushed into a live call as it arrives (core ChannelMedia.playStream, used by listen/stream
 * `playAudio` and streaming TTS), with media on the main thread and in media worker threads: chunks at
 * another rate are resampled and heard by the caller in order; end() lets the stream finish, stop()
 * cuts it short, and the caller's hangup settles it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Channel, MediaAudioStream } from '../../src/core/index.ts';
import { decodeReceived } from '../support/phone-audio.ts';
import { sine } from '../support/signals.ts';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle } from '../support/test-server.ts';
import { sleep, until } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

for (const workers of [0, 2]) {
  describe(`pushed audio streams (${workers === 0 ? 'media on the main thread' : `${workers} media workers`})`, () => {
    test('16 kHz chunks are heard at 8 kHz in order; end() finishes, stop() cuts, hangup settles', async () => {
      const srv = await startTestServer({ mediaWorkers: workers });
      assert.equal(srv.server.media.workers?.workers.length ?? 0, workers, 'media runs where the test says');
      const answered: Channel[] = [];
      const off = srv.server.sw.router.register({ name: 'stream-test', number: 'stream' }, async (channel) => {
        await channel.answer();
        answered.push(channel);
      });
      let phone: TestPhone | undefined;
      try {
        phone = await TestPhone.start();
        const r = await phone.call(srv.uri('stream'));
        assert.ok(r.ok, 'answered');
        await until('the leg', () => answered.length === 1);
        const media = answered[0]!.media!;
        const mark = r.call.received.length;
        const first = media.playStream!({ sampleRate: 16000, prebufferMs: 40 });
        for (let i = 0; i < 5; i++) first.write(sine(500, 16000, 3200, 8000, (2 * Math.PI * 500 * i * 3200) / 16000));
        for (let i = 0; i < 5; i++) first.write(sine(1200, 16000, 3200, 8000, (2 * Math.PI * 1200 * i * 3200) / 16000));
        first.end();
        const outcome = await first.done;
        assert.equal(outcome.status, 'done');
        assert.ok(outcome.durationMs >= 900, `played ${outcome.durationMs} ms`);
        await sleep(100);
        const heard = decodeReceived(r.call.received, mark);
        const voiced = heard.filter((_, i) => i > 0);
        const start = voiced.findIndex((s) => Math.abs(s) > 2000);
        assert.ok(start >= 0, 'the stream was heard');
        assert.equal(dominantFrequency(voiced.slice(start + 400, start + 3600), 8000), 500, 'first the 500 Hz chunks');
        assert.equal(dominantFrequency(voiced.slice(start + 8400, start + 11600), 8000), 1200, 'then the 1200 Hz chunks');

        const second: MediaAudioStream = media.playStream!({ sampleRate: 8000 });
        second.write(sine(700, 8000, 80000, 8000));
        await sleep(300);
        second.stop();
        const cut = await second.done;
        assert.equal(cut.status, 'stopped');
        assert.ok(cut.durationMs < 2000, `stopped early: ${cut.durationMs} ms`);

        const third = media.playStream!({ sampleRate: 8000 });
        third.write(sine(700, 8000, 80000, 8000));
        await r.call.hangup();
        assert.equal((await third.done).status, 'stopped');
        await waitIdle(srv.server, until);
      } finally {
        off();
        await phone?.close();
        await srv.close();
      }
    });
  });
}
