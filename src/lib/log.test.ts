import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { withLazyChildren } from './log.ts';

function collecting(level: string): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = { write: (s: string): void => { out.push(s); } };
  const log = withLazyChildren(pino({ level, base: undefined }, stream));
  return { log, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('lazy child loggers', () => {
  it('write with every ancestor binding, in order', () => {
    const { log, lines } = collecting('info');
    const call = log.child({ room: 'sip' }).child({ callId: 'c1' });
    call.child({ verb: 'say' }).info({ n: 1 }, 'hello');
    call.debug('not written');
    const got = lines();
    assert.equal(got.length, 1);
    assert.deepEqual({ ...got[0], time: 0 }, { level: 30, time: 0, room: 'sip', callId: 'c1', verb: 'say', n: 1, msg: 'hello' });
  });

  it('an unbuilt child follows its parent level changes; a built one keeps its level (as pino)', () => {
    const { log, lines } = collecting('info');
    const built = log.child({ a: 1 });
    built.info('builds it');
    const lazy = log.child({ b: 2 });
    assert.equal(lazy.isLevelEnabled('debug'), false);
    log.level = 'debug';
    assert.equal(lazy.isLevelEnabled('debug'), true);
    assert.equal(lazy.level, 'debug');
    lazy.debug('seen');
    built.debug('not seen');
    assert.deepEqual(lines().map((l) => l['msg']), ['builds it', 'seen']);
  });

  it('a child given options is built with them; setting a level on a child builds it', () => {
    const { log, lines } = collecting('warn');
    const verbose = log.child({ c: 3 }, { level: 'debug' });
    verbose.debug('from options');
    const other = log.child({ d: 4 });
    other.level = 'info';
    other.info('after set');
    log.info('root stays at warn');
    assert.deepEqual(lines().map((l) => l['msg']), ['from options', 'after set']);
    assert.deepEqual(other.bindings(), { d: 4 });
  });

  it('errors are serialised as pino does', () => {
    const { log, lines } = collecting('info');
    log.child({ x: 1 }).error({ err: new Error('boom') }, 'failed');
    const [line] = lines();
    assert.equal((line?.['err'] as { message?: string }).message, 'boom');
  });
});

describe('the root behind lazy children', () => {
  it('takes a level and an onChild hook set on it; the hook sees children as they are built', () => {
    const { log, lines } = collecting('info');
    const seen: unknown[] = [];
    (log as unknown as { onChild: (c: unknown) => void }).onChild = (c) => seen.push(c);
    const child = log.child({ k: 1 });
    assert.equal(seen.length, 0);
    log.level = 'warn';
    child.info('not written');
    child.warn('written');
    assert.equal(seen.length, 1);
    assert.deepEqual(lines().map((l) => l['msg']), ['written']);
  });
});
