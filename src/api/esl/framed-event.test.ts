import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serializeEvent, type EslEvent } from './esl-event.ts';
import { framedEvent } from './framed-event.ts';
import { eventFrame } from './framing.ts';

const EVENT: EslEvent = { headers: [['Event-Name', 'CUSTOM'], ['Event-Subclass', 'a b'], ['X', ['1', '2']]], body: 'hi' };

describe('framedEvent', () => {
  for (const format of ['plain', 'json', 'xml'] as const) {
    it(`${format}: the same bytes as eventFrame(serializeEvent), reused for the same event`, () => {
      const first = framedEvent(EVENT, format);
      assert.equal(first.toString('utf8'), eventFrame(format, serializeEvent(EVENT, format)));
      assert.equal(framedEvent(EVENT, format), first);
    });
  }

  it('keeps formats apart and events apart', () => {
    assert.notEqual(framedEvent(EVENT, 'plain').toString(), framedEvent(EVENT, 'json').toString());
    const other: EslEvent = { headers: [['Event-Name', 'CUSTOM'], ['Event-Subclass', 'c']] };
    assert.match(framedEvent(other, 'plain').toString(), /Event-Subclass: c\n/);
  });
});
