import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, MemberChange } from './index.ts';
import { FakeDriver, FakeMedia, createHarness, type Harness } from './testing/index.ts';

function leg(h: Harness, name: string): { ch: Channel; media: FakeMedia; driver: FakeDriver } {
  const driver = new FakeDriver();
  const media = new FakeMedia(name);
  return { ch: h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', name, driver, media }), media, driver };
}

test('created on first join, members join and leave, destroyed when empty', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const b = leg(h, 'b');
  const ja = h.sw.joinConference(a.ch, 'sales');
  assert.ok(ja.ok);
  const room = h.rooms[0]!;
  const conf = h.sw.conference('sales')!;
  assert.equal(conf.size, 1);
  const jb = h.sw.joinConference(b.ch, 'sales', { mute: true, volumeIn: 2, tag: 'agent' });
  assert.ok(jb.ok);
  assert.equal(h.rooms.length, 1, 'one room per conference');
  assert.deepEqual(
    { ...room.of(b.media), media: undefined, onTalk: undefined },
    { media: undefined, onTalk: undefined, mute: true, deaf: false, inputGainDb: 6, outputGainDb: 0, left: false },
  );
  assert.equal(a.ch.conference, 'sales');
  assert.notEqual(ja.member.id, jb.member.id);
  assert.equal(jb.member.tag, 'agent');
  const same = h.sw.joinConference(b.ch, 'sales');
  assert.ok(same.ok && same.member === jb.member, 'joining again is idempotent');
  assert.deepEqual(h.sw.leaveConference(a.ch), { ok: true });
  assert.equal(a.ch.conference, undefined);
  assert.equal(a.ch.state, 'new', 'leaving does not hang up');
  assert.equal(conf.size, 1);
  await b.ch.hangup();
  assert.equal(h.sw.conference('sales'), undefined);
  assert.equal(room.closed, 1);
  assert.deepEqual(
    h.events.filter((e) => e.name.startsWith('conference.')).map((e) => {
      if (e.name === 'conference.memberLeft') return `${e.name}:${e.payload.reason}`;
      if (e.name === 'conference.destroyed') return `${e.name}:${e.payload.reason}`;
      return e.name;
    }),
    ['conference.created', 'conference.memberJoined', 'conference.memberJoined', 'conference.memberLeft:leave',
      'conference.memberLeft:hangup', 'conference.destroyed:empty'],
  );
  await a.ch.hangup();
  await h.finish();
  assert.equal((await h.store.get(a.ch.uuid))?.conference, 'sales');
});

test('member controls (table) reach the mixer and emit memberUpdated only on change', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  const j = h.sw.joinConference(a.ch, 'c1');
  assert.ok(j.ok);
  const conf = h.sw.conference('c1')!;
  const room = h.rooms[0]!;
  const id = j.member.id;
  const steps: [string, () => unknown, Partial<{ mute: boolean; deaf: boolean; inputGainDb: number; outputGainDb: number }>, MemberChange | null][] = [
    ['mute', () => conf.setMute(id, true), { mute: true, deaf: false }, 'mute'],
    ['mute again', () => conf.setMute(id, true), { mute: true }, null],
    ['deaf', () => conf.setDeaf(id, true), { deaf: true }, 'deaf'],
    ['unmute', () => conf.setMute(id, false), { mute: false, deaf: true }, 'mute'],
    ['hold', () => conf.setHold(id, true), { mute: true, deaf: true }, 'hold'],
    ['undeaf while held', () => conf.setDeaf(id, false), { mute: true, deaf: true }, 'deaf'],
    ['unhold restores own flags', () => conf.setHold(id, false), { mute: false, deaf: false }, 'hold'],
    ['volume in 4', () => conf.setVolumeIn(id, 4), { inputGainDb: 12 }, 'volume'],
    ['volume in clamps 9 -> 4', () => conf.setVolumeIn(id, 9), { inputGainDb: 12 }, null],
    ['volume out -2', () => conf.setVolumeOut(id, -2), { outputGainDb: -6 }, 'volume'],
    ['tag', () => conf.setTag(id, 'vip'), {}, 'tag'],
    ['talk starts', () => room.talk(a.media, true), {}, 'talking'],
    ['talk starts again', () => room.talk(a.media, true), {}, null],
    ['talk stops', () => room.talk(a.media, false), {}, 'talking'],
  ];
  for (const [name, act, expected, change] of steps) {
    const before = h.events.length;
    act();
    const m = room.of(a.media)!;
    for (const [k, v] of Object.entries(expected)) assert.equal(m[k as keyof typeof m], v, `${name}: ${k}`);
    const updates = h.events.slice(before).flatMap((e) => (e.name === 'conference.memberUpdated' ? [e.payload.change] : []));
    assert.deepEqual(updates, change ? [change] : [], name);
  }
  const snap = j.member.snapshot();
  assert.deepEqual({ ...snap, joinedAt: 0, id: 0 }, {
    id: 0, uuid: a.ch.uuid, joinedAt: 0, mute: false, deaf: false, hold: false, talking: false, moderator: false,
    endConferenceOnExit: false, volumeIn: 4, volumeOut: -2, tag: 'vip',
  });
  for (const r of [conf.setMute(999, true), conf.kick(999), conf.hup(999), conf.leave(999)]) {
    assert.equal(r.ok ? '' : r.error.code, 'CORE_CONFERENCE_MEMBER');
  }
  await a.ch.hangup();
  await h.finish();
});

test('kick keeps the call, hup hangs it up; muteAll spares moderators unless asked', async () => {
  const h = createHarness();
  const mod = leg(h, 'mod');
  const x = leg(h, 'x');
  const y = leg(h, 'y');
  const jm = h.sw.joinConference(mod.ch, 'r', { moderator: true });
  const jx = h.sw.joinConference(x.ch, 'r');
  const jy = h.sw.joinConference(y.ch, 'r');
  assert.ok(jm.ok && jx.ok && jy.ok);
  const conf = h.sw.conference('r')!;
  conf.muteAll(true);
  assert.deepEqual(conf.members().map((m) => m.mute), [false, true, true]);
  conf.muteAll(false, { includeModerators: true });
  assert.deepEqual(conf.members().map((m) => m.mute), [false, false, false]);
  assert.deepEqual(conf.kick(jx.member.id), { ok: true });
  assert.equal(x.ch.state, 'new');
  assert.deepEqual(conf.hup(jy.member.id, 'MANAGER_REQUEST'), { ok: true });
  await h.flush();
  assert.equal(y.ch.hangupCause, 'MANAGER_REQUEST');
  const reasons = h.events.flatMap((e) => (e.name === 'conference.memberLeft' ? [e.payload.reason] : []));
  assert.deepEqual(reasons, ['kick', 'hangup']);
  await Promise.all([mod.ch.hangup(), x.ch.hangup()]);
  await h.finish();
});

test('endConferenceOnExit ends the conference when the last such member leaves', async () => {
  const h = createHarness();
  const [host1, host2, guest] = [leg(h, 'h1'), leg(h, 'h2'), leg(h, 'g')];
  assert.ok(h.sw.joinConference(host1.ch, 'e', { endConferenceOnExit: true }).ok);
  assert.ok(h.sw.joinConference(host2.ch, 'e', { endConferenceOnExit: true }).ok);
  assert.ok(h.sw.joinConference(guest.ch, 'e').ok);
  await host1.ch.hangup();
  assert.equal(h.sw.conference('e')?.size, 2, 'another endconf member remains');
  assert.deepEqual(h.sw.leaveConference(host2.ch), { ok: true });
  assert.equal(h.sw.conference('e'), undefined);
  assert.equal(guest.ch.conference, undefined);
  assert.equal(guest.ch.state, 'new', 'remaining members are removed, not hung up');
  const last = h.events.filter((e) => e.name === 'conference.memberLeft').at(-1);
  assert.equal(last?.name === 'conference.memberLeft' ? last.payload.reason : '', 'ended');
  const destroyed = h.events.find((e) => e.name === 'conference.destroyed');
  assert.equal(destroyed?.name === 'conference.destroyed' ? destroyed.payload.reason : '', 'ended');
  await Promise.all([host2.ch.hangup(), guest.ch.hangup()]);
  await h.finish();
});

test('admission to a conference: maxParticipants, lock, no media, no factory, room failures', async () => {
  const h = createHarness();
  const [a, b, c] = [leg(h, 'a'), leg(h, 'b'), leg(h, 'c')];
  assert.ok(h.sw.joinConference(a.ch, 'small', { maxParticipants: 2 }).ok);
  assert.ok(h.sw.joinConference(b.ch, 'small').ok);
  const full = h.sw.joinConference(c.ch, 'small');
  assert.equal(full.ok ? '' : full.error.code, 'CORE_CONFERENCE_FULL');
  const conf = h.sw.conference('small')!;
  assert.equal(conf.snapshot().maxParticipants, 2);
  conf.lock();
  assert.ok(conf.locked);
  await b.ch.hangup();
  const locked = h.sw.joinConference(c.ch, 'small');
  assert.equal(locked.ok ? '' : locked.error.code, 'CORE_CONFERENCE_LOCKED');
  conf.unlock();
  assert.ok(h.sw.joinConference(c.ch, 'small').ok);
  const bare = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver() });
  const noMedia = h.sw.joinConference(bare, 'small');
  assert.equal(noMedia.ok ? '' : noMedia.error.code, 'CORE_NO_MEDIA');
  await c.ch.hangup();
  const d = leg(h, 'd');
  h.rooms[0]!.failJoin = true;
  const failed = h.sw.joinConference(d.ch, 'small');
  assert.equal(failed.ok ? '' : failed.error.code, 'CORE_MEDIA_FAILED');
  const zero = h.sw.joinConference(d.ch, 'nobody-fits', { maxParticipants: 0 });
  assert.equal(zero.ok ? '' : zero.error.code, 'CORE_CONFERENCE_FULL');
  assert.equal(h.sw.conference('nobody-fits'), undefined, 'a conference nobody could join is not left behind');
  await Promise.all([a.ch.hangup(), d.ch.hangup(), bare.hangup()]);
  await h.finish();

  const h2 = createHarness({ conferenceMedia: undefined });
  const e = leg(h2, 'e');
  const nf = h2.sw.joinConference(e.ch, 'x');
  assert.equal(nf.ok ? '' : nf.error.code, 'CORE_CONFERENCE_MEDIA');
  await e.ch.hangup();
  await h2.finish();
});

test('joining moves a leg out of its bridge or other conference; bridging moves it out of a conference', async () => {
  const h = createHarness();
  const [a, b] = [leg(h, 'a'), leg(h, 'b')];
  assert.ok(h.sw.bridge(a.ch, b.ch).ok);
  assert.ok(h.sw.joinConference(a.ch, 'one').ok);
  assert.equal(h.sw.counts().bridges, 0);
  assert.equal(b.ch.state, 'new', 'the old bridge partner stays up');
  assert.ok(h.sw.joinConference(a.ch, 'two').ok);
  assert.equal(h.sw.conference('one'), undefined, 'the emptied conference is destroyed');
  assert.equal(a.ch.conference, 'two');
  assert.ok(h.sw.bridge(a.ch, b.ch).ok);
  assert.equal(h.sw.conference('two'), undefined);
  const reasons = h.events.flatMap((e) => (e.name === 'conference.memberLeft' ? [e.payload.reason] : []));
  assert.deepEqual(reasons, ['moved', 'moved']);
  await a.ch.hangup();
  await h.finish();
});

test('play to and record the room, with events carrying the conference', async () => {
  const h = createHarness();
  const a = leg(h, 'a');
  assert.ok(h.sw.joinConference(a.ch, 'music').ok);
  const conf = h.sw.conference('music')!;
  const room = h.rooms[0]!;
  const p = conf.play('/sounds/welcome.wav');
  const r = conf.record('/tmp/music.wav');
  room.output.plays[0]!.finish();
  assert.equal((await p.done).status, 'done');
  await a.ch.hangup();
  assert.equal((await r.done).status, 'stopped', 'recording stops when the conference ends');
  await h.flush();
  const names = h.events.filter((e) => e.name.startsWith('playback.') || e.name.startsWith('record.'));
  assert.deepEqual(names.map((e) => e.name), ['playback.started', 'record.started', 'playback.stopped', 'record.stopped']);
  for (const e of names) assert.equal((e.payload as { conference?: { name: string } }).conference?.name, 'music');
  await h.finish();
});

test('end() removes everyone and is idempotent; shutdown ends conferences', async () => {
  const h = createHarness();
  const [a, b] = [leg(h, 'a'), leg(h, 'b')];
  assert.ok(h.sw.joinConference(a.ch, 'z').ok);
  assert.ok(h.sw.joinConference(b.ch, 'z').ok);
  const conf = h.sw.conference('z')!;
  conf.end();
  conf.end();
  assert.ok(conf.ended);
  assert.equal(h.sw.conference('z'), undefined);
  const late = conf.add(a.ch);
  assert.equal(late.ok ? '' : late.error.code, 'CORE_CONFERENCE_LOCKED');
  assert.equal(h.events.filter((e) => e.name === 'conference.destroyed').length, 1);
  assert.ok(h.sw.joinConference(a.ch, 'z').ok, 'a new conference of the same name');
  assert.notEqual(h.sw.conference('z'), conf);
  await h.sw.close();
  assert.equal(a.ch.hangupCause, 'SYSTEM_SHUTDOWN');
  await h.finish();
});
