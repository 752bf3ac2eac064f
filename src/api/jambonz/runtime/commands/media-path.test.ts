import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import { FakeDriver, FakeMedia } from '../../../../core/testing/index.ts';
import { corePathOf, mediaPathOf } from './media-path.ts';

const WS = application({ call_hook: 'ws://app.test/ws', call_status_hook: 'http://ignored/status' });

test('media path values: bare or wrapped, anything else refused; partial media is anchored here', () => {
  assert.equal(mediaPathOf('no-media'), 'no-media');
  assert.equal(mediaPathOf({ media_path: 'full-media' }), 'full-media');
  for (const bad of ['none', '', 42, null, undefined, { media_path: 'wide' }, ['no-media']]) assert.equal(mediaPathOf(bad), undefined, String(bad));
  assert.equal(corePathOf('no-media'), 'bypassed');
  assert.equal(corePathOf('partial-media'), 'anchored');
  assert.equal(corePathOf('full-media'), 'anchored');
});

test('media:path: a bad value, a call that is not bridged and legs that cannot bypass answer jambonz:error / 400 / 422', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { channel } = s.call(WS);
  await s.h.flush();
  const errors = (): string[] => s.app().sent('jambonz:error').map((e) => String(e['details']));
  s.app().command('media:path', 'sideways');
  s.app().command('media:path', 'no-media');
  await s.h.flush();
  assert.deepEqual(errors(), [
    'media:path must be one of no-media, partial-media, full-media',
    'media:path: the call is not bridged to another party (dial)',
  ]);
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ media_path: 'wide' })).status, 400);
  assert.equal((await live.update({ media_path: 'no-media' })).status, 422);

  const other = s.h.sw.createChannel({ direction: 'outbound', endpoint: 'fake', driver: new FakeDriver(), media: new FakeMedia('callee') });
  other.remoteAnswered();
  const bridged = s.h.sw.bridge(channel, other, { hangupAfterBridge: false });
  assert.ok(bridged.ok);
  const refused = await live.update({ media_path: 'no-media' });
  assert.equal(refused.status, 422);
  assert.match(JSON.stringify(refused.body), /not possible/);
  assert.equal(bridged.bridge.mediaPath, 'anchored');
  assert.equal((await live.update({ media_path: 'full-media' })).status, 202, 'already anchored');
  bridged.bridge.close();
  await other.hangup();
  await s.done();
});
