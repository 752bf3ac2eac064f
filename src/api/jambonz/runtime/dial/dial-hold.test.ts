import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDriver, FakeMedia, createHarness } from '../../../../core/testing/index.ts';
import { holdDetail, holdVerbs } from './dial-hold.ts';

test('onHoldHook replies: say / play / pause only, anything else refuses the whole reply', () => {
  assert.deepEqual(holdVerbs([{ verb: 'play', url: 'x' }, { verb: 'pause', length: 1 }]), [{ verb: 'play', url: 'x' }, { verb: 'pause', length: 1 }]);
  assert.equal(holdVerbs([{ verb: 'say', text: 'x' }, { verb: 'hangup' }]), undefined);
  assert.equal(holdVerbs([]), undefined);
});

test('hold_detail: From and To as the holding party sends them', async () => {
  const h = createHarness();
  const a = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia('a'),
    caller: { number: '1000', uri: 'sip:1000@pbx' }, callee: { number: '2000' } });
  const b = h.sw.createChannel({ direction: 'outbound', endpoint: 'sip', driver: new FakeDriver(), media: new FakeMedia('b'),
    caller: { number: '1000' }, callee: { number: '3000', uri: 'sip:3000@carrier' } });
  assert.deepEqual(holdDetail(a), { from: 'sip:1000@pbx', to: '2000' });
  assert.deepEqual(holdDetail(b), { from: 'sip:3000@carrier', to: '1000' });
  await a.hangup();
  await b.hangup();
  await h.finish();
});
