import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import type { RemoteTransfer } from '../../../../core/index.ts';
import { FakeEndpoint, answerAfter, type Behaviour } from '../../../../core/testing/index.ts';

/** Targets `sip:<behaviour>@x`: `early` (183 with media, answers after 2 s), anything else answers at once. */
const byUser: Behaviour = (req, ep) => {
  const user = /^sip:([^@]+)@/.exec(req.target)?.[1];
  return user === 'early' ? answerAfter(2000, { earlyMedia: true })(req, ep) : answerAfter(0)(req, ep);
};

function setup(first: unknown[], hooks: Record<string, unknown> = {}) {
  const s = scenario((type, hook) => (type === 'session:new' ? [...first, { verb: 'pause', length: 60 }] : hooks[hook] ?? []));
  const ep = new FakeEndpoint(s.h.clock, { name: 'sipfake', schemes: ['sip:'], behaviour: byUser });
  s.h.sw.addEndpoint(ep);
  return { s, ep };
}

function transfer(log: string[]): RemoteTransfer {
  return {
    referTo: '<sip:carol@x>', referToUser: 'carol', headers: {},
    take: () => true,
    accept: () => { log.push('202'); return true; },
    reject: (status) => { log.push(`reject ${status}`); },
    notify: (status) => { log.push(`notify ${status}`); return Promise.resolve(); },
  };
}

test('early media of a single target: answerOnBridge preAnswers the caller (183) and bridges before the answer', async () => {
  const { s } = setup([{ verb: 'dial', answerOnBridge: true, target: [{ type: 'sip', sipUri: 'sip:early@a' }] }]);
  const { channel, driver } = s.call();
  await s.h.tick(100);
  assert.ok(driver.calls.includes('progress:true'), `183 with media to the caller (${driver.calls.join()})`);
  assert.equal(channel.answered, false);
  assert.equal(s.h.sw.bridges().length, 1, 'bridged while the callee rings');
  await s.h.tick(2000);
  assert.equal(channel.answered, true);
  assert.equal(s.h.sw.bridges().length, 1);
  await channel.hangup();
  await s.done();
});

test('early media is not bridged with two targets or with dialMusic', async () => {
  for (const dial of [
    { target: [{ type: 'sip', sipUri: 'sip:early@a' }, { type: 'sip', sipUri: 'sip:early@b' }] },
    { target: [{ type: 'sip', sipUri: 'sip:early@a' }], dialMusic: 'tone_stream://%(100,0,400)' },
  ]) {
    const { s } = setup([{ verb: 'dial', ...dial }]);
    const { channel } = s.call();
    await s.h.tick(100);
    assert.equal(channel.answered, true, 'answered at once without answerOnBridge');
    assert.equal(s.h.sw.bridges().length, 0);
    await channel.hangup();
    await s.done();
  }
});

test('far-end hold of the callee: the caller hears config.onHoldMusic until unhold', async () => {
  const { s, ep } = setup([{ verb: 'config', onHoldMusic: 'https://music.test/hold.wav' }, { verb: 'dial', target: [{ type: 'sip', sipUri: 'sip:now@a' }] }]);
  const { channel, media } = s.call();
  await s.h.tick(10);
  const b = ep.legs[0]!.channel;
  b.remoteHold(true);
  await s.h.tick(10);
  const music = media.plays.filter((p) => p.spec === 'https://music.test/hold.wav');
  assert.equal(music.length, 1);
  assert.equal(music[0]!.settled, false);
  b.remoteHold(false);
  await s.h.tick(10);
  assert.equal(music[0]!.settled, true, 'stopped at unhold');
  assert.equal(media.plays.filter((p) => p.spec === 'https://music.test/hold.wav').length, 1, 'not started again');
  await channel.hangup();
  await s.done();
});

test('REFER from the caller with a dial referHook: the callee gets the verbs, NOTIFY 200; from the callee without one: 501', async () => {
  const { s, ep } = setup([{ verb: 'dial', target: [{ type: 'sip', sipUri: 'sip:now@a' }], referHook: '/refer' }],
    { '/refer': [{ verb: 'pause', length: 30 }] });
  const { channel } = s.call();
  await s.h.tick(10);
  const b = ep.legs[0]!.channel;
  const log: string[] = [];
  assert.equal(channel.remoteRefer(transfer(log)), true);
  await s.h.tick(10);
  assert.deepEqual(log, ['202', 'notify 200']);
  const refer = s.app().requests.find((r) => r.hook === '/refer')!.payload;
  const details = refer['refer_details'] as Record<string, unknown>;
  assert.equal(details['referring_call_sid'], channel.uuid);
  assert.equal(details['referred_call_sid'], b.uuid);
  assert.equal(s.manager.session(b.uuid)?.currentVerb, 'pause', 'the callee runs the reply');
  assert.equal(s.manager.session(channel.uuid)?.currentVerb, 'pause', 'the caller goes on');
  assert.equal(b.ended, false);
  await channel.hangup();
  await b.hangup();
  await s.done();

  const second = setup([{ verb: 'dial', target: [{ type: 'sip', sipUri: 'sip:now@a' }] }]);
  const call = second.s.call();
  await second.s.h.tick(10);
  const log2: string[] = [];
  assert.equal(second.ep.legs[0]!.channel.remoteRefer(transfer(log2)), true);
  assert.deepEqual(log2, ['reject 501']);
  await call.channel.hangup();
  await second.s.done();
});
