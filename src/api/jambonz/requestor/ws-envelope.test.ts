import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope, parseAppMessage } from './index.ts';

describe('ws envelope', () => {
  it('hook is carried only by the types that have it', () => {
    assert.deepEqual(buildEnvelope('verb:hook', 'm1', 'c1', { a: 1 }, '/x'), {
      type: 'verb:hook',
      msgid: 'm1',
      call_sid: 'c1',
      hook: '/x',
      data: { a: 1 },
    });
    assert.equal('hook' in buildEnvelope('call:status', 'm2', 'c1', {}, '/x'), false);
    assert.equal('hook' in buildEnvelope('session:new', 'm3', 'c1', {}), false);
  });

  it('parses acks and commands (both targeting forms)', () => {
    assert.deepEqual(parseAppMessage('{"type":"ack","msgid":"m1","data":[{"verb":"hangup"}]}'), {
      kind: 'ack',
      msgid: 'm1',
      data: [{ verb: 'hangup' }],
    });
    const c = parseAppMessage('{"type":"command","command":"mute:status","callSid":"b","queueCommand":true,"data":{"mute_status":"mute"}}');
    assert.equal(c.kind, 'command');
    if (c.kind === 'command') {
      assert.equal(c.command.command, 'mute:status');
      assert.equal(c.command.queueCommand, true);
      assert.equal(c.command.callSid, 'b');
      assert.deepEqual(c.command.data, { mute_status: 'mute' });
    }
    const flush = parseAppMessage('{"type":"command","command":"tts:flush"}');
    assert.equal(flush.kind, 'command');
    const q = parseAppMessage('{"type":"command","command":"redirect","queueCommand":"yes","data":[]}');
    assert.ok(q.kind === 'command' && q.command.queueCommand === false);
  });

  const invalid: [string, string][] = [
    ['not json', 'message is not valid JSON'],
    ['[1,2]', 'message is not a JSON object'],
    ['{"msgid":"x"}', 'missing type'],
    ['{"type":"ack"}', 'ack without msgid'],
    ['{"type":"command","data":{}}', 'command without command'],
    ['{"type":"command","command":"redirect"}', 'command redirect without data'],
    ['{"type":"hello"}', 'unknown message type hello'],
  ];
  for (const [text, details] of invalid) {
    it(`invalid: ${text}`, () => assert.deepEqual(parseAppMessage(text), { kind: 'invalid', details }));
  }
});
