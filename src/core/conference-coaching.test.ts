import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel } from './index.ts';
import { FakeDriver, FakeMedia, createHarness, type Harness } from './testing/index.ts';

function leg(h: Harness, name: string): { ch: Channel; media: FakeMedia } {
  const media = new FakeMedia(name);
  return { ch: h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', name, driver: new FakeDriver(), media }), media };
}

test('speakOnlyTo: the audience follows joins, tags, leaves and coach / uncoach', async () => {
  const h = createHarness();
  const coach = leg(h, 'coach');
  const agent = leg(h, 'agent');
  const customer = leg(h, 'customer');
  const jc = h.sw.joinConference(customer.ch, 'r');
  const jk = h.sw.joinConference(coach.ch, 'r', { speakOnlyTo: 'agent' });
  assert.ok(jc.ok && jk.ok);
  const room = h.rooms[0]!;
  const conf = h.sw.conference('r')!;
  const audience = (): string[] | undefined => room.of(coach.media)?.audience?.map((m) => (m as FakeMedia).name);
  assert.deepEqual(audience(), [], 'nobody is tagged agent yet: nobody hears the coach');
  assert.equal(jk.member.speakOnlyTo, 'agent');
  const ja = h.sw.joinConference(agent.ch, 'r', { tag: 'agent' });
  assert.ok(ja.ok);
  assert.deepEqual(audience(), ['agent'], 'a tagged member that joins hears the coach');
  assert.deepEqual(conf.setTag(jc.member.id, 'agent'), { ok: true });
  assert.deepEqual(audience(), ['customer', 'agent'], 'a member tagged later hears the coach');
  conf.setTag(jc.member.id, undefined);
  assert.deepEqual(audience(), ['agent']);
  assert.equal(room.of(agent.media)?.audience, undefined, 'members without speakOnlyTo are heard by everyone');
  assert.deepEqual(conf.setSpeakOnlyTo(jk.member.id, undefined), { ok: true });
  assert.equal(audience(), undefined, 'uncoach: everyone hears the coach again');
  conf.setSpeakOnlyTo(jk.member.id, 'agent');
  assert.deepEqual(audience(), ['agent'], 'coach again');
  assert.deepEqual(h.sw.leaveConference(agent.ch), { ok: true });
  assert.deepEqual(audience(), [], 'the agent left');
  const missing = conf.setSpeakOnlyTo(999, 'x');
  assert.equal(missing.ok ? '' : missing.error.code, 'CORE_CONFERENCE_MEMBER');
  await Promise.all([coach.ch.hangup(), agent.ch.hangup(), customer.ch.hangup()]);
  await h.finish();
});

test('endGraceMs: the conference ends after the grace time, unless an ender joins meanwhile', async () => {
  const h = createHarness();
  const boss = leg(h, 'boss');
  const guest = leg(h, 'guest');
  const boss2 = leg(h, 'boss2');
  assert.ok(h.sw.joinConference(boss.ch, 'g', { endConferenceOnExit: true, endGraceMs: 5000 }).ok);
  assert.ok(h.sw.joinConference(guest.ch, 'g').ok);
  h.sw.leaveConference(boss.ch);
  await h.tick(4000);
  assert.equal(h.sw.conference('g')?.size, 1, 'still up within the grace time');
  assert.ok(h.sw.joinConference(boss2.ch, 'g', { endConferenceOnExit: true, endGraceMs: 2000 }).ok);
  await h.tick(2000);
  assert.equal(h.sw.conference('g')?.size, 2, 'an ender joined: the grace timer was cancelled');
  h.sw.leaveConference(boss2.ch);
  await h.tick(1999);
  assert.ok(h.sw.conference('g'));
  await h.tick(1);
  assert.equal(h.sw.conference('g'), undefined, 'ended after the grace time');
  assert.equal(guest.ch.conference, undefined);
  const ended = h.events.find((e) => e.name === 'conference.destroyed');
  assert.equal(ended?.name === 'conference.destroyed' ? ended.payload.reason : '', 'ended');
  await Promise.all([boss.ch.hangup(), guest.ch.hangup(), boss2.ch.hangup()]);
  await h.finish();
});
