/** Originate argument parsing (specs/esl.md §5 originate and dial-string syntax). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAppForm, parseDialString, splitArgs } from './dial-string.ts';
import { formatUptime } from './uptime.ts';

describe('esl dial strings', () => {
  it('splits on spaces with single quotes grouping', () => {
    assert.deepEqual(splitArgs("user/1000 9999 XML default 'Caller Name' 1234 30"), ['user/1000', '9999', 'XML', 'default', 'Caller Name', '1234', '30']);
    assert.deepEqual(splitArgs("'{a=1 2}sofia/x/y'  &park()"), ['{a=1 2}sofia/x/y', '&park()']);
    assert.deepEqual(splitArgs('fake:1 &socket(127.0.0.1:8084 async full) XML'), ['fake:1', '&socket(127.0.0.1:8084 async full)', 'XML']);
  });

  it('reads variable prefixes', () => {
    assert.deepEqual(parseDialString('{origination_uuid=abc,x=a\\,b}[leg=1]sofia/internal/1000@h'),
      { target: 'sofia/internal/1000@h', variables: { origination_uuid: 'abc', x: 'a,b', leg: '1' } });
    assert.deepEqual(parseDialString('user/1000'), { target: 'user/1000', variables: {} });
  });

  it('reads the &app(args) form', () => {
    assert.deepEqual(parseAppForm('&playback(/tmp/a b.wav)'), { app: 'playback', arg: '/tmp/a b.wav' });
    assert.deepEqual(parseAppForm('&park()'), { app: 'park', arg: '' });
    assert.deepEqual(parseAppForm('&park'), { app: 'park', arg: '' });
    assert.equal(parseAppForm('9999'), undefined);
  });
});

describe('esl uptime text', () => {
  it('pluralizes like FreeSWITCH', () => {
    const ms = ((1 * 60 + 2) * 60 + 3) * 1000 + 456 + 0.789;
    assert.equal(formatUptime(ms), '0 years, 0 days, 1 hour, 2 minutes, 3 seconds, 456 milliseconds, 789 microseconds');
    assert.equal(formatUptime(366 * 86_400_000), '1 year, 1 day, 0 hours, 0 minutes, 0 seconds, 0 milliseconds, 0 microseconds');
  });
});
