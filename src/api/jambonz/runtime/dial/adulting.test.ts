import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { FakeEndpoint, answerAfter } from '../../../../core/testing/index.ts';
import { adultingHook } from './adulting.ts';

test('adultingHook: /adulting on a socket URL (fragment kept), relative for webhooks, none without a call hook', () => {
  assert.equal(adultingHook('ws://app.test/ws'), 'ws://app.test/ws/adulting');
  assert.equal(adultingHook('wss://app.test/ws/#rc=2'), 'wss://app.test/ws/adulting#rc=2');
  assert.deepEqual(adultingHook({ url: 'ws://app.test/', username: 'u', password: 'p' }), { url: 'ws://app.test/adulting', username: 'u', password: 'p' });
  assert.equal(adultingHook('http://app.test/call'), '/adulting');
  assert.equal(adultingHook(undefined), undefined);
});

function setup(callHook: string, child: unknown[] | undefined) {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'dial', actionHook: '/done', target: [{ type: 'sip', sipUri: 'sip:b@x' }] }, { verb: 'pause', length: 60 }];
    if (hook === '/child') return child;
    return [];
  });
  const ep = new FakeEndpoint(s.h.clock, { name: 'sipfake', schemes: ['sip:'], behaviour: answerAfter(0) });
  s.h.sw.addEndpoint(ep);
  const call = s.call(application({ call_hook: callHook }));
  return { s, ep, ...call };
}

test('child_call_hook: session:redirect for the B leg\'s verbs on the A leg\'s connection, then session:adulting on the B leg\'s own', async () => {
  const { s, ep, channel } = setup('http://app.test/call', [{ verb: 'pause', length: 1 }, { verb: 'hangup' }]);
  await s.h.tick(10);
  const b = ep.legs[0]!.channel;
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ child_call_hook: '/child' })).status, 202);
  await s.h.flush();
  const parent = s.requestors[0]!;
  const redirect = parent.requests.find((r) => r.hook === '/child')!;
  assert.equal(redirect.type, 'session:redirect');
  assert.equal(redirect.payload['call_sid'], b.uuid);
  assert.equal(redirect.payload['parent_call_sid'], channel.uuid);
  const own = s.requestors.find((r) => r !== parent && r.requests.some((x) => x.type === 'session:adulting'));
  assert.ok(own, 'the B leg has a connection of its own');
  const adult = own.requests.find((x) => x.type === 'session:adulting')!;
  assert.equal(adult.hook, '/adulting');
  assert.equal(adult.payload['call_sid'], b.uuid);
  assert.equal((adult.payload['parent_call_info'] as Record<string, unknown>)['call_sid'], channel.uuid);
  assert.equal(s.manager.session(b.uuid)?.currentVerb, 'pause', 'the B leg runs the hook\'s verbs');
  assert.equal(parent.requests.find((r) => r.hook === '/done')?.payload['dial_call_status'], 'completed');
  await s.h.tick(1000);
  assert.equal(b.ended, true, 'hung up by its own hangup verb');
  assert.equal(channel.ended, false);
  await channel.hangup();
  await s.done();
});

test('a WebSocket app: child_call verbs inline, session:adulting on a new socket to <call hook>/adulting', async () => {
  const { s, ep, channel } = setup('ws://app.test/ws', undefined);
  await s.h.tick(10);
  const b = ep.legs[0]!.channel;
  s.app().command('redirect', { child_call: [{ verb: 'pause', length: 5 }] });
  await s.h.flush();
  const own = s.requestors.find((r) => r.requests.some((x) => x.type === 'session:adulting'));
  assert.ok(own);
  assert.equal(own.requests[0]!.hook, 'ws://app.test/ws/adulting');
  assert.equal(own.transport, 'ws');
  assert.equal(s.manager.session(b.uuid)?.currentVerb, 'pause');
  await channel.hangup();
  await b.hangup();
  await s.done();
});

test('a child hook that replies no verbs hangs the B leg up and reports jambonz:error to the A leg\'s app', async () => {
  const { s, ep, channel } = setup('ws://app.test/ws', []);
  await s.h.tick(10);
  const b = ep.legs[0]!.channel;
  s.app().command('redirect', { child_call_hook: '/child' });
  await s.h.flush();
  assert.equal(b.ended, true);
  assert.ok(s.app().sent('jambonz:error').some((e) => String(e['details']).includes('no verbs')));
  assert.equal(channel.ended, false, 'the caller goes on');
  await channel.hangup();
  await s.done();
});
