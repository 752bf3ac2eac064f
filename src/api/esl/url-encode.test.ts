/** URL encoder table tests against specs/esl.md §1.5. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { urlEncode } from './url-encode.ts';

describe('esl url encoding (§1.5)', () => {
  const cases: [string, string][] = [
    ['2024-05-01 12:34:56', '2024-05-01%2012%3A34%3A56'],
    ['Wed, 01 May 2024 10:34:56 GMT', 'Wed,%2001%20May%202024%2010%3A34%3A56%20GMT'],
    ['sofia/internal/1000@10.0.0.5', 'sofia/internal/1000%4010.0.0.5'],
    ['::1', '%3A%3A1'],
    ['100%AB', '100%AB'],
    ['50%', '50%25'],
    ['50%ab', '50%25ab'],
    ['a+b', 'a%2Bb'],
    ['-_.~/,()*!$\'', '-_.~/,()*!$\''],
    ['#&;<=>?[\\]^`{|}"', '%23%26%3B%3C%3D%3E%3F%5B%5C%5D%5E%60%7B%7C%7D%22'],
    ['\r\n\t', '%0D%0A%09'],
    ['é', '%C3%A9'],
    ['', '_undef_'],
    ['+OK\n', '%2BOK%0A'],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.equal(urlEncode(input), expected));
});
