import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DigitCollector, type DigitRules } from './digit-collector.ts';

const rules = (r: Partial<DigitRules>): DigitRules => ({ minDigits: 1, interDigitTimeoutMs: 0, ...r });

test('table: digit sequences and the step each digit yields', () => {
  const cases: { rules: Partial<DigitRules>; digits: string; last: string; collected: string }[] = [
    { rules: { numDigits: 2 }, digits: '12', last: 'complete', collected: '12' },
    { rules: { maxDigits: 3 }, digits: '123', last: 'complete', collected: '123' },
    { rules: { finishOnKey: '#' }, digits: '12#', last: 'terminator', collected: '12' },
    { rules: { finishOnKey: '#' }, digits: '#', last: 'terminator', collected: '' },
    { rules: { finishOnKey: '*', numDigits: 5 }, digits: '1#', last: 'more', collected: '1#' },
    { rules: { numDigits: 3, interDigitTimeoutMs: 2000 }, digits: '1', last: 'timer', collected: '1' },
    { rules: { numDigits: 3, minDigits: 2, interDigitTimeoutMs: 2000 }, digits: '1', last: 'more', collected: '1' },
    { rules: { numDigits: 3, minDigits: 2, interDigitTimeoutMs: 2000 }, digits: '12', last: 'timer', collected: '12' },
  ];
  for (const c of cases) {
    const dc = new DigitCollector(rules(c.rules));
    let last = '';
    for (const d of c.digits) {
      const step = dc.push(d);
      last = step.done ? step.why : step.startInterDigitTimer ? 'timer' : 'more';
    }
    assert.equal(last, c.last, JSON.stringify(c));
    assert.equal(dc.digits, c.collected, JSON.stringify(c));
  }
});

test('timeout yields digits only when minDigits are in', () => {
  const a = new DigitCollector(rules({ minDigits: 2 }));
  assert.deepEqual(a.onTimeout(), { reason: 'timeout' });
  a.push('1');
  assert.deepEqual(a.onTimeout(), { reason: 'timeout' });
  a.push('2');
  assert.deepEqual(a.onTimeout(), { reason: 'dtmfDetected', digits: '12' });
});
