/**
 * `log` / `nolog` over real TCP on 127.0.0.1 (specs/esl.md §2.2 log, §0 log/data frame, §11.1): the
 * server's own log lines come as log/data frames at or below the asked level, with the FreeSWITCH level,
 * the room as Log-File and the channel uuid as User-Data; `nolog` stops them.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient } from '../support/esl-client.ts';

let h: Harness;
let esl: EslMount;
let root: pino.Logger;
let out: PassThrough;
let c: EslTestClient;

beforeEach(async () => {
  h = createHarness();
  out = new PassThrough();
  out.resume();
  root = pino({ level: 'debug' }, out);
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0, log: root });
  c = await EslTestClient.authed(esl.address.port);
});

afterEach(async () => {
  c.close();
  await esl.close();
  await h.finish();
});

describe('esl log / nolog', () => {
  it('forwards server log lines as log/data frames at or below the level', async () => {
    assert.equal((await c.command('log 6')).headers['Reply-Text'], '+OK log level 6 [6]');
    root.child({ room: 'core', channelId: 'abc-1' }).warn({ destination: '99' }, 'no route');
    const f = await c.next('log/data');
    assert.deepEqual(f.order, ['Content-Type', 'Content-Length', 'Log-Level', 'Text-Channel', 'Log-File', 'Log-Func', 'Log-Line', 'User-Data']);
    assert.equal(f.headers['Log-Level'], '4');
    assert.equal(f.headers['Text-Channel'], '2');
    assert.equal(f.headers['Log-File'], 'core');
    assert.equal(f.headers['User-Data'], 'abc-1');
    assert.match(f.body, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} 100\.00% \[WARNING\] core:0 \(abc-1\) no route destination=99\n$/);
    root.debug('too detailed');
    root.info('plain line');
    const g = await c.next('log/data');
    assert.match(g.body, /\[INFO\] switchboard:0 plain line\n$/, 'the debug line was not forwarded');
    assert.ok(g.raw.includes('User-Data: \n\n'), 'no session: empty User-Data');
  });

  it('nolog stops the frames; a second nolog says not loging', async () => {
    await c.command('log');
    root.info('before');
    await c.next('log/data');
    assert.equal((await c.command('nolog')).headers['Reply-Text'], '+OK no longer logging');
    root.error('after');
    assert.match(await c.api('uptime'), /^\d+\n$/);
    assert.equal(c.frames.filter((f) => f.headers['Content-Type'] === 'log/data').length, 0);
    assert.equal((await c.command('nolog')).headers['Reply-Text'], '-ERR not loging');
  });
});
