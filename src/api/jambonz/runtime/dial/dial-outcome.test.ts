import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialPayload, failureStatus } from './dial-outcome.ts';

test('failures map to the original B-leg statuses', () => {
  const cases: [Parameters<typeof failureStatus>[0], string, number][] = [
    [{ cause: 'USER_BUSY', sipStatus: 486 }, 'busy', 486],
    [{ cause: 'CALL_REJECTED', sipStatus: 603 }, 'busy', 603],
    [{ cause: 'NO_ANSWER' }, 'no-answer', 487],
    [{ cause: 'ORIGINATOR_CANCEL' }, 'no-answer', 487],
    [{ cause: 'NO_USER_RESPONSE', sipStatus: 480 }, 'no-answer', 480],
    [{ cause: 'UNALLOCATED_NUMBER', sipStatus: 404 }, 'failed', 404],
    [{ cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 503 }, 'failed', 503],
  ];
  for (const [f, status, sip] of cases) assert.deepEqual(failureStatus(f), { status, sipStatus: sip }, f.cause);
});

test('the actionHook payload uses the wire names', () => {
  assert.deepEqual(dialPayload('completed', 200, 'sid-b', 'cid@x'), {
    dial_call_status: 'completed', dial_sip_status: 200, dial_call_sid: 'sid-b', dial_sbc_callid: 'cid@x',
  });
  assert.deepEqual(dialPayload('busy', 486, undefined), { dial_call_status: 'busy', dial_sip_status: 486 });
});
