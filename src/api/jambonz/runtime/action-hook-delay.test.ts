import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../test/support/jambonz-runtime-scenario.ts';
import { delayOptionsOf } from './action-hook-delay.ts';

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const DELAY = {
  enabled: true, noResponseTimeout: 2, noResponseGiveUpTimeout: 10, retries: 2,
  actions: [{ verb: 'say', text: 'one moment' }], giveUpActions: [{ verb: 'say', text: 'sorry' }, { verb: 'hangup' }],
};

test('options: disabled, unusable and valid objects', () => {
  assert.equal(delayOptionsOf(undefined), undefined);
  assert.equal(delayOptionsOf({ ...DELAY, enabled: false }), undefined);
  assert.equal(delayOptionsOf({ enabled: true }), undefined);
  const o = delayOptionsOf({ ...DELAY, actions: [{ verb: 'say', text: 'x' }, { verb: 'dial' }] })!;
  assert.deepEqual([o.noResponseTimeoutMs, o.giveUpTimeoutMs, o.retries, o.actions.map((a) => a.verb)], [2000, 10_000, 2, ['say']]);
});

test('a slow actionHook gets filler after noResponseTimeout; the reply stops it and runs', async () => {
  const slow = deferred<unknown>();
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'config', actionHookDelayAction: DELAY }, { verb: 'gather', numDigits: 1, actionHook: '/slow' }];
    if (hook === '/slow') return slow.promise;
    return undefined;
  });
  const { media } = s.call();
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.tick(1999);
  assert.equal(media.plays.length, 0);
  await s.h.tick(1);
  assert.equal(media.plays[0]!.spec, 'tts:one moment');
  slow.resolve([{ verb: 'say', text: 'here you go' }]);
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, true, 'the filler stopped');
  assert.equal(media.plays.at(-1)!.spec, 'tts:here you go');
  await s.done();
});

test('no reply before noResponseGiveUpTimeout: giveUpActions run and the late reply is ignored', async () => {
  const slow = deferred<unknown>();
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'gather', numDigits: 1, actionHook: '/slow', actionHookDelayAction: DELAY }];
    if (hook === '/slow') return slow.promise;
    return undefined;
  });
  const { media, driver } = s.call();
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.tick(2000);
  s.finishPlay(media);
  await s.h.tick(8000);
  assert.equal(media.plays.at(-1)!.spec, 'tts:sorry');
  slow.resolve([{ verb: 'say', text: 'too late' }]);
  s.finishPlay(media);
  await s.h.flush();
  assert.equal(driver.hangups.length, 1);
  assert.equal(media.plays.some((p) => p.spec === 'tts:too late'), false);
  await s.done();
});

test('a command arriving while an actionHook is pending replaces the app at once', async () => {
  const slow = deferred<unknown>();
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'gather', numDigits: 1, actionHook: '/slow' }];
    if (hook === '/slow') return slow.promise;
    return undefined;
  });
  const { media } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.flush();
  s.app().command('redirect', [{ verb: 'say', text: 'from command' }]);
  await s.h.flush();
  assert.equal(media.plays.at(-1)?.spec, 'tts:from command');
  slow.resolve([{ verb: 'say', text: 'stale' }]);
  await s.h.flush();
  assert.equal(media.plays.some((p) => p.spec === 'tts:stale'), false, 'the stale reply is dropped');
  await s.done();
});
