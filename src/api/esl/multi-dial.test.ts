import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { legCount, parseMultiDial } from './multi-dial.ts';

describe('multi-leg dial strings (specs/esl.md §5)', () => {
  it('reads , | and :_: with {} <> [] variables', () => {
    const plan = parseMultiDial('{g=1,x=a\\,b}[l=1]user/1000,[l=2]user/1001|user/1002:_:<grp=2>sofia/internal/2000@h');
    assert.deepEqual(plan, {
      variables: { g: '1', x: 'a,b' },
      groups: [
        {
          variables: {},
          steps: [
            [{ target: 'user/1000', variables: { l: '1' } }, { target: 'user/1001', variables: { l: '2' } }],
            [{ target: 'user/1002', variables: {} }],
          ],
        },
        { variables: { grp: '2' }, steps: [[{ target: 'sofia/internal/2000@h', variables: {} }]] },
      ],
    });
    assert.equal(legCount(plan), 4);
  });

  it('a single target, and separators inside brackets do not split', () => {
    assert.deepEqual(parseMultiDial('{a=1|2,b=3}sip:x@h'), {
      variables: { a: '1|2', b: '3' }, groups: [{ variables: {}, steps: [[{ target: 'sip:x@h', variables: {} }]] }],
    });
    assert.deepEqual(parseMultiDial('').groups, []);
    assert.deepEqual(parseMultiDial('a,,b|').groups[0]?.steps.map((s) => s.map((l) => l.target)), [['a', 'b']]);
  });
});
