import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConferenceArg } from './apps.ts';

describe('conference app argument (specs/esl.md §6 conference)', () => {
  it('reads the room, profile, pin and flags', () => {
    assert.deepEqual(parseConferenceArg('room1'), { name: 'room1', options: {} });
    assert.deepEqual(parseConferenceArg('room1@default+1234+flags{mute|moderator}'), { name: 'room1', options: { mute: true, moderator: true } });
    assert.deepEqual(parseConferenceArg('sales+flags{deaf|endconf|nonsense}'), { name: 'sales', options: { deaf: true, endConferenceOnExit: true } });
  });
});
