import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalStatusOf, type HangupFacts } from './call-status.ts';
import { hostPortOf } from './call-info.ts';

test('final call status per §2.5', () => {
  const cases: [HangupFacts, string, number, string][] = [
    [{ direction: 'inbound', answered: true, cause: 'NORMAL_CLEARING', by: 'remote' }, 'completed', 200, 'caller'],
    [{ direction: 'inbound', answered: true, cause: 'NORMAL_CLEARING', by: 'local' }, 'completed', 200, 'jambonz'],
    [{ direction: 'inbound', answered: false, cause: 'ORIGINATOR_CANCEL', sipStatus: 487, by: 'remote' }, 'no-answer', 487, 'caller'],
    [{ direction: 'inbound', answered: false, cause: 'USER_BUSY', sipStatus: 486, by: 'local' }, 'failed', 486, 'jambonz'],
    [{ direction: 'inbound', answered: false, cause: 'CALL_REJECTED', sipStatus: 603, by: 'local' }, 'failed', 603, 'jambonz'],
    [{ direction: 'outbound', answered: false, cause: 'USER_BUSY', sipStatus: 486, by: 'remote' }, 'busy', 486, 'caller'],
    [{ direction: 'outbound', answered: false, cause: 'CALL_REJECTED', sipStatus: 603, by: 'remote' }, 'busy', 603, 'caller'],
    [{ direction: 'outbound', answered: false, cause: 'NO_ANSWER', by: 'local' }, 'no-answer', 480, 'jambonz'],
    [{ direction: 'outbound', answered: false, cause: 'NORMAL_TEMPORARY_FAILURE', sipStatus: 503, by: 'remote' }, 'failed', 503, 'caller'],
  ];
  for (const [facts, status, sip, by] of cases) {
    const f = finalStatusOf(facts);
    assert.deepEqual([f.callStatus, f.sipStatus, f.terminationBy], [status, sip, by], JSON.stringify(facts));
  }
});

test('host:port of a SIP URI', () => {
  assert.equal(hostPortOf('sip:1234@10.0.0.1:5070;transport=udp'), '10.0.0.1:5070');
  assert.equal(hostPortOf('sips:example.com'), 'example.com');
  assert.equal(hostPortOf('garbage'), undefined);
  assert.equal(hostPortOf(undefined), undefined);
});
