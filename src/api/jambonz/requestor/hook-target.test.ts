import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestorError, basicAuth, parseRetryFragment, resolveHook, retryDelayMs } from './index.ts';

describe('hook targets', () => {
  it('resolves relative hooks against the base URL and inherits its credentials', () => {
    const t = resolveHook('/gather-done', { baseUrl: 'http://127.0.0.1:3100/app', username: 'u', password: 'p' });
    assert.equal(t.url, 'http://127.0.0.1:3100/gather-done');
    assert.equal(t.method, 'POST');
    assert.equal(t.username, 'u');
    assert.equal(t.written, '/gather-done');
    assert.equal(basicAuth(t), `Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('absolute hooks keep their own credentials only', () => {
    const t = resolveHook({ url: 'https://x.example/hook', method: 'get', username: 'a' }, { username: 'u', password: 'p' });
    assert.equal(t.method, 'GET');
    assert.equal(t.username, 'a');
    assert.equal(t.password, undefined);
    assert.equal(basicAuth(t), undefined);
  });

  it('strips and parses the #rc=&rp= fragment', () => {
    const t = resolveHook('http://h/x#rc=3&rp=4xx,5xx');
    assert.equal(t.url, 'http://h/x');
    assert.equal(t.written, 'http://h/x');
    assert.equal(t.retry.count, 3);
    assert.deepEqual([...t.retry.on].sort(), ['4xx', '5xx']);
  });

  const fragments: [string, number, number, string[]][] = [
    ['', 0, 0, ['ct']],
    ['rc=2', 0, 2, ['ct']],
    ['rc=9', 0, 5, ['ct']],
    ['rc=x&rp=rt', 5, 5, ['rt']],
    ['rp=all', 0, 0, ['4xx', '5xx', 'ct', 'rt']],
    ['rc=1&rp=bogus', 0, 1, ['ct']],
  ];
  for (const [fragment, defaultCount, count, on] of fragments) {
    it(`fragment "${fragment}" -> ${count} retries on ${on.join(',')}`, () => {
      const p = parseRetryFragment(fragment, defaultCount);
      assert.equal(p.count, count);
      assert.deepEqual([...p.on].sort(), [...on].sort());
    });
  }

  it('rejects unusable hooks with JAMBONZ_HOOK_URL', () => {
    for (const bad of ['', '/relative-without-base', 'ftp://h/x', 'http://', { url: 'http://h/x', method: 'PUT' }]) {
      assert.throws(() => resolveHook(bad), (e: unknown) => e instanceof RequestorError && e.code === 'JAMBONZ_HOOK_URL');
    }
  });

  it('ws hooks default to method WS', () => {
    assert.equal(resolveHook('ws://127.0.0.1:1/x').method, 'WS');
  });

  it('backoff: 500 ms doubling to 2 s, then +2 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(retryDelayMs), [500, 1000, 2000, 4000, 6000]);
  });
});
