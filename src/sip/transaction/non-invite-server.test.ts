import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../lib/index.ts';
import type { SipTransactionTransportError } from './errors.ts';
import { NonInviteServerTransaction } from './non-invite-server.ts';
import { request, respond, Wire } from './test-support.ts';
import { timersFor } from './timers.ts';

function setup(reliable: boolean, T1 = 500) {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const req = request({ method: 'REGISTER' });
  const tx = new NonInviteServerTransaction('k', { clock, timers: timersFor(T1), reliable, send: wire.send, log: silentLogger() }, req);
  const transportErrors: SipTransactionTransportError[] = [];
  let terminatedAt: number | undefined;
  tx.on('transportError', (e) => transportErrors.push(e));
  tx.on('terminated', () => {
    terminatedAt = clock.now();
  });
  tx.start();
  return { clock, wire, tx, req, transportErrors, terminatedAt: () => terminatedAt };
}

test('non-INVITE server: Trying discards retransmissions, Proceeding answers them with the last provisional', () => {
  const { tx, req, wire } = setup(false);
  assert.equal(tx.state, 'Trying');
  tx.receiveRequest(req);
  assert.equal(wire.sent.length, 0);
  tx.respond(respond(req, 100));
  assert.equal(tx.state, 'Proceeding');
  tx.receiveRequest(req);
  assert.deepEqual(wire.responses().map((r) => r.status), [100, 100]);
  tx.terminate();
});

const finalCases = [
  { name: 'UDP', reliable: false, T1: 500, J: 32_000 },
  { name: 'UDP with T1 = 100', reliable: false, T1: 100, J: 6400 },
  { name: 'TCP', reliable: true, T1: 500, J: 0 },
];

for (const c of finalCases) {
  for (const from of ['Trying', 'Proceeding']) {
    test(`non-INVITE server, ${c.name}, final from ${from}: retransmissions answered until Timer J`, () => {
      const { clock, tx, req, wire, terminatedAt } = setup(c.reliable, c.T1);
      if (from === 'Proceeding') tx.respond(respond(req, 100));
      clock.advance(10);
      assert.equal(tx.respond(respond(req, 200, 't')), true);
      assert.equal(tx.answered, true);
      if (c.J > 0) {
        assert.equal(tx.state, 'Completed');
        tx.receiveRequest(req);
        assert.equal(tx.respond(respond(req, 500, 't')), false, 'a second final is refused');
        assert.deepEqual(wire.responses(200).length, 2);
        assert.equal(wire.responses(500).length, 0);
        clock.advance(c.J - 1);
        assert.equal(tx.state, 'Completed');
        clock.advance(1);
      }
      assert.equal(tx.state, 'Terminated');
      assert.equal(terminatedAt(), 10 + c.J);
      assert.equal(clock.pending, 0);
    });
  }
}

test('non-INVITE server: a transport error is reported and terminates', async () => {
  const a = setup(false);
  a.wire.fail = 'throw';
  a.tx.respond(respond(a.req, 200));
  assert.equal(a.transportErrors.length, 1);
  assert.equal(a.tx.state, 'Terminated');
  assert.equal(a.clock.pending, 0);

  const b = setup(false);
  b.wire.fail = 'reject';
  b.tx.respond(respond(b.req, 100));
  await Promise.resolve();
  assert.equal(b.transportErrors[0]?.code, 'SIP_TX_TRANSPORT');
  assert.equal(b.tx.state, 'Terminated');
});

test('non-INVITE server: timers are never armed before the TU answers', () => {
  const { clock, tx } = setup(false);
  assert.equal(clock.pending, 0);
  tx.terminate();
  tx.terminate();
  assert.equal(tx.state, 'Terminated');
});

test('non-INVITE server: Completed keeps the final response only in wire form, never the request', () => {
  const udp = setup(false);
  assert.equal(udp.tx.request, udp.req);
  udp.tx.respond(respond(udp.req, 200, 't'));
  assert.equal(udp.tx.request, undefined);
  assert.equal(udp.tx.lastResponse, undefined);
  assert.equal(udp.tx.holdsFinal, true);
  udp.tx.receiveRequest(udp.req);
  assert.deepEqual(udp.wire.sent.map((s) => s.wire), [true, true]);
  udp.clock.runAll();
  assert.equal(udp.tx.holdsFinal, false, 'released at Terminated');

  const tcp = setup(true);
  tcp.tx.respond(respond(tcp.req, 200, 't'));
  assert.equal(tcp.tx.state, 'Terminated');
  assert.equal(tcp.tx.holdsFinal, false, 'Timer J is 0 over TCP: nothing is kept');
});
