import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError } from './core-error.ts';
import { compileDialPattern } from './dial-pattern.ts';

test('dial patterns: digit classes, sets, prefixes, literals', () => {
  const cases: [string, string[], string[]][] = [
    // pattern, matching, not matching
    ['1000', ['1000'], ['100', '10000', '2000']],
    ['_1XXX', ['1000', '1999'], ['999', '2000', '10000']],
    ['1xxx', ['1234'], ['123a']],
    ['NXX', ['200', '999'], ['100', '099', '20']],
    ['ZX', ['10', '99'], ['01', '9']],
    ['[15-7]X', ['10', '59', '79'], ['20', '40', '80']],
    ['9.', ['91', '9555'], ['9', '8555']],
    ['9!', ['9', '9555'], ['8']],
    ['+1NXXNXXXXXX', ['+12125551234'], ['12125551234', '+11125551234']],
    ['*97', ['*97'], ['97', 'x97']],
    ['[*#]X', ['*1', '#2'], ['11']],
    ['echo', ['echo'], ['ech0']],
    // x, n and z are classes in any case: words containing them need a regex rule instead
    ['tone', ['to2e'], ['tone']],
    ['a(b)?', ['a(b)?'], ['ab', 'a']],
  ];
  for (const [pattern, yes, no] of cases) {
    const re = compileDialPattern(pattern);
    for (const s of yes) assert.ok(re.test(s), `${pattern} should match ${s}`);
    for (const s of no) assert.ok(!re.test(s), `${pattern} should not match ${s}`);
  }
});

test('bad dial patterns are CORE_ROUTE_INVALID', () => {
  for (const bad of ['', '_', '1[', '1[]', '1[a-z]', '[1-]']) {
    assert.throws(() => compileDialPattern(bad), (e: unknown) => e instanceof CoreError && e.code === 'CORE_ROUTE_INVALID', bad);
  }
});
