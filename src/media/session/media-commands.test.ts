import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, PCMU, ToneSource, dominantFrequency } from '../../../test/support/media-session-harness.ts';
import { MediaCommandHost, type MediaCommand, type MediaEventMessage } from './media-commands.ts';
import type { MediaSessionConfig } from './session-config.ts';
import { MediaSessionError } from './session-error.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a command host drives sessions, bridges and rooms from plain-data messages', async () => {
  const h = await Harness.create();
  const sinks = new Map<string, CaptureSink>();
  const posted: MediaEventMessage[] = [];
  const host = new MediaCommandHost({
    pool: h.pool,
    clock: h.clock,
    time: h.time,
    openSource: async (spec, rate) => {
      const m = /^tone:(\d+)(?:,(\d+)ms)?$/.exec(spec);
      if (!m) throw new Error(`bad spec ${spec}`);
      return new ToneSource(Number(m[1]), { sampleRate: rate, ...(m[2] ? { durationMs: Number(m[2]) } : {}) });
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
  // Everything crosses as JSON: commands are sent through a JSON round trip.
  const send = (c: MediaCommand): ReturnType<MediaCommandHost['handle']> => host.handle(JSON.parse(JSON.stringify(c)) as MediaCommand);
  try {
    const cfg: MediaSessionConfig = { codec: PCMU, ptime: 20, direction: 'sendrecv', telephoneEventPt: 101 };
    const one = (await send({ op: 'session.open', sessionId: 's1', config: cfg, settings: { silence: 'none' } })) as { localPort: number };
    const two = (await send({
      op: 'session.open',
      sessionId: 's2',
      config: { ...cfg, remote: { address: '127.0.0.1', port: one.localPort } },
    })) as { localPort: number };
    await send({ op: 'session.configure', sessionId: 's1', config: { ...cfg, remote: { address: '127.0.0.1', port: two.localPort } } });
    assert.equal(await send({ op: 'session.addTap', sessionId: 's2', tapId: 't1', sink: 'cap:s2', mode: 'received' }), true);
    await send({ op: 'session.play', sessionId: 's1', playbackId: 'p1', source: 'tone:1000,200ms' });
    await send({ op: 'session.sendDtmf', sessionId: 's1', digits: '4', durationMs: 60 });
    await run(30);
    assert.equal(dominantFrequency(sinks.get('cap:s2')!.samples(), 8000), 1000);
    const s1 = posted.flatMap((m) => (m.kind === 'session' && m.id === 's1' ? [m.event] : []));
    assert.deepEqual(s1, ['dtmf.sent', 'playback.started', 'playback.stopped']);
    const dtmf = posted.find((m) => m.kind === 'session' && m.event === 'dtmf');
    assert.deepEqual(dtmf, { kind: 'session', id: 's2', event: 'dtmf', payload: { digit: '4', durationMs: 60, source: 'rfc4733' } });

    await assert.rejects(send({ op: 'session.play', sessionId: 's1', playbackId: 'bad', source: 'nope' }), /bad spec/);
    assert.deepEqual(posted.at(-1), { kind: 'session', id: 's1', event: 'playback.stopped', payload: { id: 'bad', reason: 'error', error: 'bad spec nope' } });
    await assert.rejects(send({ op: 'session.echo', sessionId: 'zz', on: true }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_NOT_FOUND');
    await assert.rejects(send({ op: 'session.open', sessionId: 's1', config: cfg }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_ID');

    await send({ op: 'session.open', sessionId: 's3', config: cfg });
    await send({ op: 'bridge.create', bridgeId: 'b1', a: 's2', b: 's3' });
    await send({ op: 'room.create', roomId: 'r1' });
    await assert.rejects(send({ op: 'room.join', roomId: 'r1', sessionId: 's2' }), (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_BUSY');
    await send({ op: 'bridge.close', bridgeId: 'b1' });
    await send({ op: 'room.join', roomId: 'r1', sessionId: 's2', memberId: 'alice' });
    await send({ op: 'room.join', roomId: 'r1', sessionId: 's3', memberId: 'bob', mute: true });
    await send({ op: 'room.member', roomId: 'r1', memberId: 'bob', mute: false, outputDb: -3 });
    await send({ op: 'room.play', roomId: 'r1', playbackId: 'beep', source: 'tone:800,100ms' });
    await run(10);
    const stats = await send({ op: 'session.stats', sessionId: 's2' });
    assert.equal((stats as { mode: string }).mode, 'conference');
    assert.deepEqual(
      posted.filter((m) => m.kind === 'room').map((m) => m.event),
      ['member.joined', 'member.joined', 'playback.started', 'playback.stopped'],
    );
    await send({ op: 'session.close', sessionId: 's3', reason: 'hangup' });
    assert.ok(posted.some((m) => m.kind === 'room' && m.event === 'member.left'));
    assert.ok(posted.some((m) => m.kind === 'session' && m.id === 's3' && m.event === 'closed'));
    for (const m of posted) {
      assert.deepEqual(structuredClone(m), m, 'events cross threads as they are');
      if (m.kind !== 'stats') assert.deepEqual(JSON.parse(JSON.stringify(m)), m, 'events are plain data');
    }
    assert.ok(posted.some((m) => m.kind === 'stats' && m.entries.some(([id]) => id === 's3')), 'a closing session posts its last statistics');
    assert.equal(host.sessionCount, 2);
  } finally {
    host.close();
    await h.close();
  }
});
