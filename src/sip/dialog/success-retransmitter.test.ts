import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { SipResponse } from '../message/index.ts';
import { timersFor, type ServerTransaction } from '../transaction/index.ts';
import { SuccessRetransmitter } from './success-retransmitter.ts';

function fakeTx(clock: VirtualClock, sent: number[]): ServerTransaction {
  return {
    respond: () => {
      sent.push(clock.now());
      return true;
    },
  } as unknown as ServerTransaction;
}

test('2xx retransmission (RFC 3261 13.3.1.4): T1 doubling to T2, give-up at 64*T1, one clock timer at a time', () => {
  const clock = new VirtualClock();
  const sent: number[] = [];
  let gaveUpAt: number | undefined;
  const r = new SuccessRetransmitter(clock, timersFor(), fakeTx(clock, sent), new SipResponse(200, 'OK'), () => {
    gaveUpAt = clock.now();
  });
  assert.equal(r.start(), true);
  for (let t = 0; t < 32_000; t += 250) {
    assert.equal(clock.pending, 1, `one timer armed at ${t} ms`);
    clock.advance(250);
  }
  assert.deepEqual(sent, [0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
  assert.equal(gaveUpAt, 32_000);
  assert.equal(r.active, false);
  assert.equal(clock.pending, 0);
});

test('2xx retransmission: the ACK stops it and leaves no timer', () => {
  const clock = new VirtualClock();
  const sent: number[] = [];
  const r = new SuccessRetransmitter(clock, timersFor(), fakeTx(clock, sent), new SipResponse(200, 'OK'), () => assert.fail('gave up'));
  r.start();
  clock.advance(600);
  r.stop();
  r.stop();
  assert.equal(clock.pending, 0);
  clock.runAll();
  assert.deepEqual(sent, [0, 500]);
});
