import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusEventsOf, statusPayload, talkingEvent } from './conference-status.ts';

test('statusEvents filter: the named events, or every event', () => {
  assert.deepEqual([...statusEventsOf(['join', 'bogus', 'leave'])], ['join', 'leave']);
  assert.equal(statusEventsOf(undefined).size, 6);
  assert.equal(statusEventsOf([]).size, 6);
});

test('the payload carries the wire fields', () => {
  const room = { id: 'conf-1', name: 'room', createdAt: 1_000, size: 3, locked: false };
  assert.deepEqual(statusPayload('join', room, 6_400), {
    event: 'join', conference_sid: 'conf-1', friendly_name: 'room', time: new Date(6_400).toISOString(), members: 3, duration: 5,
  });
  const member = { id: 1, uuid: 'u', joinedAt: 0, mute: false, deaf: false, hold: false, talking: true, moderator: false, endConferenceOnExit: false, volumeIn: 0, volumeOut: 0 };
  assert.equal(talkingEvent({ conference: room, member, change: 'talking' }), 'start-talking');
  assert.equal(talkingEvent({ conference: room, member: { ...member, talking: false }, change: 'talking' }), 'stop-talking');
  assert.equal(talkingEvent({ conference: room, member, change: 'mute' }), undefined);
});
