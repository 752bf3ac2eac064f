import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { FakeEndpoint, answerAfter, ringForever, type Behaviour } from '../../../../core/testing/index.ts';

/** Targets `sip:<behaviour>@x`: answer now, answer after 2 s, ring forever. */
const byUser: Behaviour = (req, ep) => {
  const user = /^sip:([^@]+)@/.exec(req.target)?.[1];
  if (user === 'now') return answerAfter(0)(req, ep);
  if (user === 'later') return answerAfter(2000)(req, ep);
  return ringForever()(req, ep);
};

function dialApp(dial: Record<string, unknown>) {
  return (type: string, hook: string) => {
    if (type === 'session:new') return [{ verb: 'dial', actionHook: '/done', ...dial }, { verb: 'pause', length: 60 }];
    if (hook === '/done') return [];
    return undefined;
  };
}

function setup(dial: Record<string, unknown>) {
  const s = scenario(dialApp(dial));
  const ep = new FakeEndpoint(s.h.clock, { name: 'sipfake', schemes: ['sip:'], behaviour: byUser });
  s.h.sw.addEndpoint(ep);
  return { s, ep };
}

const done = (s: ReturnType<typeof scenario>) => s.app().requests.filter((r) => r.hook === '/done').map((r) => r.payload);

test('two targets answering at the same moment: one is bridged, the other hung up (LOSE_RACE)', async () => {
  const { s, ep } = setup({ target: [{ type: 'sip', sipUri: 'sip:now@a' }, { type: 'sip', sipUri: 'sip:now@b' }] });
  const { channel } = s.call();
  await s.h.tick(10);
  assert.equal(ep.legs.length, 2);
  assert.equal(s.h.sw.bridges().length, 1);
  const loser = ep.legs.find((l) => l.channel.uuid !== s.h.sw.bridgeOf(channel.uuid)!.other(channel.uuid)!.uuid)!;
  assert.equal(loser.channel.hangupCause, 'LOSE_RACE');
  assert.equal(s.manager.dials.size, 1);
  await channel.hangup();
  await s.h.flush();
  assert.equal(s.manager.dials.size, 0);
  await s.done();
});

test('timeLimit on the clock ends the bridge: the B leg is hung up, actionHook completed, the caller goes on', async () => {
  const { s, ep } = setup({ target: [{ type: 'sip', sipUri: 'sip:later@a' }], timeLimit: 5, callerId: '+100', callerName: 'Desk' });
  const { channel } = s.call();
  await s.h.tick(2000);
  assert.equal(s.h.sw.bridges().length, 1);
  assert.deepEqual(ep.requests[0]!.callerId, { number: '+100', name: 'Desk' });
  await s.h.tick(4900);
  assert.equal(done(s).length, 0);
  await s.h.tick(200);
  assert.equal(ep.legs[0]!.channel.ended, true);
  assert.equal(done(s)[0]!['dial_call_status'], 'completed');
  assert.equal(done(s)[0]!['dial_call_sid'], ep.legs[0]!.channel.uuid);
  assert.equal(channel.ended, false, 'the caller goes on');
  assert.equal(s.manager.session(channel.uuid)?.currentVerb, 'pause');
  await s.done();
});

test('a new application while ringing cancels every target; no actionHook', async () => {
  const { s, ep } = setup({ target: [{ type: 'sip', sipUri: 'sip:ring@a' }, { type: 'sip', sipUri: 'sip:ring@b' }], timeout: 30 });
  const { channel } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.tick(1000);
  assert.equal(ep.legs.length, 2);
  s.app().command('redirect', [{ verb: 'pause', length: 10 }]);
  await s.h.tick(10);
  assert.ok(ep.legs.every((l) => l.channel.ended), 'both targets cancelled');
  assert.equal(done(s).length, 0);
  assert.equal(s.manager.session(channel.uuid)?.currentVerb, 'pause');
  await s.done();
});
