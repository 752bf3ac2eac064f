import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { FakeEndpoint, answerAfter } from '../../../../core/testing/index.ts';
import { boostOf, decibelsOf } from '../audio-boost.ts';
import { RuntimeError } from '../runtime-error.ts';

const WS = application({ call_hook: 'ws://app.test/ws' });
const errors = (s: ReturnType<typeof scenario>): string[] => s.app().sent('jambonz:error').map((e) => `${String(e['msg'])}: ${String(e['details'])}`);

test('boostAudioSignal values: numbers, "<n> dB" strings truncated as the original parses them, others refused', () => {
  const table: [unknown, number | undefined][] = [
    [6, 6], [-2.5, -2.5], ['+6 dB', 6], ['-6 dB', -6], ['1 dB', 1], ['-2.7db', -2], ['3DB', 3],
    ['loud', undefined], ['6', undefined], [null, undefined], [{}, undefined], [Number.NaN, undefined],
  ];
  for (const [value, db] of table) assert.equal(decibelsOf(value), db, String(value));
  assert.equal(boostOf('-60 dB'), -60);
  for (const bad of ['+31 dB', -61, 'x']) {
    assert.throws(() => boostOf(bad), (err: unknown) => err instanceof RuntimeError && err.code === 'JAMBONZ_COMMAND_INVALID');
  }
});

test('the boostAudioSignal command and REST update set the gain of the caller\'s leg; bad values are jambonz:error / 400', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { media, channel } = s.call(WS);
  await s.h.flush();
  s.app().command('boostAudioSignal', '-6 dB');
  await s.h.flush();
  assert.equal(media.outputGainDb, -6);
  s.app().command('boostAudioSignal', 3);
  await s.h.flush();
  assert.equal(media.outputGainDb, 3);
  s.app().command('boostAudioSignal', 'very loud');
  s.app().command('boostAudioSignal', '+40 dB');
  await s.h.flush();
  assert.equal(errors(s).length, 2);
  assert.ok(errors(s).every((e) => e.startsWith('invalid command: boostAudioSignal')), errors(s).join('; '));
  assert.equal(media.outputGainDb, 3);
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ boostAudioSignal: '-10 dB' })).status, 202);
  assert.equal(media.outputGainDb, -10);
  assert.equal((await live.update({ boostAudioSignal: 'nope' })).status, 400);
  assert.equal(media.outputGainDb, -10);
  await s.done();
});

test('config.boostAudioSignal answers the call and sets the gain; a bad value is a jambonz:error and the app goes on', async () => {
  const s = scenario(() => [{ verb: 'config', boostAudioSignal: '+4 dB' }, { verb: 'config', boostAudioSignal: 'loud' }, { verb: 'pause', length: 5 }]);
  const { media, channel } = s.call(WS);
  await s.h.flush();
  assert.equal(channel.answered, true);
  assert.equal(media.outputGainDb, 4);
  assert.deepEqual(errors(s).map((e) => e.split(':')[0]), ['boostAudioSignal failed']);
  assert.equal(s.manager.session(channel.uuid)?.currentVerb, 'pause');
  await s.done();
});

test('dial.boostAudioSignal sets the gain of what the callee hears once bridged; the command reaches the B leg by callSid', async () => {
  const s = scenario((type) => (type === 'session:new' ? [{ verb: 'dial', boostAudioSignal: '-20 dB', target: [{ type: 'sip', sipUri: 'sip:b@x' }] }] : []));
  const ep = new FakeEndpoint(s.h.clock, { name: 'sipfake', schemes: ['sip:'], behaviour: answerAfter(0) });
  s.h.sw.addEndpoint(ep);
  const { media, channel } = s.call(WS);
  await s.h.tick(10);
  const b = ep.legs[0]!;
  assert.equal(s.h.sw.bridges().length, 1);
  assert.equal(b.media.outputGainDb, -20);
  assert.equal(media.outputGainDb, 0, 'the caller is untouched');
  s.app().command('boostAudioSignal', '2 dB', { callSid: b.channel.uuid });
  await s.h.flush();
  assert.equal(b.media.outputGainDb, 2);
  assert.equal(media.outputGainDb, 0);
  await channel.hangup();
  await s.done();
});
