/**
 * Audio taps of a live SIP leg (core ChannelMedia.tapAudio, used by listen/stream sockets and speech
 * recognition), with media on the main thread and in media worker threads: the caller's tone arrives in
 * chunks at the asked rate, both directions can be taken as interleaved stereo, and a tap ends when it
 * is stopped or the call ends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AudioChunk, Channel } from '../../src/core/index.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

function join(chunks: AudioChunk[], channel: 0 | 1 | 'mono'): Int16Array {
  const all = chunks.flatMap((c) => {
    if (channel === 'mono') return [...c.pcm];
    return [...c.pcm].filter((_, i) => i % 2 === channel);
  });
  return Int16Array.from(all);
}

for (const workers of [0, 2]) {
  describe(`audio taps (${workers === 0 ? 'media on the main thread' : `${workers} media workers`})`, () => {
    test('the caller\'s voice at 16 kHz in 100 ms chunks; stereo with what the caller hears; stop and hangup end them', async () => {
      const srv = await startTestServer({ mediaWorkers: workers });
      assert.equal(srv.server.media.workers?.workers.length ?? 0, workers, 'media runs where the test says');
      let phone: TestPhone | undefined;
      try {
        phone = await TestPhone.start();
        const r = await phone.call(srv.uri('tone'));
        assert.ok(r.ok, 'answered');
        let channel: Channel | undefined;
        await until('the inbound leg', () => (channel = srv.server.sw.channels().find((c) => c.direction === 'inbound' && c.answered)) !== undefined);
        const media = channel!.media!;
        const mono: AudioChunk[] = [];
        const stereo: AudioChunk[] = [];
        const tapIn = media.tapAudio!({ direction: 'in', sampleRate: 16000, chunkMs: 100 }, (c) => mono.push(c));
        const tapBoth = media.tapAudio!({ direction: 'both', stereo: true, chunkMs: 100 }, (c) => stereo.push(c));
        assert.equal(tapIn.sampleRate, 16000);
        assert.equal(tapBoth.channels, 2);
        await sendPacedTone(r.call, 600, { ms: 1200, amplitude: 8000 });
        tapIn.stop();
        await tapIn.done;
        const count = mono.length;
        assert.ok(count >= 8, `chunks: ${count}`);
        assert.ok(mono.slice(0, -1).every((c) => c.pcm.length === 1600 && c.sampleRate === 16000 && c.channels === 1));
        assert.equal(dominantFrequency(join(mono.slice(2), 'mono'), 16000), 600, 'the caller\'s tone');
        await sendPacedTone(r.call, 600, { ms: 200 });
        assert.equal(mono.length, count, 'nothing after stop');
        const left = join(stereo.slice(2), 0);
        const right = join(stereo.slice(2), 1);
        assert.equal(dominantFrequency(left, 8000), 600, 'left: what the caller says');
        assert.equal(dominantFrequency(right, 8000), 440, 'right: the tone the caller hears');
        await r.call.hangup();
        await tapBoth.done;
        await waitIdle(srv.server, until);
      } finally {
        await phone?.close();
        await srv.close();
      }
    });
  });
}
