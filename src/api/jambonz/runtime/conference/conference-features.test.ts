import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness, FakeDriver, FakeMedia, type Harness } from '../../../../core/testing/index.ts';
import { silentLogger } from '../../../../lib/index.ts';
import { ACCOUNT, application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { conferenceRecorderOf, recordConference } from './conference-recorder.ts';
import { distributeDtmf } from './dtmf-distribution.ts';
import { holdMusicPlaying } from './hold-music.ts';
import { roomKey } from './room-names.ts';

function leg(h: Harness, name: string): { ch: ReturnType<Harness['sw']['createChannel']>; media: FakeMedia } {
  const media = new FakeMedia(name);
  return { ch: h.sw.createChannel({ direction: 'inbound', endpoint: 'fake', driver: new FakeDriver(), media, destination: name }), media };
}

test('distributeDtmf: a member\'s digits go to every other member, not back, and stop with it', async () => {
  const h = createHarness();
  const [a, b, c] = [leg(h, 'a'), leg(h, 'b'), leg(h, 'c')];
  for (const x of [a, b, c]) assert.ok(h.sw.joinConference(x.ch, 'd').ok);
  const stop = distributeDtmf(h.sw, a.ch, silentLogger());
  a.media.receiveDtmf('5', 80);
  b.media.receiveDtmf('7');
  await h.flush();
  assert.deepEqual([a.media.sentDtmf, b.media.sentDtmf, c.media.sentDtmf], [[], ['5'], ['5']]);
  c.media.failing.add('sendDtmf');
  a.media.receiveDtmf('#');
  await h.flush();
  assert.deepEqual(b.media.sentDtmf, ['5', '#'], 'a member that cannot take the digit does not stop the others');
  h.sw.leaveConference(a.ch);
  a.media.receiveDtmf('1');
  await h.flush();
  assert.deepEqual(b.media.sentDtmf, ['5', '#'], 'a member that left distributes nothing');
  stop();
  await Promise.all([a, b, c].map((x) => x.ch.hangup()));
  await h.finish();
});

test('conference recorder: one per room, a completed WAV with its description, or failed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-confrec-'));
  try {
    const h = createHarness();
    const a = leg(h, 'a');
    assert.ok(h.sw.joinConference(a.ch, 'rec').ok);
    const conference = h.sw.conference('rec')!;
    const init = { conference, dir, callSid: 'call-1', accountSid: 'acc-1', clock: h.clock, now: () => h.sw.now(), log: silentLogger() };
    const rec = recordConference({ ...init, path: 'x/room.wav' });
    assert.equal(recordConference(init), rec, 'a second member with record joins the same recording');
    assert.equal(conferenceRecorderOf(conference), rec);
    const op = h.rooms[0]!.output.records[0]!;
    assert.equal(op.spec, rec.file);
    const wav = Buffer.alloc(44 + 320);
    wav.write('RIFF', 0, 'ascii');
    wav.writeUInt32LE(16000, 24);
    writeFileSync(rec.file, wav);
    await h.tick(2500);
    op.finish({ durationMs: 2500 });
    const meta = await rec.finished;
    assert.deepEqual(
      [meta.status, meta.sample_rate, meta.channels, meta.conference_sid, meta.friendly_name, meta.path, meta.duration_secs],
      ['completed', 16000, 1, conference.id, 'rec', 'x/room.wav', 2.5],
    );
    const onDisk = JSON.parse(readFileSync(join(dir, `${rec.sid}.json`), 'utf8')) as Record<string, unknown>;
    assert.equal(onDisk['status'], 'completed');
    await a.ch.hangup();

    const b = leg(h, 'b');
    assert.ok(h.sw.joinConference(b.ch, 'rec2').ok);
    const failing = recordConference({ ...init, conference: h.sw.conference('rec2')! });
    h.rooms[1]!.output.records[0]!.finish({ status: 'failed', error: 'disk full' });
    assert.deepEqual([(await failing.finished).status, failing.meta.error], ['failed', 'disk full']);
    await b.ch.hangup();
    await h.finish();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hold with wait_hook: the reply plays round after round until unhold', async () => {
  const s = scenario((_type, hook) => {
    if (hook.endsWith('/call')) return [{ verb: 'conference', name: 'held', speakOnlyTo: 'agent', endConferenceDuration: 2 }];
    if (hook.endsWith('/music')) return [{ verb: 'play', url: 'tone_stream://%(500,0,1300)' }];
    return [];
  });
  const { channel, media } = s.call(application());
  await s.h.flush();
  const room = s.h.sw.conference(roomKey(ACCOUNT.account_sid, 'held'))!;
  assert.equal(room?.size, 1);
  assert.equal(room.members()[0]!.speakOnlyTo, 'agent', 'speakOnlyTo reaches the member');
  assert.equal(room.members()[0]!.endGraceMs, 2000, 'endConferenceDuration in ms');
  const live = s.manager.get(channel.uuid)!;
  const musicRequests = (): number => s.app().requests.filter((r) => r.hook?.endsWith('/music')).length;
  assert.equal((await live.update({ conf_hold_status: 'hold', wait_hook: 'http://app.test/music' })).status, 202);
  await s.h.flush();
  assert.equal(room.members()[0]!.hold, true);
  assert.equal(musicRequests(), 1);
  assert.equal(media.plays.at(-1)?.spec, 'tone_stream://%(500,0,1300)');
  assert.equal(s.finishPlay(media), 'tone_stream://%(500,0,1300)');
  await s.h.tick(1000);
  assert.equal(musicRequests(), 2, 'the hook is called again after the reply played');
  assert.equal(holdMusicPlaying(channel), true);
  assert.equal((await live.update({ conf_hold_status: 'unhold' })).status, 202);
  await s.h.flush();
  assert.equal(media.plays.at(-1)?.settled, true, 'unhold stops the music');
  assert.equal(holdMusicPlaying(channel), false);
  await s.h.tick(5000);
  assert.equal(musicRequests(), 2, 'no more rounds');
  assert.equal((await live.update({ conf_hold_status: 'hold', wait_hook: 42 })).status, 400, 'not a hook');
  assert.equal(room.members()[0]!.hold, false, 'a bad wait_hook changes nothing');
  assert.equal((await live.update({ conferenceParticipantAction: { action: 'hold', wait_hook: 'http://app.test/music' } })).status, 202);
  await s.h.flush();
  assert.equal(musicRequests(), 3, 'participant-action hold takes a wait_hook too');
  await channel.hangup();
  await s.h.flush();
  assert.equal(holdMusicPlaying(channel), false, 'the call ended: the music too');
  await s.done();
});

test('WS commands: conf:participant-action coach / uncoach and conf:hold-status with a wait_hook', async () => {
  const s = scenario((_type, hook) => {
    if (hook.endsWith('/ws')) return [{ verb: 'conference', name: 'ws-room' }];
    if (hook.endsWith('/music')) return [{ verb: 'play', url: 'silence_stream://500' }];
    return [];
  });
  const { channel, media } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  const member = () => s.h.sw.conference(roomKey(ACCOUNT.account_sid, 'ws-room'))!.members()[0]!;
  s.app().command('conf:participant-action', { action: 'coach', tag: 'agent' });
  await s.h.flush();
  assert.equal(member().speakOnlyTo, 'agent');
  s.app().command('conf:participant-action', { action: 'uncoach' });
  await s.h.flush();
  assert.equal(member().speakOnlyTo, undefined);
  s.app().command('conf:hold-status', { conf_hold_status: 'hold', wait_hook: '/music' });
  await s.h.flush();
  assert.equal(member().hold, true);
  assert.equal(media.plays.at(-1)?.spec, 'silence_stream://500', 'the wait_hook reply plays to the held call');
  s.app().command('conf:hold-status', { conf_hold_status: 'unhold' });
  await s.h.flush();
  assert.equal(member().hold, false);
  assert.equal(holdMusicPlaying(channel), false);
  s.app().command('conf:participant-action', { action: 'coach' });
  await s.h.flush();
  assert.ok(s.app().notifications.some((n) => n.type === 'jambonz:error'), 'coach without a tag is a jambonz:error');
  await channel.hangup();
  await s.done();
});

test('the verb wires distributeDtmf, record (no recordings folder: jambonz:error) and a bad nested listen (jambonz:error)', async () => {
  const s = scenario((_type, hook) => (hook.endsWith('/ws')
    ? [{ verb: 'conference', name: 'wired', distributeDtmf: true, record: { path: 'r.wav' }, listen: { url: 42 } }]
    : []));
  const ws = application({ call_hook: 'ws://app.test/ws' });
  const one = s.call(ws);
  const two = s.call(ws);
  await s.h.flush();
  assert.equal(s.h.sw.conference(roomKey(ACCOUNT.account_sid, 'wired'))?.size, 2);
  one.media.receiveDtmf('9');
  await s.h.flush();
  assert.deepEqual([one.media.sentDtmf, two.media.sentDtmf], [[], ['9']]);
  const errors = s.requestors.flatMap((r) => r.notifications.filter((n) => n.type === 'jambonz:error').map((n) => JSON.stringify(n.payload)));
  assert.ok(errors.some((e) => e.includes('conference record failed')), 'record without a recordings folder');
  assert.ok(errors.some((e) => e.includes('invalid listen')), 'a listen without a usable url');
  s.h.sw.leaveConference(one.channel);
  one.media.receiveDtmf('1');
  await s.h.flush();
  assert.deepEqual(two.media.sentDtmf, ['9'], 'distribution ends when the member leaves the room');
  await Promise.all([one.channel.hangup(), two.channel.hangup()]);
  await s.done();
});
