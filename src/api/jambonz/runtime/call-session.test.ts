import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../test/support/jambonz-runtime-scenario.ts';

const say = (text: string) => ({ verb: 'say', text });

test('session:new carries the exact call attributes of §1.4', async () => {
  const s = scenario(() => [{ verb: 'pause', length: 1 }]);
  s.call(application({ env_vars: { API_KEY: 'k' } }));
  await s.h.flush();
  const first = s.app().requests[0]!;
  assert.equal(first.type, 'session:new');
  assert.equal(first.hook, 'http://app.test/call');
  const p = first.payload;
  assert.deepEqual(Object.keys(p).sort(), [
    'account_sid', 'application_sid', 'call_id', 'call_sid', 'call_status', 'caller_name', 'defaults', 'direction', 'env_vars',
    'from', 'has_recording', 'local_sip_address', 'originating_sip_ip', 'sip', 'sip_reason', 'sip_status', 'to', 'trace_id',
  ]);
  assert.equal(p['direction'], 'inbound');
  assert.equal(p['from'], '+15083084809');
  assert.equal(p['to'], '16174000000');
  assert.equal(p['call_id'], 'call-id-1@test');
  assert.equal(p['caller_name'], 'Alice');
  assert.equal(p['sip_status'], 100);
  assert.equal(p['sip_reason'], 'Trying');
  assert.equal(p['call_status'], 'trying');
  assert.equal(p['account_sid'], 'acc-1');
  assert.equal(p['application_sid'], 'app-1');
  assert.equal(p['originating_sip_ip'], '54.172.60.3');
  assert.equal(p['local_sip_address'], '10.0.13.72:5070');
  assert.deepEqual(p['env_vars'], { API_KEY: 'k' });
  assert.equal((p['sip'] as Record<string, unknown>)['method'], 'INVITE');
  s.h.clock.advance(1000);
  await s.h.flush();
  await s.done();
});

test('say then the stack ends: answered, BYE, status trying -> in-progress -> completed', async () => {
  const s = scenario(() => [say('hello')]);
  const { channel, driver, media } = s.call();
  await s.h.flush();
  assert.deepEqual(driver.calls, ['answer']);
  assert.equal(s.finishPlay(media, { durationMs: 2000 }), 'tts:hello');
  await s.h.tick(3000);
  assert.equal(driver.hangups[0]?.cause, 'NORMAL_CLEARING');
  assert.equal(driver.hangups[0]?.options.answered, true);
  const statuses = s.app().notifications.filter((n) => n.type === 'call:status');
  assert.deepEqual(statuses.map((n) => n.payload['call_status']), ['trying', 'in-progress', 'completed']);
  assert.ok(statuses.every((n) => n.hook === 'http://app.test/status'));
  const completed = statuses[2]!.payload;
  assert.equal(completed['sip_status'], 200);
  assert.equal(completed['call_termination_by'], 'jambonz');
  assert.equal(typeof completed['duration'], 'number');
  assert.equal(completed['fs_sip_address'], '10.0.13.72:5070');
  assert.equal(completed['caller_name'], undefined);
  assert.equal(s.manager.size, 0);
  await s.done();
  assert.equal((await s.h.store.get(channel.uuid))?.uuid, channel.uuid, 'the CDR is kept');
});

test('a stack that ends before answer is rejected with 603 (§8.8) and reported failed', async () => {
  const s = scenario(() => [{ verb: 'pause', length: 2 }, { verb: 'tag', data: { a: 1 } }]);
  const { driver } = s.call();
  await s.h.tick(2000);
  assert.equal(driver.calls.includes('answer'), false);
  assert.equal(driver.hangups[0]?.options.sipStatus, 603);
  const last = s.app().sent('call:status').at(-1)!;
  assert.equal(last['call_status'], 'failed');
  assert.equal(last['sip_status'], 603);
  await s.done();
});

for (const [name, reply] of [
  ['not an array', { verb: 'say' }],
  ['an empty array', []],
  ['HTML text', '<html>oops</html>'],
  ['an unknown verb shape', [{ verb: 'say', text: 'x' }, 42]],
] as const) {
  test(`a malformed first reply (${name}) rejects the call with 480 and X-Reason`, async () => {
    const s = scenario(() => reply);
    const { driver } = s.call();
    await s.h.flush();
    const h = driver.hangups[0];
    assert.equal(h?.options.sipStatus, 480);
    assert.match(h?.options.headers?.['X-Reason'] ?? '', /malformed|no verbs/);
    assert.equal(s.app().sent('call:status').at(-1)?.['call_status'], 'failed');
    await s.done();
  });
}

test('a first hook that fails (timeout) rejects with 480 naming the error', async () => {
  const s = scenario(() => Promise.reject(new Error('hook timed out after 10000 ms')));
  const { driver } = s.call();
  await s.h.flush();
  assert.equal(driver.hangups[0]?.options.sipStatus, 480);
  assert.match(driver.hangups[0]?.options.headers?.['X-Reason'] ?? '', /timed out/);
  await s.done();
});

test('app_json runs without any hook and both verb shapes are accepted', async () => {
  const s = scenario(() => { throw new Error('no hook expected'); });
  const { driver, media } = s.call(application({ call_hook: undefined, call_status_hook: undefined, app_json: JSON.stringify([{ say: { text: 'static' } }, { verb: 'hangup' }]) }));
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:static');
  await s.h.flush();
  assert.equal(driver.hangups.length, 1);
  assert.equal(s.requestors.length, 0);
  await s.done();
});

test('hangup with headers sends them on the BYE', async () => {
  const s = scenario(() => [{ verb: 'answer' }, { verb: 'hangup', headers: { 'X-Why': 'done' } }]);
  const { driver } = s.call();
  await s.h.flush();
  assert.deepEqual(driver.hangups[0]?.options.headers, { 'X-Why': 'done' });
  await s.done();
});

test('sip:decline rejects with its status, reason and X-Reason; status hook says failed', async () => {
  const s = scenario(() => [{ verb: 'sip:decline', status: 486, reason: 'Busy Now', headers: { 'X-Custom': '1' } }]);
  const { driver } = s.call();
  await s.h.flush();
  const h = driver.hangups[0]!;
  assert.equal(h.options.sipStatus, 486);
  assert.equal(h.options.reason, 'Busy Now');
  assert.deepEqual(h.options.headers, { 'X-Reason': 'SIP Decline Verb', 'X-Custom': '1' });
  const last = s.app().sent('call:status').at(-1)!;
  assert.equal(last['call_status'], 'failed');
  assert.equal(last['sip_status'], 486);
  await s.done();
});

test('early media say, then the caller cancels: no answer, status no-answer 487 by caller', async () => {
  const s = scenario(() => [{ verb: 'say', text: 'ringing', earlyMedia: true }]);
  const { channel, driver } = s.call();
  await s.h.flush();
  assert.deepEqual(driver.calls, ['progress:true']);
  await channel.remoteHangup('ORIGINATOR_CANCEL', { sipStatus: 487 });
  await s.h.flush();
  const statuses = s.app().sent('call:status');
  assert.deepEqual(statuses.map((p) => p['call_status']), ['trying', 'early-media', 'no-answer']);
  assert.equal(statuses[2]!['sip_status'], 487);
  assert.equal(statuses[2]!['call_termination_by'], 'caller');
  await s.done();
});

test('redirect fetches a new application that replaces the stack; tag sets customerData', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'tag', data: { ticket: 7 } }, { verb: 'redirect', actionHook: '/next' }, say('never')];
    if (hook === '/next') return [{ verb: 'answer' }, { verb: 'hangup' }];
    return undefined;
  });
  const { driver } = s.call();
  await s.h.flush();
  const redirect = s.app().requests[1]!;
  assert.equal(redirect.type, 'session:redirect');
  assert.deepEqual(redirect.payload['customerData'], { ticket: 7 });
  assert.deepEqual(driver.calls, ['answer', 'hangup:NORMAL_CLEARING']);
  await s.done();
});

test('unsupported verbs are reported with jambonz:error to a WS app, then the next verb runs', async () => {
  const s = scenario(() => [{ verb: 'message', to: '+15551230000', from: '+15551230001', text: 'hi' }, { verb: 'answer' }, { verb: 'hangup' }]);
  const { driver } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  const errors = s.app().sent('jambonz:error');
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]!['details']), /message is not supported/);
  assert.equal(errors[0]!['verb'], 'message');
  assert.deepEqual(driver.calls, ['answer', 'hangup:NORMAL_CLEARING']);
  await s.done();
});

test('notifyEvents sends verb:status starting/finished and playback events', async () => {
  const s = scenario(() => [{ verb: 'config', notifyEvents: true }, { verb: 'say', id: 'v1', text: 'hi' }, { verb: 'hangup' }]);
  const { media } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  s.finishPlay(media);
  await s.h.flush();
  const events = s.app().sent('verb:status').map((p) => `${String(p['event'])}:${String(p['name'] ?? p['verb'])}`);
  assert.deepEqual(events.slice(0, 5), ['finished:config', 'starting:say', 'synthesized-audio:say', 'start-playback:say', 'stop-playback:say']);
  const starting = s.app().sent('verb:status').find((p) => p['event'] === 'starting' && p['name'] === 'say')!;
  assert.equal(starting['id'], 'v1');
  await s.done();
});

test('play reports playCompleted with playback fields; a failed play reports playFailed', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'play', url: 'http://a/x.wav', actionHook: '/played' }, { verb: 'play', url: 'http://a/bad.wav', actionHook: '/played' }];
    return hook === '/played' ? [] : undefined;
  });
  const { media } = s.call();
  await s.h.flush();
  s.finishPlay(media, { durationMs: 2500 });
  await s.h.flush();
  media.plays.find((p) => !p.settled)?.finish({ status: 'failed', durationMs: 0 } as never);
  await s.h.flush();
  const [ok, failed] = s.app().requests.filter((r) => r.hook === '/played').map((r) => r.payload);
  assert.equal(ok!['reason'], 'playCompleted');
  assert.equal(ok!['playback_seconds'], 2);
  assert.equal(ok!['playback_milliseconds'], 2500);
  assert.equal(ok!['playback_last_offset_pos'], 20000);
  assert.equal(ok!['call_status'], 'in-progress');
  assert.deepEqual({ status: failed!['status'], reason: failed!['reason'] }, { status: 'fail', reason: 'playFailed' });
  await s.done();
});

test('play timeoutSecs stops the playback and seekOffset is passed to the media', async () => {
  const s = scenario(() => [{ verb: 'play', url: 'http://a/long.wav', timeoutSecs: 3, seekOffset: 8000 }]);
  const { media } = s.call();
  await s.h.flush();
  assert.deepEqual(media.plays[0]!.options, { offsetSamples: 8000 });
  await s.h.tick(3000);
  assert.equal(media.plays[0]!.settled, true);
  await s.done();
});
