import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snakeCase, snakeCaseKeys } from './snake-case.ts';

test('keys become snake_case recursively', () => {
  assert.equal(snakeCase('callSid'), 'call_sid');
  assert.equal(snakeCase('sipStatus'), 'sip_status');
  assert.equal(snakeCase('already_snake'), 'already_snake');
  assert.equal(snakeCase('playbackLastOffsetPos'), 'playback_last_offset_pos');
  assert.deepEqual(snakeCaseKeys({ outerKey: { innerKey: [{ deepKey: 1 }] } }), { outer_key: { inner_key: [{ deep_key: 1 }] } });
});

test('customerData, sip, env_vars and args keep their name and their value verbatim', () => {
  const input = { customerData: { someKey: 1 }, sip: { headers: { 'X-Account-Sid': 'a' } }, env_vars: { MY_Var: 'x' }, args: { cityName: 'B' } };
  assert.deepEqual(snakeCaseKeys(input), input);
});
