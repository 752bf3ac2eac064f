import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../test/support/jambonz-runtime-scenario.ts';

function setup() {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'say', text: 'waiting', loop: 0 }];
    if (hook === '/new') return [{ verb: 'say', text: 'redirected' }];
    return undefined;
  });
  const call = s.call();
  return { s, ...call };
}

test('get/list expose live calls with webhook-shaped attributes', async () => {
  const { s, channel } = setup();
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  assert.equal(live.accountSid, 'acc-1');
  assert.equal(live.attributes()['call_status'], 'in-progress');
  assert.deepEqual(s.manager.list('acc-1').map((c) => c.callSid), [channel.uuid]);
  assert.deepEqual(s.manager.list('other'), []);
  assert.equal(s.manager.get('unknown'), undefined);
  await s.done();
});

test('call_hook redirect: 202 and session:redirect replaces the application', async () => {
  const { s, channel, media } = setup();
  await s.h.flush();
  const r = await s.manager.get(channel.uuid)!.update({ call_hook: '/new', call_status_hook: '/st2' });
  assert.deepEqual(r, { status: 202 });
  await s.h.flush();
  assert.equal(s.app().requests.at(-1)!.type, 'session:redirect');
  assert.equal(media.plays.at(-1)!.spec, 'tts:redirected');
  assert.equal(media.plays[0]!.settled, true);
  await s.done();
});

test('call_status completed hangs up (202); tag replaces customerData; dtmf sends digits', async () => {
  const { s, channel, media } = setup();
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ tag: { a: 1 } })).status, 202);
  assert.deepEqual(live.attributes()['customerData'], { a: 1 });
  assert.equal((await live.update({ dtmf: { digit: '5', duration: 200 } })).status, 202);
  assert.deepEqual(media.sentDtmf, ['5']);
  assert.equal((await live.update({ call_status: 'completed' })).status, 202);
  await s.h.flush();
  assert.equal(channel.ended, true);
  assert.deepEqual(await live.update({ call_status: 'completed' }), { status: 422, body: { msg: 'call session is gone' } });
  await s.done();
});

test('sip_request answers 200 {status, reason}; whisper plays over the running verb', async () => {
  const { s, channel, driver, media } = setup();
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  const r = await live.update({ sip_request: { method: 'INFO', content_type: 'text/plain', content: 'hello' } });
  assert.deepEqual(r, { status: 200, body: { status: 200, reason: 'OK' } });
  assert.ok(driver.calls.includes('info:text/plain'));
  assert.equal((await live.update({ whisper: { verb: 'say', text: 'psst' } })).status, 202);
  await s.h.flush();
  assert.equal(media.plays.at(-1)!.spec, 'tts:psst');
  assert.equal(media.plays[0]!.settled, false, 'the running say goes on');
  await s.done();
});

test('validation and not-yet-supported updates', async () => {
  const { s, channel } = setup();
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({})).status, 400);
  assert.equal((await live.update({ call_status: 'bogus' })).status, 400);
  assert.equal((await live.update({ call_status: 'completed', tag: {} })).status, 400);
  assert.equal((await live.update({ frob: 1 })).status, 400);
  assert.equal((await live.update({ whisper: { verb: 'dial' } })).status, 400);
  for (const key of ['mute_status', 'transcribe_status', 'dub']) assert.equal((await live.update({ [key]: 'x' })).status, 400, `${key}: bad value`);
  const none = await live.update({ transcribe_status: 'pause' });
  assert.equal(none.status, 422, 'transcribe_status: no transcription running');
  assert.match(String((none.body as { msg: string }).msg), /no running transcription/);
  assert.equal((await live.update({ dub: { action: 'silenceTrack', track: 'nope' } })).status, 422, 'dub: unknown track');
  assert.equal((await live.update({ listen_status: 'x' })).status, 400, 'listen_status: bad value');
  assert.equal((await live.update({ listen_status: 'pause' })).status, 422, 'listen_status: no listen running');
  assert.equal((await live.update({ record: 'x' })).status, 400, 'record: bad data');
  const rec = await live.update({ record: { action: 'startCallRecording' } });
  assert.equal(rec.status, 422, 'record: no recordings directory in this runtime');
  assert.match(String((rec.body as { msg: string }).msg), /recordings directory/);
  assert.equal((await live.update({ record: { action: 'stopCallRecording' } })).status, 422, 'record: nothing to stop');
  assert.equal((await live.update({ conf_mute_status: 'x' })).status, 400);
  assert.equal((await live.update({ conf_hold_status: 'hold' })).status, 422, 'not in a conference');
  assert.equal((await live.update({ child_call_hook: 'http://app.test/child' })).status, 422, 'no dial connected');
  assert.equal(channel.ended, false);
  await s.done();
});

test('sip_request before answer is 422', async () => {
  const s = scenario(() => [{ verb: 'pause', length: 10 }]);
  const { channel } = s.call(application());
  await s.h.flush();
  const r = await s.manager.get(channel.uuid)!.update({ sip_request: { method: 'INFO', content_type: 'text/plain', content: 'x' } });
  assert.equal(r.status, 422);
  await s.h.tick(10_000);
  await s.done();
});
