import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, VirtualClock } from '../../lib/index.ts';
import { NonInviteClientTransaction } from './non-invite-client.ts';
import { isRequest, RecordingClientUser, request, respond, Wire } from './test-support.ts';
import { timersFor } from './timers.ts';

function setup(reliable: boolean, T1 = 500, T2 = 4000, withFailureCallbacks = true) {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  const user = new RecordingClientUser(clock, withFailureCallbacks);
  const req = request({ method: 'OPTIONS' });
  const ctx = { clock, timers: timersFor(T1, T2), reliable, send: wire.send, log: silentLogger() };
  const tx = new NonInviteClientTransaction('k', ctx, req, user);
  tx.start();
  const sends = () => wire.times((m) => isRequest(m) && m.method === 'OPTIONS');
  return { clock, wire, user, tx, req, sends };
}

const timeoutCases = [
  {
    name: 'UDP: E doubles up to T2, F at 64*T1',
    reliable: false, T1: 500, T2: 4000,
    sends: [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
    timeoutAt: 32000,
  },
  { name: 'UDP with T2 = 2 s', reliable: false, T1: 500, T2: 2000, sends: [0, 500, 1500, 3500, 5500, 7500], timeoutAt: 32000, upTo: 8000 },
  { name: 'UDP with T1 = 100', reliable: false, T1: 100, T2: 4000, sends: [0, 100, 300, 700, 1500, 3100, 6300], timeoutAt: 6400 },
  { name: 'TCP: no retransmission', reliable: true, T1: 500, T2: 4000, sends: [0], timeoutAt: 32000 },
];

for (const c of timeoutCases) {
  test(`non-INVITE client, ${c.name}`, () => {
    const { clock, user, tx, sends } = setup(c.reliable, c.T1, c.T2);
    assert.equal(tx.state, 'Trying');
    clock.advance(c.timeoutAt - 1);
    assert.equal(user.timeouts.length, 0);
    clock.advance(1);
    const upTo = c.upTo ?? Infinity;
    assert.deepEqual(sends().filter((t) => t < upTo), c.sends);
    assert.equal(user.timeouts[0]?.timer, 'F');
    assert.equal(user.timeouts[0]?.code, 'SIP_TX_TIMEOUT');
    assert.equal(tx.state, 'Terminated');
    assert.equal(user.terminatedAt, c.timeoutAt);
    assert.equal(clock.pending, 0);
  });
}

test('non-INVITE client: after a provisional, the running E completes and later ones are T2 apart', () => {
  const { clock, user, tx, req, sends } = setup(false);
  clock.advance(600);
  tx.receiveResponse(respond(req, 100));
  assert.equal(tx.state, 'Proceeding');
  clock.advance(32_000 - 600);
  assert.deepEqual(sends(), [0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
  assert.deepEqual(user.statuses, [100]);
  assert.equal(user.timeouts[0]?.timer, 'F', 'Timer F also ends Proceeding');
  assert.equal(tx.state, 'Terminated');
});

test('non-INVITE client without onTimeout gets a synthetic 408', () => {
  const { clock, user } = setup(false, 500, 4000, false);
  clock.runAll();
  assert.deepEqual(user.statuses, [408]);
});

for (const reliable of [false, true]) {
  for (const via of ['Trying', 'Proceeding']) {
    test(`non-INVITE client, final in ${via} over ${reliable ? 'TCP' : 'UDP'}: Completed absorbs retransmissions until K`, () => {
      const { clock, user, tx, req, sends } = setup(reliable);
      if (via === 'Proceeding') tx.receiveResponse(respond(req, 180));
      clock.advance(100);
      const ok = respond(req, 200, 'x');
      tx.receiveResponse(ok);
      const K = reliable ? 0 : 5000;
      if (!reliable) {
        assert.equal(tx.state, 'Completed');
        assert.deepEqual(tx.activeTimers, ['K']);
        tx.receiveResponse(ok);
        tx.receiveResponse(respond(req, 180));
        clock.advance(K - 1);
        assert.equal(tx.state, 'Completed');
        clock.advance(1);
      }
      assert.equal(tx.state, 'Terminated');
      assert.equal(user.terminatedAt, 100 + K);
      assert.deepEqual(user.statuses, via === 'Proceeding' ? [180, 200] : [200]);
      assert.deepEqual(sends(), [0]);
      assert.equal(clock.pending, 0);
    });
  }
}

test('non-INVITE client: a transport error moves it to Terminated and is reported once', async () => {
  const { clock, wire, user, tx } = setup(false);
  wire.fail = 'reject';
  clock.advance(500);
  await Promise.resolve();
  assert.equal(user.transportErrors.length, 1);
  assert.equal(user.transportErrors[0]?.code, 'SIP_TX_TRANSPORT');
  assert.equal(tx.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

test('non-INVITE client without onTransportError gets a synthetic 503', () => {
  const clock = new VirtualClock();
  const wire = new Wire(clock);
  wire.fail = 'throw';
  const user = new RecordingClientUser(clock, false);
  const ctx = { clock, timers: timersFor(), reliable: true, send: wire.send, log: silentLogger() };
  const tx = new NonInviteClientTransaction('k', ctx, request({ method: 'BYE' }), user);
  tx.start();
  assert.deepEqual(user.statuses, [503]);
  assert.equal(tx.state, 'Terminated');
  assert.equal(clock.pending, 0);
});

test('non-INVITE client: terminate() is idempotent and cancels every timer', () => {
  const { clock, user, tx } = setup(false);
  tx.terminate();
  tx.terminate();
  assert.equal(clock.pending, 0);
  assert.equal(user.terminatedAt, 0);
  clock.advance(60_000);
  assert.equal(user.timeouts.length, 0);
});
