import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { FakeDriver, FakeMedia } from '../../../../core/testing/index.ts';
import { roomFriendlyName, roomKey } from './room-names.ts';

test('room keys are per account and give back the application\'s name', () => {
  assert.equal(roomKey('acc-1', 'sales'), 'acc-1:sales');
  assert.notEqual(roomKey('acc-1', 'sales'), roomKey('acc-2', 'sales'));
  assert.equal(roomFriendlyName('acc-1', roomKey('acc-1', 'a:b')), 'a:b');
  assert.equal(roomFriendlyName('acc-1', 'conf-demo'), 'conf-demo', 'a room of no account keeps its name');
  assert.equal(roomFriendlyName('acc-1', roomKey('acc-2', 'sales')), 'acc-2:sales');
});

test('two accounts\' conferences of one name are two rooms; one account\'s calls share theirs; hooks show the name', async () => {
  const s = scenario((_type, hook) => (hook.endsWith('/call')
    ? [{ verb: 'conference', name: 'sales', statusHook: '/conf-status', statusEvents: ['join'] }]
    : []));
  const other = { ...ACCOUNT, account_sid: 'acc-2', name: 'other' };
  const one = s.call(application());
  const two = s.call(application());
  const channel = s.h.sw.createChannel({
    direction: 'inbound', endpoint: 'fake', driver: new FakeDriver(), media: new FakeMedia('other'),
    caller: { number: '+15550001111', name: 'Bob' }, callee: { number: '16174000000' }, destination: '16174000000',
  });
  s.manager.startInbound(channel, application({ account_sid: 'acc-2' }), other);
  await s.h.flush();
  assert.equal(s.h.sw.conference(roomKey(ACCOUNT.account_sid, 'sales'))?.size, 2);
  assert.equal(s.h.sw.conference(roomKey('acc-2', 'sales'))?.size, 1);
  assert.equal(s.h.sw.conference('sales'), undefined);
  const joins = s.requestors.flatMap((r) => r.requests).filter((r) => r.hook?.endsWith('/conf-status')).map((r) => r.payload['friendly_name']);
  assert.ok(joins.length >= 3 && joins.every((n) => n === 'sales'), JSON.stringify(joins));
  await Promise.all([one.channel.hangup(), two.channel.hangup(), channel.hangup()]);
  await s.done();
});
