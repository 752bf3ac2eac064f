import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../test/support/jambonz-runtime-scenario.ts';
import { fillerNoiseOf } from './filler-noise.ts';

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const NOISE = 'http://media.test/keyboard.wav';

test('fillerNoise objects: off, no url, delays, and a verb\'s own merged over the session\'s', () => {
  assert.equal(fillerNoiseOf(undefined), undefined);
  assert.equal(fillerNoiseOf({ enable: true }), undefined);
  assert.equal(fillerNoiseOf({ enable: false, url: NOISE }), undefined);
  assert.deepEqual(fillerNoiseOf({ enable: true, url: NOISE }), { url: NOISE, startDelayMs: 0 });
  const base = fillerNoiseOf({ enable: true, url: NOISE, startDelaySecs: 1.5 });
  assert.deepEqual(base, { url: NOISE, startDelayMs: 1500 });
  assert.deepEqual(fillerNoiseOf(undefined, base), base);
  assert.deepEqual(fillerNoiseOf({ enable: true, startDelaySecs: 3 }, base), { url: NOISE, startDelayMs: 3000 });
  assert.equal(fillerNoiseOf({ enable: false }, base), undefined);
});

test('config.fillerNoise: a slow actionHook gets looped noise after startDelaySecs, stopped the moment the reply arrives', async () => {
  const slow = deferred<unknown>();
  const s = scenario((type, hook) => {
    if (type === 'session:new') {
      return [{ verb: 'config', fillerNoise: { enable: true, url: NOISE, startDelaySecs: 2 } }, { verb: 'gather', numDigits: 1, actionHook: '/slow' }];
    }
    if (hook === '/slow') return slow.promise;
    return undefined;
  });
  const { media } = s.call();
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.tick(1999);
  assert.equal(media.plays.length, 0, 'nothing before the delay');
  await s.h.tick(1);
  assert.equal(media.plays[0]!.spec, NOISE);
  assert.deepEqual(media.plays[0]!.options, { loops: 0 }, 'looped');
  slow.resolve([{ verb: 'say', text: 'here you go' }]);
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, true, 'the noise stopped');
  assert.equal(media.plays.at(-1)!.spec, 'tts:here you go');
  await s.done();
});

test('a reply within startDelaySecs plays no noise; enable:false turns it off; no config is no noise', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') {
      return [
        { verb: 'config', fillerNoise: { enable: true, url: NOISE, startDelaySecs: 2 } },
        { verb: 'gather', numDigits: 1, actionHook: '/fast' },
        { verb: 'config', fillerNoise: { enable: false } },
        { verb: 'gather', numDigits: 1, actionHook: '/slow' },
      ];
    }
    if (hook === '/slow') return new Promise(() => {});
    return [];
  });
  const { media, channel } = s.call();
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.tick(100);
  media.receiveDtmf('2');
  await s.h.tick(5000);
  assert.deepEqual(media.plays.map((p) => p.spec), [], 'no noise at all');
  await channel.hangup();
  await s.done();
});

test('a gather\'s own fillerNoise (startDelaySecs 0) plays at once; a WS app idle waiting for commands hears the session\'s noise until a command comes', async () => {
  const slow = deferred<unknown>();
  const s = scenario((type, hook) => {
    if (type === 'session:new') {
      return [
        { verb: 'config', fillerNoise: { enable: true, url: NOISE, startDelaySecs: 5 } },
        { verb: 'gather', numDigits: 1, actionHook: '/slow', fillerNoise: { enable: true, url: 'http://media.test/typing.wav', startDelaySecs: 0 } },
      ];
    }
    if (hook === '/slow') return slow.promise;
    return undefined;
  });
  const { media } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.flush();
  assert.equal(media.plays[0]!.spec, 'http://media.test/typing.wav');
  slow.resolve([]);
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, true);
  assert.equal(media.plays[1]?.spec, NOISE, 'idle: the session\'s noise at once');
  s.app().command('redirect', [{ verb: 'say', text: 'back' }]);
  await s.h.flush();
  assert.equal(media.plays[1]!.settled, true, 'a command stops it');
  assert.equal(media.plays.at(-1)!.spec, 'tts:back');
  await s.done();
});
