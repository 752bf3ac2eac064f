import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { LogTap, fsLevelOf, logLineOf } from './log-tap.ts';

describe('log/data lines from the server log (specs/esl.md §2.2 log)', () => {
  it('maps pino levels onto FreeSWITCH levels', () => {
    assert.deepEqual([60, 50, 40, 30, 20, 10].map(fsLevelOf), [2, 3, 4, 6, 7, 7]);
  });

  it('formats a pino line; a channel line carries its uuid', () => {
    const time = new Date(2024, 4, 1, 12, 34, 56, 123).getTime();
    const l = logLineOf(JSON.stringify({ level: 40, time, room: 'core', channelId: 'u-1', msg: 'no route', destination: '99' }));
    assert.deepEqual(l, {
      level: 4, channel: 2, file: 'core', func: 'core', line: 0, userData: 'u-1',
      text: '2024-05-01 12:34:56.123000 100.00% [WARNING] core:0 (u-1) no route destination=99\n',
    });
    const g = logLineOf(JSON.stringify({ level: 30, time, msg: 'hi' }));
    assert.equal(g?.userData, '');
    assert.equal(g?.channel, 0);
    assert.equal(g?.text, '2024-05-01 12:34:56.123000 100.00% [INFO] switchboard:0 hi\n');
    assert.equal(logLineOf('not json'), undefined);
    assert.equal(logLineOf('{"msg":"no level"}'), undefined);
  });

  it('taps every child of a logger and lets go on close', () => {
    const out = new PassThrough();
    const root = pino({ level: 'debug' }, out);
    const tap = new LogTap(root);
    const seen: string[] = [];
    tap.listen((l) => seen.push(l.text));
    root.child({ room: 'sip' }).info('one');
    root.debug('two');
    tap.close();
    root.info('three');
    assert.equal(seen.length, 2);
    assert.match(seen[0]!, /\[INFO\] sip:0 one\n$/);
    assert.match(seen[1]!, /\[DEBUG\] switchboard:0 two\n$/);
    const all = String(out.read());
    for (const m of ['one', 'two', 'three']) assert.ok(all.includes(`"msg":"${m}"`), `the log itself still gets ${m}`);
  });
});
