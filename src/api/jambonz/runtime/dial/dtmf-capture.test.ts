import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtmfMatcher, capturePatterns } from './dtmf-capture.ts';

test('patterns match the latest digits and start over after a match', () => {
  const m = new DtmfMatcher(['*2', '##']);
  assert.deepEqual(['1', '*', '2', '2', '#', '#', '#'].map((d) => m.feed(d)), [undefined, undefined, '*2', undefined, undefined, '##', undefined]);
  assert.equal(new DtmfMatcher([]).feed('1'), undefined);
});

test('dtmfCapture as an array (parent leg) or per leg', () => {
  assert.deepEqual(capturePatterns(['*1', 3]), { parent: ['*1'], child: [] });
  assert.deepEqual(capturePatterns({ parentCall: ['1'], childCall: ['2'] }), { parent: ['1'], child: ['2'] });
  assert.deepEqual(capturePatterns('x'), { parent: [], child: [] });
});
