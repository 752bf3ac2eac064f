/** RFC 3264 sections 6.1 and 8.4 direction rules as tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerDirection, localDirection, offerDirection, reverseDirection } from './direction.ts';
import type { SdpDirection } from './sdp-model.ts';

const answers: Array<[SdpDirection, boolean, SdpDirection]> = [
  ['sendrecv', false, 'sendrecv'],
  ['sendonly', false, 'recvonly'],
  ['recvonly', false, 'sendonly'],
  ['inactive', false, 'inactive'],
  ['sendrecv', true, 'sendonly'],
  ['sendonly', true, 'inactive'],
  ['recvonly', true, 'sendonly'],
  ['inactive', true, 'inactive'],
];

for (const [offered, hold, want] of answers) {
  test(`answer ${offered}${hold ? ' while we hold' : ''} -> ${want}`, () => {
    assert.equal(answerDirection(offered, localDirection(hold)), want);
  });
}

const offers: Array<[boolean, boolean, SdpDirection, SdpDirection]> = [
  [false, false, 'sendrecv', 'sendrecv'],
  [false, true, 'sendrecv', 'sendrecv'],
  [true, false, 'sendrecv', 'sendonly'],
  [true, true, 'sendrecv', 'inactive'],
  [false, false, 'recvonly', 'recvonly'],
  [true, false, 'recvonly', 'inactive'],
];

for (const [hold, peerHolds, wanted, want] of offers) {
  test(`offer hold=${hold} peerHolds=${peerHolds} wanted=${wanted} -> ${want}`, () => {
    assert.equal(offerDirection(hold, peerHolds, wanted), want);
  });
}

test('reverse swaps sendonly and recvonly only', () => {
  assert.deepEqual((['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const).map(reverseDirection), ['sendrecv', 'recvonly', 'sendonly', 'inactive']);
});
