import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, PCMU, ToneSource, level, toneShare } from '../../../test/support/media-session-harness.ts';
import { MediaCommandHost, type MediaCommand, type MediaEventMessage } from './media-commands.ts';
import type { MediaSessionConfig } from './session-config.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a command host mutes a session and plays, silences and removes its overlay tracks from plain-data messages', async () => {
  const h = await Harness.create();
  const sinks = new Map<string, CaptureSink>();
  const posted: MediaEventMessage[] = [];
  let release: (() => void) | undefined;
  const host = new MediaCommandHost({
    pool: h.pool,
    clock: h.clock,
    time: h.time,
    openSource: async (spec, rate) => {
      const m = /^(slow)?tone:(\d+)$/.exec(spec);
      if (!m) throw new Error(`bad spec ${spec}`);
      if (m[1]) await new Promise<void>((r) => { release = r; });
      return new ToneSource(Number(m[2]), { sampleRate: rate });
    },
    openSink: (spec, rate) => {
      const sink = new CaptureSink(rate);
      sinks.set(spec, sink);
      return sink;
    },
    post: (m) => posted.push(structuredClone(m)),
  });
  const run = async (ticks: number): Promise<void> => {
    for (let i = 0; i < ticks; i++) {
      h.time.advance(20);
      h.clock.tick();
      await sleep(2);
    }
  };
  const send = (c: MediaCommand): ReturnType<MediaCommandHost['handle']> => host.handle(JSON.parse(JSON.stringify(c)) as MediaCommand);
  const stopped = (id: string): string | undefined => {
    const m = posted.find((e) => e.kind === 'session' && e.event === 'playback.stopped' && e.payload.id === id);
    return m && m.kind === 'session' && m.event === 'playback.stopped' ? m.payload.reason : undefined;
  };
  try {
    const cfg: MediaSessionConfig = { codec: PCMU, ptime: 20, direction: 'sendrecv', telephoneEventPt: 101 };
    const one = (await send({ op: 'session.open', sessionId: 's1', config: cfg })) as { localPort: number };
    const two = (await send({ op: 'session.open', sessionId: 's2', config: { ...cfg, remote: { address: '127.0.0.1', port: one.localPort } } })) as { localPort: number };
    await send({ op: 'session.configure', sessionId: 's1', config: { ...cfg, remote: { address: '127.0.0.1', port: two.localPort } } });
    await send({ op: 'session.addTap', sessionId: 's2', tapId: 't1', sink: 'cap', mode: 'received' });

    // Two tracks on s1 are heard at s2.
    await send({ op: 'session.overlayPlay', sessionId: 's1', track: 'a', playbackId: 'o1', source: 'tone:500', loop: 0 });
    await send({ op: 'session.overlayPlay', sessionId: 's1', track: 'b', playbackId: 'o2', source: 'tone:1500', loop: 0, gainDb: -6 });
    await run(20);
    const got = sinks.get('cap')!.samples().subarray(-10 * 160);
    assert.ok(toneShare(got, 8000, 500) > 0.3 && toneShare(got, 8000, 1500) > 0.05);
    assert.equal(await send({ op: 'session.overlaySilence', sessionId: 's1', track: 'a' }), true);
    assert.equal(stopped('o1'), 'stopped');
    assert.equal(await send({ op: 'session.overlayRemove', sessionId: 's1', track: 'b' }), true);
    assert.equal(stopped('o2'), 'stopped');
    assert.equal(await send({ op: 'session.overlayRemove', sessionId: 's1', track: 'b' }), false, 'unknown track');

    // A silence that arrives while the source opens wins: the late source is reported stopped.
    const late = send({ op: 'session.overlayPlay', sessionId: 's1', track: 'a', playbackId: 'o3', source: 'slowtone:700' });
    await sleep(2);
    assert.equal(await send({ op: 'session.overlaySilence', sessionId: 's1', track: 'a' }), true);
    release!();
    await late;
    assert.equal(stopped('o3'), 'stopped');
    await assert.rejects(send({ op: 'session.overlayPlay', sessionId: 's1', track: 'a', playbackId: 'o4', source: 'nope' }), /bad spec/);
    assert.equal(stopped('o4'), 'error');

    // Mute: s2 stops hearing what s1's party says (s1 relays nothing; here s1 is an echo of s2's prompt).
    await send({ op: 'session.play', sessionId: 's2', playbackId: 'p1', source: 'tone:900', loop: 0 });
    await send({ op: 'session.echo', sessionId: 's1', on: true });
    await run(15);
    const echoed = sinks.get('cap')!.samples().subarray(-10 * 160);
    assert.ok(toneShare(echoed, 8000, 900) > 0.5, 's2 hears its own prompt echoed');
    await send({ op: 'session.mute', sessionId: 's1', on: true });
    await run(15);
    assert.ok(level(sinks.get('cap')!.samples().subarray(-8 * 160)) < 5, 'muted: nothing comes back');
  } finally {
    host.close();
    await h.close();
  }
});
