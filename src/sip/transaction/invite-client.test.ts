import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { InviteClientTransaction } from './invite-client.ts';
import { context, isRequest, RecordingClientUser, request, respond, Wire } from './test-support.ts';

function setup(reliable: boolean, T1 = 500, withFailureCallbacks = true) {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const user = new RecordingClientUser(clock, withFailureCallbacks);
  let layerSaw = 0;
  const invite = request({ route: ['<sip:p1.example.net;lr>', '<sip:p2.example.net;lr>'] });
  const tx = new InviteClientTransaction('k', context(clock, wire, reliable, T1, () => layerSaw++), invite, user);
  tx.start();
  const inviteTimes = () => wire.times((m) => isRequest(m) && m.method === 'INVITE');
  return { clock, wire, user, tx, invite, inviteTimes, layerSaw: () => layerSaw };
}

const timeoutCases = [
  { name: 'UDP, T1 500', reliable: false, T1: 500, sends: [0, 500, 1500, 3500, 7500, 15500, 31500], timeoutAt: 32000 },
  { name: 'UDP, T1 100', reliable: false, T1: 100, sends: [0, 100, 300, 700, 1500, 3100, 6300], timeoutAt: 6400 },
  { name: 'TCP, T1 500', reliable: true, T1: 500, sends: [0], timeoutAt: 32000 },
];

for (const c of timeoutCases) {
  test(`INVITE client, ${c.name}: Timer A doubles until Timer B reports a timeout`, () => {
    const { clock, user, tx, inviteTimes, layerSaw } = setup(c.reliable, c.T1);
    assert.equal(tx.state, 'Calling');
    clock.advance(c.timeoutAt - 1);
    assert.equal(tx.state, 'Calling');
    assert.equal(user.timeouts.length, 0);
    clock.advance(1);
    assert.deepEqual(inviteTimes(), c.sends);
    assert.equal(user.timeouts.length, 1);
    assert.equal(user.timeouts[0]?.code, 'SIP_TX_TIMEOUT');
    assert.equal(user.timeouts[0]?.timer, 'B');
    assert.deepEqual(user.statuses, []);
    assert.equal(tx.state, 'Terminated');
    assert.equal(user.terminatedAt, c.timeoutAt);
    assert.equal(layerSaw(), 1);
    assert.equal(clock.pending, 0);
  });
}

test('INVITE client without onTimeout gets a synthetic 408 as its result', () => {
  const { clock, user, tx } = setup(false, 500, false);
  clock.runAll();
  assert.deepEqual(user.statuses, [408]);
  assert.equal(tx.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

test('INVITE client: a provisional stops Timers A and B; the transaction waits in Proceeding', () => {
  const { clock, wire, user, tx, invite, inviteTimes } = setup(false);
  clock.advance(700);
  tx.receiveResponse(respond(invite, 100));
  tx.receiveResponse(respond(invite, 180, 'b1'));
  assert.equal(tx.state, 'Proceeding');
  assert.deepEqual(tx.activeTimers, []);
  clock.advance(120_000);
  assert.deepEqual(inviteTimes(), [0, 500]);
  assert.deepEqual(user.statuses, [100, 180]);
  tx.receiveResponse(respond(invite, 486, 'b1'));
  assert.equal(tx.state, 'Completed');
  assert.equal(wire.requests('ACK').length, 1);
  clock.runAll();
  assert.equal(tx.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

for (const status of [300, 404, 486, 503, 603]) {
  for (const reliable of [false, true]) {
    test(`INVITE client, ${status} over ${reliable ? 'TCP' : 'UDP'}: one ACK, retransmissions re-ACKed, Timer D`, () => {
      const { clock, wire, user, tx, invite } = setup(reliable);
      clock.advance(100);
      const final = respond(invite, status, 'totag9');
      tx.receiveResponse(final);
      assert.deepEqual(user.statuses, [status]);
      const acks = wire.requests('ACK');
      assert.equal(acks.length, 1);
      const ack = acks[0]!;
      assert.equal(ack, tx.ack);
      // Section 17.1.1.3: same Request-URI, Call-ID, From, CSeq number, Route, one Via equal to the
      // INVITE's top Via; To of the response.
      assert.equal(ack.uri, invite.uri);
      assert.equal(ack.callId, invite.callId);
      assert.equal(ack.fromTag, invite.fromTag);
      assert.deepEqual(ack.cseq, { seq: invite.cseq.seq, method: 'ACK' });
      assert.equal(ack.toTag, 'totag9');
      assert.equal(ack.vias.length, 1);
      assert.deepEqual(ack.topVia, invite.topVia);
      assert.deepEqual(ack.headers.getAll('route'), invite.headers.getAll('route'));
      if (reliable) {
        assert.equal(tx.state, 'Terminated');
      } else {
        assert.equal(tx.state, 'Completed');
        clock.advance(1000);
        tx.receiveResponse(final);
        tx.receiveResponse(final);
        assert.equal(wire.requests('ACK').length, 3);
        assert.deepEqual(user.statuses, [status]);
        clock.advance(32_000 - 1001);
        assert.equal(tx.state, 'Completed');
        clock.advance(1);
        assert.equal(tx.state, 'Terminated');
      }
      assert.equal(user.terminatedAt, reliable ? 100 : 32_100);
      assert.equal(wire.requests('INVITE').length, 1);
      assert.equal(clock.pending, 0);
    });
  }
}

test('INVITE client: Timer D is at least 32 s even with a small T1', () => {
  const { clock, tx, invite } = setup(false, 100);
  tx.receiveResponse(respond(invite, 404, 't'));
  clock.advance(31_999);
  assert.equal(tx.state, 'Completed');
  clock.advance(1);
  assert.equal(tx.state, 'Terminated');
});

test('INVITE client, 2xx: Accepted passes further 2xx (retransmissions, forks) up until Timer M', () => {
  const { clock, wire, user, tx, invite } = setup(false);
  tx.receiveResponse(respond(invite, 180, 'a'));
  clock.advance(200);
  tx.receiveResponse(respond(invite, 200, 'a'));
  assert.equal(tx.state, 'Accepted');
  assert.deepEqual(tx.activeTimers, ['M']);
  clock.advance(1000);
  tx.receiveResponse(respond(invite, 200, 'a'));
  tx.receiveResponse(respond(invite, 200, 'fork2'));
  tx.receiveResponse(respond(invite, 183, 'fork3'));
  tx.receiveResponse(respond(invite, 486, 'fork4'));
  assert.deepEqual(user.statuses, [180, 200, 200, 200]);
  assert.equal(wire.requests('ACK').length, 0, 'the ACK for a 2xx belongs to the TU');
  clock.advance(32_000 - 1001);
  assert.equal(tx.state, 'Accepted');
  clock.advance(1);
  assert.equal(tx.state, 'Terminated');
  assert.equal(user.terminatedAt, 32_200);
  tx.receiveResponse(respond(invite, 200, 'a'));
  assert.equal(user.statuses.length, 4);
  assert.equal(clock.pending, 0);
});

test('INVITE client: Timer M derives from T1', () => {
  const { clock, tx, invite } = setup(true, 100);
  tx.receiveResponse(respond(invite, 200, 'a'));
  clock.advance(6399);
  assert.equal(tx.state, 'Accepted');
  clock.advance(1);
  assert.equal(tx.state, 'Terminated');
});

const transportCases = [
  { name: 'send throws on the INVITE', fail: 'throw' as const, at: 'start' },
  { name: 'a retransmission is rejected', fail: 'reject' as const, at: 'retransmit' },
];

for (const c of transportCases) {
  test(`INVITE client: transport error when ${c.name} -> TU informed, Terminated`, async () => {
    const clock = new VirtualClock();
    const wire = new Wire(clock);
    const user = new RecordingClientUser(clock);
    const tx = new InviteClientTransaction('k', context(clock, wire, false), request(), user);
    if (c.at === 'start') wire.fail = c.fail;
    tx.start();
    if (c.at === 'retransmit') {
      wire.fail = c.fail;
      clock.advance(500);
      await Promise.resolve();
    }
    assert.equal(user.transportErrors.length, 1);
    assert.equal(user.transportErrors[0]?.code, 'SIP_TX_TRANSPORT');
    assert.equal(tx.state, 'Terminated');
    assert.equal(clock.pending, 0);
  });
}

test('INVITE client without onTransportError gets a synthetic 503; an ACK failure after the final adds nothing', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const user = new RecordingClientUser(clock, false);
  wire.fail = 'throw';
  const tx = new InviteClientTransaction('k', context(clock, wire, false), request(), user);
  tx.start();
  assert.deepEqual(user.statuses, [503]);

  const user2 = new RecordingClientUser(clock, false);
  wire.fail = false;
  const invite = request();
  const tx2 = new InviteClientTransaction('k2', context(clock, wire, false), invite, user2);
  tx2.start();
  wire.fail = 'throw';
  tx2.receiveResponse(respond(invite, 404, 'x'));
  assert.deepEqual(user2.statuses, [404]);
  assert.equal(tx2.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

test('INVITE client: a throwing TU callback does not break the machine', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const invite = request();
  const tx = new InviteClientTransaction('k', context(clock, wire, true), invite, {
    onResponse: () => {
      throw new Error('listener bug');
    },
  });
  tx.start();
  tx.receiveResponse(respond(invite, 603, 'x'));
  assert.equal(wire.requests('ACK').length, 1);
  assert.equal(tx.state, 'Terminated');
});
