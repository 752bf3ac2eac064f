import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../lib/index.ts';
import type { SipTransactionTimeoutError, SipTransactionTransportError } from './errors.ts';
import { InviteServerTransaction } from './invite-server.ts';
import { request, respond, Wire } from './test-support.ts';
import { timersFor } from './timers.ts';

function setup(reliable: boolean, opts: { T1?: number; trying?: number } = {}) {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const timers = { ...timersFor(opts.T1 ?? 500), trying: opts.trying ?? 200 };
  const invite = request();
  let layerSaw = 0;
  const tx = new InviteServerTransaction('k', { clock, timers, reliable, send: wire.send, log: silentLogger(), onTerminated: () => layerSaw++ }, invite);
  const events = { timeouts: [] as SipTransactionTimeoutError[], transportErrors: [] as SipTransactionTransportError[], terminatedAt: undefined as number | undefined };
  tx.on('timeout', (e) => events.timeouts.push(e));
  tx.on('transportError', (e) => events.transportErrors.push(e));
  tx.on('terminated', () => {
    events.terminatedAt = clock.now();
  });
  tx.start();
  const statusTimes = (status: number) => wire.times((m) => 'status' in m && m.status === status);
  return { clock, wire, tx, invite, events, statusTimes, layerSaw: () => layerSaw };
}

test('INVITE server: 100 Trying goes out after 200 ms when the TU has not answered', () => {
  const { clock, tx, invite, statusTimes } = setup(false);
  clock.advance(199);
  assert.deepEqual(statusTimes(100), []);
  clock.advance(1);
  assert.deepEqual(statusTimes(100), [200]);
  assert.equal(tx.lastResponse?.toTag, undefined, '100 Trying carries no To tag');
  tx.respond(respond(invite, 480, 'x'));
  tx.terminate();
});

test('INVITE server: no 100 Trying when the TU answers within 200 ms; trying = 0 sends it at once', () => {
  const a = setup(false);
  a.clock.advance(50);
  assert.equal(a.tx.respond(respond(a.invite, 180, 'x')), true);
  a.clock.advance(1000);
  assert.deepEqual(a.statusTimes(100), []);
  a.tx.terminate();

  const b = setup(false, { trying: 0 });
  assert.deepEqual(b.statusTimes(100), [0]);
  b.tx.terminate();
  assert.equal(b.clock.pending, 0);
});

test('INVITE server: a retransmitted INVITE is answered with the last provisional (or an early 100)', () => {
  const { clock, tx, invite, statusTimes, wire } = setup(false);
  clock.advance(100);
  tx.receiveRequest(invite);
  assert.deepEqual(statusTimes(100), [100], 'nothing sent yet: 100 at once');
  clock.advance(400);
  assert.deepEqual(statusTimes(100), [100], 'the delayed 100 is not sent twice');
  tx.respond(respond(invite, 180, 't'));
  tx.respond(respond(invite, 183, 't'));
  clock.advance(500);
  tx.receiveRequest(invite);
  assert.deepEqual(statusTimes(183), [500, 1000]);
  assert.equal(wire.responses(180).length, 1);
  assert.equal(tx.state, 'Proceeding');
  tx.terminate();
});

test('INVITE server, UDP non-2xx final: Timer G doubles to T2 until Timer H reports a timeout', () => {
  const { clock, tx, invite, events, statusTimes, layerSaw } = setup(false);
  clock.advance(100);
  tx.respond(respond(invite, 486, 't'));
  assert.equal(tx.state, 'Completed');
  clock.advance(32_000 - 1);
  assert.equal(tx.state, 'Completed');
  clock.advance(1);
  assert.deepEqual(statusTimes(486), [100, 600, 1600, 3600, 7600, 11600, 15600, 19600, 23600, 27600, 31600]);
  assert.equal(events.timeouts.length, 1);
  assert.equal(events.timeouts[0]?.timer, 'H');
  assert.equal(events.timeouts[0]?.code, 'SIP_TX_TIMEOUT');
  assert.equal(tx.state, 'Terminated');
  assert.equal(events.terminatedAt, 32_100);
  assert.equal(layerSaw(), 1);
  assert.equal(clock.pending, 0);
});

test('INVITE server, TCP non-2xx final: no Timer G, Timer H still applies', () => {
  const { clock, tx, invite, events, statusTimes } = setup(true);
  tx.respond(respond(invite, 603, 't'));
  assert.deepEqual(tx.activeTimers, ['H']);
  clock.runAll();
  assert.deepEqual(statusTimes(603), [0]);
  assert.equal(events.timeouts.length, 1);
  assert.equal(events.terminatedAt, 32_000);
});

for (const reliable of [false, true]) {
  test(`INVITE server over ${reliable ? 'TCP' : 'UDP'}: ACK moves Completed to Confirmed, Timer I absorbs ACKs`, () => {
    const { clock, tx, invite, events, statusTimes, wire } = setup(reliable);
    const final = respond(invite, 404, 't');
    tx.respond(final);
    clock.advance(700);
    tx.receiveRequest(invite);
    assert.deepEqual(statusTimes(404), reliable ? [0, 700] : [0, 500, 700]);
    const ack = request({ method: 'ACK', toTag: 't' });
    assert.equal(tx.receiveRequest(ack), false, 'absorbed, not for the TU');
    if (reliable) {
      assert.equal(tx.state, 'Terminated');
    } else {
      assert.equal(tx.state, 'Confirmed');
      assert.deepEqual(tx.activeTimers, ['I']);
      const sent = wire.sent.length;
      clock.advance(2000);
      tx.receiveRequest(ack);
      tx.receiveRequest(invite);
      assert.equal(wire.sent.length, sent, 'Confirmed sends nothing');
      clock.advance(3000 - 1);
      assert.equal(tx.state, 'Confirmed');
      clock.advance(1);
      assert.equal(tx.state, 'Terminated');
    }
    assert.equal(events.terminatedAt, reliable ? 700 : 5700);
    assert.equal(events.timeouts.length, 0);
    assert.equal(clock.pending, 0);
  });
}

test('INVITE server, 2xx: Accepted absorbs INVITEs, sends TU 2xx retransmissions, hands ACKs up, ends on Timer L', () => {
  const { clock, tx, invite, wire, events } = setup(false);
  tx.respond(respond(invite, 180, 't'));
  clock.advance(1000);
  const ok = respond(invite, 200, 't');
  assert.equal(tx.respond(ok), true);
  assert.equal(tx.state, 'Accepted');
  assert.equal(tx.answered, true);
  assert.deepEqual(tx.activeTimers, ['L']);
  const sent = wire.sent.length;
  tx.receiveRequest(invite);
  assert.equal(wire.sent.length, sent, 'INVITE retransmission absorbed');
  clock.advance(500);
  assert.equal(tx.respond(ok), true, 'the TU retransmits its 2xx');
  assert.equal(tx.respond(respond(invite, 500, 't')), false);
  assert.equal(tx.respond(respond(invite, 180, 't')), false);
  assert.equal(wire.responses(200).length, 2);
  assert.equal(tx.receiveRequest(request({ method: 'ACK', toTag: 't' })), true);
  clock.advance(32_000 - 501);
  assert.equal(tx.state, 'Accepted');
  clock.advance(1);
  assert.equal(tx.state, 'Terminated');
  assert.equal(events.terminatedAt, 33_000);
  assert.equal(clock.pending, 0);
});

test('INVITE server: Timers G, H, L derive from T1', () => {
  const a = setup(false, { T1: 100 });
  a.tx.respond(respond(a.invite, 500, 't'));
  a.clock.runAll();
  assert.deepEqual(a.statusTimes(500).slice(0, 6), [0, 100, 300, 700, 1500, 3100]);
  assert.equal(a.events.terminatedAt, 6400);
  const b = setup(true, { T1: 100 });
  b.tx.respond(respond(b.invite, 200, 't'));
  b.clock.runAll();
  assert.equal(b.events.terminatedAt, 6400);
});

test('INVITE server: only one final response; later ones are refused', () => {
  const { tx, invite, wire } = setup(false);
  assert.equal(tx.respond(respond(invite, 486, 't')), true);
  assert.equal(tx.respond(respond(invite, 200, 't')), false);
  assert.equal(tx.respond(respond(invite, 180, 't')), false);
  assert.equal(wire.responses().length, 1);
  tx.terminate();
});

test('INVITE server transport errors: Proceeding and Accepted keep their state, Completed terminates', async () => {
  const p = setup(false);
  p.wire.fail = 'throw';
  p.tx.respond(respond(p.invite, 180, 't'));
  assert.equal(p.events.transportErrors.length, 1);
  assert.equal(p.events.transportErrors[0]?.code, 'SIP_TX_TRANSPORT');
  assert.equal(p.tx.state, 'Proceeding');
  p.wire.fail = false;
  p.tx.respond(respond(p.invite, 200, 't'));
  p.wire.fail = 'reject';
  p.tx.respond(respond(p.invite, 200, 't'));
  await Promise.resolve();
  assert.equal(p.events.transportErrors.length, 2);
  assert.equal(p.tx.state, 'Accepted');
  p.tx.terminate();

  const c = setup(false);
  c.tx.respond(respond(c.invite, 486, 't'));
  c.wire.fail = 'reject';
  c.clock.advance(500);
  await Promise.resolve();
  assert.equal(c.events.transportErrors.length, 1);
  assert.equal(c.tx.state, 'Terminated');
  assert.equal(c.clock.pending, 0);
});

test('INVITE server: a throwing listener does not break the machine', () => {
  const { tx, invite, clock } = setup(true);
  tx.on('terminated', () => {
    throw new Error('listener bug');
  });
  tx.respond(respond(invite, 486, 't'));
  tx.receiveRequest(request({ method: 'ACK', toTag: 't' }));
  assert.equal(tx.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

test('INVITE server: once answered it lets go of the INVITE; a non-2xx is kept only in wire form until the ACK', () => {
  const ok = setup(false);
  ok.tx.respond(respond(ok.invite, 180, 't'));
  assert.equal(ok.tx.request, ok.invite, 'the INVITE is kept while the transaction may still answer it');
  assert.equal(ok.tx.lastResponse?.status, 180);
  ok.tx.respond(respond(ok.invite, 200, 't'));
  assert.equal(ok.tx.state, 'Accepted');
  assert.equal(ok.tx.request, undefined, 'Accepted keeps no request');
  assert.equal(ok.tx.lastResponse, undefined, 'nor a response object');
  assert.equal(ok.tx.holdsFinal, false, 'nor the 2xx: the TU retransmits it');
  assert.equal(ok.tx.finalStatus, 200);
  ok.tx.terminate();

  const busy = setup(false);
  busy.tx.respond(respond(busy.invite, 486, 't'));
  assert.equal(busy.tx.request, undefined);
  assert.equal(busy.tx.lastResponse, undefined);
  assert.equal(busy.tx.holdsFinal, true);
  busy.tx.receiveRequest(busy.invite);
  busy.clock.advance(500);
  const sends = busy.wire.sent.map((s) => [s.wire, 'status' in s.msg ? s.msg.status : 0]);
  assert.deepEqual(sends, [[true, 486], [true, 486], [true, 486]], 'the final, its retransmissions and Timer G copies all go out in wire form');
  busy.tx.receiveRequest(request({ method: 'ACK', toTag: 't' }));
  assert.equal(busy.tx.state, 'Confirmed');
  assert.equal(busy.tx.holdsFinal, false, 'Confirmed keeps nothing to retransmit');
  busy.tx.terminate();
});
