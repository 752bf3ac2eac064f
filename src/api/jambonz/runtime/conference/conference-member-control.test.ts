import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, FakeDriver, FakeMedia } from '../../../../core/testing/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import { holdMember, muteConference, participantAction } from './conference-member-control.ts';

test('member actions on the call\'s own membership; a call that left gets JAMBONZ_CALL_STATE', async () => {
  const h = createHarness();
  const leg = (name: string) => h.sw.createChannel({ direction: 'inbound', endpoint: 'fake', driver: new FakeDriver(), media: new FakeMedia(name), destination: name });
  const mod = leg('mod');
  const guest = leg('guest');
  assert.ok(h.sw.joinConference(mod, 'room', { moderator: true }).ok);
  assert.ok(h.sw.joinConference(guest, 'room', {}).ok);
  const member = (ch: typeof mod) => h.sw.conference('room')!.memberByChannel(ch.uuid)!;
  participantAction(h.sw, guest, 'tag', 'vip');
  assert.equal(member(guest).tag, 'vip');
  participantAction(h.sw, guest, 'untag', undefined);
  assert.equal(member(guest).tag, undefined);
  participantAction(h.sw, guest, 'mute', undefined);
  assert.equal(member(guest).mute, true);
  participantAction(h.sw, guest, 'unmute', undefined);
  holdMember(h.sw, guest, 'hold');
  assert.equal(member(guest).hold, true);
  holdMember(h.sw, guest, 'unhold');
  muteConference(h.sw, mod, 'mute');
  assert.deepEqual([member(mod).mute, member(guest).mute], [false, true], 'moderators keep talking');
  muteConference(h.sw, mod, 'unmute');
  const code = (fn: () => void): string | undefined => {
    try { fn(); } catch (err) { return err instanceof RuntimeError ? err.code : 'other'; }
    return undefined;
  };
  assert.equal(code(() => participantAction(h.sw, guest, 'dance', undefined)), 'JAMBONZ_COMMAND_INVALID');
  assert.equal(code(() => participantAction(h.sw, guest, 'tag', '')), 'JAMBONZ_COMMAND_INVALID');
  assert.equal(code(() => participantAction(h.sw, guest, 'coach', undefined)), 'JAMBONZ_UNSUPPORTED');
  assert.equal(code(() => holdMember(h.sw, guest, 'maybe')), 'JAMBONZ_COMMAND_INVALID');
  participantAction(h.sw, guest, 'kick', undefined);
  assert.equal(guest.conference, undefined);
  assert.equal(code(() => holdMember(h.sw, guest, 'hold')), 'JAMBONZ_CALL_STATE');
  await mod.hangup();
  await guest.hangup();
  await h.finish();
});
