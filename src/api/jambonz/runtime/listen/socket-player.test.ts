import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AudioStreamOptions, ChannelMedia, MediaAudioStream, PlaybackOutcome } from '../../../../core/index.ts';
import { VirtualClock, silentLogger } from '../../../../lib/index.ts';
import { MAX_QUEUED_PLAYS, SocketPlayer, decodePlayAudio } from './socket-player.ts';

interface FakeStream { options: AudioStreamOptions; written: number; ended: boolean; stopped: boolean; settle(o: PlaybackOutcome): void }

function fakeMedia(): { media: ChannelMedia; streams: FakeStream[] } {
  const streams: FakeStream[] = [];
  const media = {
    playStream(options: AudioStreamOptions): MediaAudioStream {
      let settle!: (o: PlaybackOutcome) => void;
      const done = new Promise<PlaybackOutcome>((r) => { settle = r; });
      const s: FakeStream = { options, written: 0, ended: false, stopped: false, settle };
      streams.push(s);
      return {
        write: (pcm) => { s.written += pcm.length; },
        end: () => { s.ended = true; },
        stop: () => { s.stopped = true; settle({ status: 'stopped', durationMs: 0 }); },
        done,
      };
    },
  } as unknown as ChannelMedia;
  return { media, streams };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const raw = (samples: number, rate = 8000, id?: string, queuePlay?: boolean) => ({
  audioContent: Buffer.alloc(samples * 2).toString('base64'), audioContentType: 'raw' as const, sampleRate: rate,
  ...(id !== undefined ? { id } : {}), ...(queuePlay !== undefined ? { queuePlay } : {}),
});

test('playAudio: queued plays one after the other with playDone; a non-queued one interrupts and clears the queue', async () => {
  const { media, streams } = fakeMedia();
  const sent: Record<string, unknown>[] = [];
  const p = new SocketPlayer(media, 8000, (f) => sent.push(f), new VirtualClock(), silentLogger());
  assert.equal(p.play(raw(160, 8000, 'a')), undefined);
  p.play(raw(160, 16000, 'b', true));
  p.play(raw(160, 8000, 'c', true));
  assert.equal(streams.length, 1);
  assert.deepEqual([streams[0]!.written, streams[0]!.ended], [160, true]);
  streams[0]!.settle({ status: 'done', durationMs: 20 });
  await flush();
  assert.deepEqual(sent[0], { type: 'playDone', data: { id: 'a', reason: 'playCompleted', playback_milliseconds: 20 } });
  assert.equal(streams[1]!.options.sampleRate, 16000);
  p.play(raw(160, 8000, 'd'));
  await flush();
  assert.equal(streams[1]!.stopped, true, 'interrupted');
  assert.deepEqual(sent[1], { type: 'playDone', data: { id: 'b', reason: 'playStopped', playback_milliseconds: 0 } });
  assert.equal(streams.length, 3, 'c was cleared: d plays next');
  p.close();
  p.close();
});

test('playAudio queue holds at most 10; bad content is refused with a reason; 64 kHz is halved', () => {
  const { media, streams } = fakeMedia();
  const p = new SocketPlayer(media, 8000, () => {}, new VirtualClock(), silentLogger());
  for (let i = 0; i < MAX_QUEUED_PLAYS + 3; i++) p.play(raw(10, 8000, String(i), true));
  assert.equal(streams.length, 1);
  assert.match(p.play({ audioContent: 'AAAAAAAA', audioContentType: 'wav' }) ?? '', /RIFF/);
  assert.match(p.play({ audioContent: '', audioContentType: 'raw' }) ?? '', /empty/);
  assert.match(p.play(raw(10, 96000)) ?? '', /sample rate/);
  const d = decodePlayAudio(raw(100, 64000));
  assert.ok(d.ok && d.item.sampleRate === 32000 && d.item.pcm.length === 50);
});

test('streaming: one prebuffered stream, marks play out when the audio before them has, overflow dropped, killAudio clears', () => {
  const { media, streams } = fakeMedia();
  const clock = new VirtualClock(1000);
  const sent: Record<string, unknown>[] = [];
  const p = new SocketPlayer(media, 8000, (f) => sent.push(f), clock, silentLogger());
  p.mark('early');
  assert.deepEqual(sent.shift(), { type: 'mark', data: { name: 'early', event: 'playout' } }, 'nothing queued: at once');
  p.write(Buffer.alloc(1600));
  p.write(Buffer.alloc(1));
  p.write(Buffer.alloc(1599));
  assert.equal(streams.length, 1);
  assert.equal(streams[0]!.options.prebufferMs, 80);
  assert.equal(streams[0]!.written, 1600, '200 ms, odd byte carried');
  p.mark('m1');
  clock.advance(270);
  assert.equal(sent.length, 0);
  clock.advance(20);
  assert.deepEqual(sent.shift(), { type: 'mark', data: { name: 'm1', event: 'playout' } });
  for (let i = 0; i < 400; i++) p.write(Buffer.alloc(320));
  assert.ok(streams[0]!.written < 1600 + 8000 * 5.2, `bounded: ${streams[0]!.written}`);
  p.mark('m2');
  p.kill();
  assert.deepEqual(sent.shift(), { type: 'mark', data: { name: 'm2', event: 'cleared' } });
  assert.equal(streams[0]!.stopped, true);
  p.write(Buffer.alloc(320));
  assert.equal(streams.length, 2, 'a new stream after killAudio');
  p.mark('m3');
  p.clearMarks();
  assert.deepEqual(sent.shift(), { type: 'mark', data: { name: 'm3', event: 'cleared' } });
  p.close();
  assert.equal(clock.pending, 0);
});
