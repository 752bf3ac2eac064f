import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError } from './core-error.ts';
import { CHANNEL_STATES, assertTransition, canTransition, isEnded, isPreAnswer, type ChannelState } from './channel-state.ts';

// Every legal transition; every other pair (including staying in place) is illegal.
const LEGAL: [ChannelState, ChannelState][] = [
  ['new', 'routing'], ['new', 'ringing'], ['new', 'early'], ['new', 'answered'], ['new', 'hangup'],
  ['routing', 'ringing'], ['routing', 'early'], ['routing', 'answered'], ['routing', 'hangup'],
  ['ringing', 'early'], ['ringing', 'answered'], ['ringing', 'hangup'],
  ['early', 'answered'], ['early', 'hangup'],
  ['answered', 'hangup'],
  ['hangup', 'destroyed'],
];

test('state machine: legal and illegal transitions over all pairs', () => {
  const legal = new Set(LEGAL.map(([a, b]) => `${a}>${b}`));
  for (const from of CHANNEL_STATES) {
    for (const to of CHANNEL_STATES) {
      const ok = legal.has(`${from}>${to}`);
      assert.equal(canTransition(from, to), ok, `${from} -> ${to}`);
      if (ok) {
        assert.doesNotThrow(() => assertTransition(from, to, 'u1'));
      } else {
        assert.throws(
          () => assertTransition(from, to, 'u1'),
          (err: unknown) => err instanceof CoreError && err.code === 'CORE_STATE_TRANSITION' && err.message.includes(`${from} -> ${to}`),
        );
      }
    }
  }
});

test('state predicates', () => {
  const cases: [ChannelState, boolean, boolean][] = [
    ['new', false, true], ['routing', false, true], ['ringing', false, true], ['early', false, true],
    ['answered', false, false], ['hangup', true, false], ['destroyed', true, false],
  ];
  for (const [state, ended, pre] of cases) {
    assert.equal(isEnded(state), ended, state);
    assert.equal(isPreAnswer(state), pre, state);
  }
});
