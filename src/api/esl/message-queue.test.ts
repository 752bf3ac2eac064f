import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageQueues } from './message-queue.ts';

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

test('one message at a time per key; priority ones go before the ordinary ones waiting, FIFO among themselves', async () => {
  const q = new MessageQueues();
  const order: string[] = [];
  const first = gate();
  const running = q.enqueue('a', false, async () => { order.push('running'); await first.promise; return 'running'; });
  await new Promise((r) => setImmediate(r));
  const runs = [
    running,
    q.enqueue('a', false, async () => { order.push('n1'); return 'n1'; }),
    q.enqueue('a', false, async () => { order.push('n2'); return 'n2'; }),
    q.enqueue('a', true, async () => { order.push('p1'); return 'p1'; }),
    q.enqueue('a', true, async () => { order.push('p2'); return 'p2'; }),
    q.enqueue('b', false, async () => { order.push('other key'); return 'b'; }),
  ];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['running', 'other key']);
  assert.equal(q.waiting('a'), 4);
  first.open();
  assert.deepEqual(await Promise.all(runs), ['running', 'n1', 'n2', 'p1', 'p2', 'b']);
  assert.deepEqual(order, ['running', 'other key', 'p1', 'p2', 'n1', 'n2']);
  assert.equal(q.waiting('a'), 0);
});

test('release lets the next message start while the first still runs; a rejection settles its own promise only', async () => {
  const q = new MessageQueues();
  const hold = gate();
  const order: string[] = [];
  const parked = q.enqueue('a', false, async (release) => { order.push('park'); release(); await hold.promise; order.push('unpark'); });
  const failing = q.enqueue('a', false, async () => { order.push('fail'); throw new Error('boom'); });
  const after = q.enqueue('a', false, async () => { order.push('after'); });
  await assert.rejects(failing, /boom/);
  await after;
  assert.deepEqual(order, ['park', 'fail', 'after']);
  hold.open();
  await parked;
  assert.deepEqual(order, ['park', 'fail', 'after', 'unpark']);
});
