import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RemoteTransfer } from './index.ts';
import { FakeDriver, FakeMedia, createHarness } from './testing/index.ts';

function transfer(log: string[]): RemoteTransfer {
  return {
    referTo: '<sip:bob@example.com>', referToUser: 'bob', headers: { 'X-Tag': '1' },
    take: () => { log.push('take'); return true; },
    accept: () => { log.push('accept'); return true; },
    reject: (status) => { log.push(`reject:${status}`); },
    notify: (status) => { log.push(`notify:${status}`); return Promise.resolve(); },
  };
}

test('remoteRefer: untaken without listeners; the first listener to take it wins; none after hangup', async () => {
  const h = createHarness();
  const ch = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia('in') });
  const log: string[] = [];
  assert.equal(ch.remoteRefer(transfer(log)), false, 'nobody listens');
  const seen: string[] = [];
  ch.on('refer', (t) => { seen.push(`first:${String(t.take())}`); });
  ch.on('refer', (t) => {
    seen.push(`second:${String(t.take())}`);
    assert.equal(t.referToUser, 'bob');
    assert.deepEqual(t.headers, { 'X-Tag': '1' });
  });
  assert.equal(ch.remoteRefer(transfer(log)), true);
  assert.deepEqual(seen, ['first:true', 'second:false']);
  assert.deepEqual(log, ['take'], 'the endpoint is asked to keep it once');
  await ch.hangup();
  assert.equal(ch.remoteRefer(transfer(log)), false, 'a hung up leg takes nothing');
  await h.finish();
});
