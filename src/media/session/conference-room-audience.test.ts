import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSink, Harness, PCMU, ToneSource, config, toneShare } from '../../../test/support/media-session-harness.ts';
import { ConferenceRoom } from './conference-room.ts';
import { MediaCommandHost, type MediaCommand } from './media-commands.ts';
import type { MediaSessionConfig } from './session-config.ts';
import { MediaSessionError } from './session-error.ts';
import type { MediaSession } from './media-session.ts';

const FREQS = [440, 1100, 1700];

function phones(h: Harness, n: number): { phone: MediaSession; leg: MediaSession; heard: CaptureSink }[] {
  return Array.from({ length: n }, () => {
    const phone = h.session();
    const leg = h.session({ config: config() });
    h.connect(phone, leg);
    const heard = new CaptureSink();
    phone.addTap(heard, 'received');
    return { phone, leg, heard };
  });
}

const last = (sink: CaptureSink, ticks: number): Int16Array => sink.samples().subarray(-ticks * 160);

test('setAudience (coaching): only the audience hears the coach, [] nobody, undefined everyone', async () => {
  const h = await Harness.create();
  const room = new ConferenceRoom({ clock: h.clock });
  try {
    const [coach, agent, customer] = phones(h, 3) as [ReturnType<typeof phones>[0], ReturnType<typeof phones>[0], ReturnType<typeof phones>[0]];
    const ids = [coach, agent, customer].map((x, i) => room.join(x.leg, { memberId: `m${i}` }));
    [coach, agent, customer].forEach((x, i) => x.phone.play(new ToneSource(FREQS[i]!, { amplitude: 5000 })));
    const hears = (x: typeof coach, from: number): number => toneShare(last(x.heard, 15), 8000, FREQS[from]!);

    room.setAudience(ids[0]!, [ids[1]!, 'gone']);
    await h.run(30);
    assert.ok(hears(agent, 0) > 0.15, `the agent hears the coach (${hears(agent, 0)})`);
    assert.ok(hears(customer, 0) < 0.01, `the customer does not (${hears(customer, 0)})`);
    assert.ok(hears(coach, 1) > 0.15 && hears(coach, 2) > 0.15, 'the coach hears the room');
    assert.ok(hears(customer, 1) > 0.15, 'the customer hears the agent');

    const rec = new CaptureSink();
    room.record(rec);
    room.setAudience(ids[0]!, []);
    await h.run(30);
    assert.ok(hears(agent, 0) < 0.01 && hears(customer, 0) < 0.01, 'an empty audience: nobody hears the coach');
    assert.ok(toneShare(rec.samples().subarray(-15 * 160), 8000, FREQS[0]!) > 0.1, 'the room recording still holds the coach');

    room.setAudience(ids[0]!, undefined);
    await h.run(30);
    assert.ok(hears(agent, 0) > 0.15 && hears(customer, 0) > 0.15, 'everyone hears the coach again');
    assert.throws(() => room.setAudience('nobody', []), /no member/);
  } finally {
    room.close();
    await h.close();
  }
});

test('room.member with audience: the command reaches the room (null = everyone); an unknown member is an error', async () => {
  const h = await Harness.create();
  const host = new MediaCommandHost({
    pool: h.pool, clock: h.clock, time: h.time,
    openSource: () => Promise.reject(new Error('no sources here')),
    openSink: () => Promise.reject(new Error('no sinks here')),
    post: () => {},
  });
  const send = (c: MediaCommand): ReturnType<MediaCommandHost['handle']> => host.handle(JSON.parse(JSON.stringify(c)) as MediaCommand);
  try {
    const cfg: MediaSessionConfig = { codec: PCMU, ptime: 20, direction: 'sendrecv' };
    await send({ op: 'session.open', sessionId: 's1', config: cfg });
    await send({ op: 'session.open', sessionId: 's2', config: cfg });
    await send({ op: 'room.create', roomId: 'r1' });
    await send({ op: 'room.join', roomId: 'r1', sessionId: 's1', memberId: 'coach' });
    await send({ op: 'room.join', roomId: 'r1', sessionId: 's2', memberId: 'agent' });
    await send({ op: 'room.member', roomId: 'r1', memberId: 'coach', audience: ['agent'] });
    await send({ op: 'room.member', roomId: 'r1', memberId: 'coach', audience: [] });
    await send({ op: 'room.member', roomId: 'r1', memberId: 'coach', audience: null });
    await assert.rejects(
      send({ op: 'room.member', roomId: 'r1', memberId: 'gone', audience: [] }),
      (e: unknown) => e instanceof MediaSessionError && e.code === 'MEDIA_SESSION_NOT_FOUND',
    );
  } finally {
    host.close();
    await h.close();
  }
});
