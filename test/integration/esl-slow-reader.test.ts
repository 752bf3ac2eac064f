/**
 * A client that never reads (specs/esl.md §1.7, §10 resource limits): the server keeps at most
 * MAX_UNSENT_BYTES unsent on its socket, queues further events up to the listener's limit, then kills
 * the listener; other clients keep being served. Real TCP on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient } from '../support/esl-client.ts';
import { until } from '../support/wait.ts';

let h: Harness;
let esl: EslMount;
let slow: Socket;
let fast: EslTestClient;

beforeEach(async () => {
  h = createHarness();
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0, maxQueuedEvents: 20 });
  fast = await EslTestClient.authed(esl.address.port);
});

afterEach(async () => {
  slow.destroy();
  fast.close();
  await esl.close();
  await h.finish();
});

describe('esl: a client that never reads', () => {
  it('is killed once its queue is full; the server keeps serving the others', async () => {
    slow = connect({ port: esl.address.port, host: '127.0.0.1' });
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.pause();
    slow.write('auth ClueCon\n\nevent plain CUSTOM test::flood\n\n');
    await until('both connections open', () => esl.connectionCount() === 2, 2000);
    const body = 'x'.repeat(128 * 1024);
    // Far more than the socket buffers, the 4 MiB unsent cap and 20 queued events can hold.
    for (let i = 0; i < 400 && esl.connectionCount() === 2; i++) {
      await fast.command('sendevent CUSTOM', { 'Event-Subclass': 'test::flood', 'Content-Length': String(body.length) + `\n\n${body}` });
    }
    await until('the slow listener is dropped', () => esl.connectionCount() === 1, 5000);
    assert.match(await fast.api('uptime'), /^\d+\n$/);
  });
});
