import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InviteFailureCause } from '../../sip/index.ts';
import { bestFinalStatus, forkFailure, type BranchFailure } from './fork-response.ts';

const f = (status: number, cause: InviteFailureCause = 'rejected'): BranchFailure => ({ status, reason: `r${status}`, cause });

const best: [string, BranchFailure[], number | undefined][] = [
  ['a 6xx wins over everything', [f(486), f(603), f(302, 'redirected')], 603],
  ['the lowest class wins', [f(503), f(486)], 486],
  ['3xx is lower than 4xx', [f(404), f(302, 'redirected')], 302],
  ['among 4xx a retryable one is preferred', [f(486), f(404), f(407)], 407],
  ['otherwise the first of the class', [f(486), f(480)], 486],
  ['a 503 chosen as best becomes 500', [f(503), f(504)], 500],
  ['a branch without final response counts as 408', [f(408, 'timeout'), f(500)], 408],
  ['nothing at all', [], undefined],
];

for (const [name, failures, want] of best) {
  test(`bestFinalStatus: ${name}`, () => {
    assert.equal(bestFinalStatus(failures)?.status, want);
  });
}

test('forkFailure maps the best status through the Q.850 table', () => {
  assert.deepEqual(forkFailure([f(486), f(480)]), { cause: 'USER_BUSY', sipStatus: 486, reason: 'r486' });
  assert.equal(forkFailure([f(603), f(486)]).cause, 'CALL_REJECTED');
  assert.equal(forkFailure([f(404), f(404)]).cause, 'UNALLOCATED_NUMBER');
});

test('forkFailure: a cancelled fork is ORIGINATOR_CANCEL, our timer NO_ANSWER, transport everywhere NETWORK_OUT_OF_ORDER', () => {
  assert.equal(forkFailure([f(487, 'cancelled'), f(486)]).cause, 'ORIGINATOR_CANCEL');
  assert.equal(forkFailure([f(487, 'no-answer'), f(487, 'no-answer')]).cause, 'NO_ANSWER');
  assert.equal(forkFailure([f(503, 'transport'), f(503, 'transport')]).cause, 'NETWORK_OUT_OF_ORDER');
  // A branch that could not be reached does not hide a real answer from another.
  assert.equal(forkFailure([f(503, 'transport'), f(486)]).cause, 'USER_BUSY');
});
