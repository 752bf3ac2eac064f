import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, FakeDriver, FakeMedia } from './testing/index.ts';
import type { Harness } from './testing/index.ts';

function leg(h: Harness, name: string) {
  return h.sw.createChannel({ direction: 'inbound', endpoint: 'fake', driver: new FakeDriver(), media: new FakeMedia(name), destination: name });
}

test('calls wait in priority order (lower first, then first come); positions are 0-based', async () => {
  const h = createHarness();
  const [a, b, c, agent] = ['a', 'b', 'c', 'agent'].map((n) => leg(h, n));
  const ta = h.sw.queues.enqueue('q', a!, 999)!;
  const tb = h.sw.queues.enqueue('q', b!, 5)!;
  const tc = h.sw.queues.enqueue('q', c!, 5)!;
  assert.deepEqual([ta.position, tb.position, tc.position], [2, 0, 1]);
  assert.deepEqual(h.sw.queues.list()[0]!.members.map((m) => m.uuid), [b!.uuid, c!.uuid, a!.uuid]);
  const queue = h.sw.queues.get('q')!;
  assert.equal(queue.take(agent!)?.channel, b);
  assert.deepEqual(await tb.outcome, { reason: 'bridged', by: agent });
  assert.equal(queue.take(agent!, a!.uuid)?.channel, a, 'a specific call');
  assert.equal(queue.take(agent!, a!.uuid), undefined, 'already taken');
  await c!.hangup();
  assert.equal((await tc.outcome).reason, 'hangup');
  assert.equal(h.sw.queues.size, 0, 'an empty queue is dropped');
  for (const ch of [a, b, agent]) await ch!.hangup();
  await h.finish();
});

test('a dequeuer waits for a call; leave is idempotent; shutdown empties every queue', async () => {
  const h = createHarness();
  const caller = leg(h, 'caller');
  const waiting = h.sw.queues.queue('q').waitForCall(new AbortController().signal);
  const ticket = h.sw.queues.enqueue('q', caller)!;
  assert.equal(await waiting, true);
  assert.equal(ticket.priority, 999);
  ticket.leave('leave');
  ticket.leave('error');
  assert.equal((await ticket.outcome).reason, 'leave');
  assert.equal(ticket.position, -1);
  const gaveUp = new AbortController();
  const never = h.sw.queues.queue('other').waitForCall(gaveUp.signal);
  gaveUp.abort();
  assert.equal(await never, false);
  assert.equal(h.sw.queues.size, 0);
  const other = leg(h, 'other');
  const late = h.sw.queues.enqueue('q', caller)!;
  await h.sw.close();
  assert.equal((await late.outcome).reason, 'shutdown');
  assert.equal(h.sw.queues.enqueue('q', other), undefined, 'closed');
  await h.finish();
});
