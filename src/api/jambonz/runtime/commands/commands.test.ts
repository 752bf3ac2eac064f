import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';

const WS = application({ call_hook: 'ws://app.test/ws', call_status_hook: 'http://ignored/status' });

test('WS app: an empty stack leaves the call up and idle; a redirect command wakes it', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { media, driver, channel } = s.call(WS);
  await s.h.tick(60_000);
  assert.equal(channel.ended, false);
  assert.deepEqual(driver.calls, ['answer']);
  s.app().command('redirect', [{ verb: 'say', text: 'woke' }, { verb: 'hangup' }]);
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:woke');
  await s.h.flush();
  assert.equal(channel.ended, true);
  const statuses = s.app().notifications.filter((n) => n.type === 'call:status');
  assert.ok(statuses.every((n) => n.hook === undefined), 'status goes over the socket, the status hook is ignored');
  assert.deepEqual(s.app().closes, [1000]);
  await s.done();
});

test('queueCommand false replaces the stack and kills the running verb; true appends', async () => {
  const s = scenario(() => [{ verb: 'say', text: 'one' }, { verb: 'say', text: 'two' }]);
  const { media } = s.call(WS);
  await s.h.flush();
  s.app().command('redirect', [{ verb: 'say', text: 'queued' }], { queueCommand: true });
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:one');
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:two');
  await s.h.flush();
  assert.equal(media.plays.at(-1)!.spec, 'tts:queued');
  s.app().command('redirect', [{ verb: 'say', text: 'now' }], { queueCommand: false });
  await s.h.flush();
  assert.equal(media.plays.find((p) => p.spec === 'tts:queued')!.settled, true, 'killed');
  assert.equal(media.plays.at(-1)!.spec, 'tts:now');
  await s.done();
});

test('the app closing with 1000 lets the stack finish, then the call ends', async () => {
  const s = scenario(() => [{ verb: 'say', text: 'bye' }]);
  const { media, channel } = s.call(WS);
  await s.h.flush();
  s.app().closedByApp(1000);
  s.finishPlay(media);
  await s.h.flush();
  assert.equal(channel.ended, true);
  await s.done();
});

test('the app vanishing mid-call ends the call cleanly and keeps its records', async () => {
  const s = scenario(() => [{ verb: 'say', text: 'long' }]);
  const { channel, driver } = s.call(WS);
  await s.h.flush();
  s.app().closedByApp(1006, 'reconnect failed');
  await s.h.flush();
  assert.equal(channel.ended, true);
  assert.equal(driver.hangups[0]?.cause, 'NORMAL_CLEARING');
  assert.equal(s.manager.size, 0);
  await s.done();
  assert.ok(await s.h.store.get(channel.uuid));
});

test('dtmf command: wrapped and flat shapes both send digits', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { media } = s.call(WS);
  await s.h.flush();
  s.app().command('dtmf', { dtmf: { digit: '1', duration: 250 } });
  s.app().command('dtmf', { digit: '2', duration: 100 });
  await s.h.flush();
  assert.deepEqual(media.sentDtmf, ['1', '2']);
  await s.done();
});

test('sip:request command: wrapped and flat shapes both send INFO; MESSAGE too; SUBSCRIBE refused', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { driver } = s.call(WS);
  await s.h.flush();
  s.app().command('sip:request', { sip_request: { method: 'INFO', content_type: 'application/json', content: '{}' } });
  s.app().command('sip:request', { method: 'INFO', content_type: 'text/plain', content: 'hi' });
  await s.h.flush();
  assert.deepEqual(driver.calls.filter((c) => c.startsWith('info')), ['info:application/json', 'info:text/plain']);
  s.app().command('sip:request', { method: 'MESSAGE', content_type: 'text/x-msg', content: 'x' });
  await s.h.flush();
  assert.deepEqual(driver.calls.filter((c) => c.startsWith('info')).at(-1), 'info:text/x-msg', 'MESSAGE goes out too');
  s.app().command('sip:request', { method: 'SUBSCRIBE', content_type: 'text/plain', content: 'x' });
  await s.h.flush();
  assert.match(String(s.app().sent('jambonz:error').at(-1)!['details']), /SUBSCRIBE is not supported/);
  await s.done();
});

test('tag, config and call:status commands', async () => {
  const s = scenario((type, hook) => (type === 'session:new' ? [{ verb: 'answer' }] : hook === '/h' ? [] : undefined));
  const { channel } = s.call(WS);
  await s.h.flush();
  s.app().command('tag', { foo: 'bar' });
  s.app().command('config', { notifyEvents: true, synthesizer: { voice: 'x' } });
  await s.h.flush();
  const session = s.manager.session(channel.uuid)!;
  assert.deepEqual(session.callInfo.customerData, { foo: 'bar' });
  assert.equal(session.settings.notifyEvents, true);
  assert.equal(session.settings.synthesizer.voice, 'x');
  s.app().command('call:status', { call_status: 'completed' });
  await s.h.flush();
  assert.equal(channel.ended, true);
  await s.done();
});

test('issue-5 features, unknown commands, bad data and unknown callSids answer jambonz:error', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  s.call(WS);
  await s.h.flush();
  const app = s.app();
  app.command('conf:mute-status', { conf_mute_status: 'mute' });
  app.command('listen:status', { listen_status: 'pause' });
  app.command('record', { action: 'startCallRecording' });
  app.command('whisper', { whisper: { verb: 'say', text: 'x' } });
  app.command('frobnicate', {});
  app.command('dtmf', { digit: 'Z' });
  app.command('redirect', [{ verb: 'say', text: 'x' }], { callSid: 'nope' });
  await s.h.flush();
  const errors = app.sent('jambonz:error').map((e) => `${String(e['msg'])}|${String(e['command'])}`);
  assert.deepEqual(errors, [
    'invalid command|conf:mute-status', 'invalid command|listen:status', 'unsupported command|record',
    'invalid command|whisper', 'invalid command|frobnicate', 'invalid command|dtmf', 'invalid command|redirect',
  ]);
  await s.done();
});

test('callSid targets another session', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const a = s.call(WS);
  const b = s.call(WS);
  await s.h.flush();
  s.requestors[0]!.command('dtmf', { digit: '9' }, { callSid: b.channel.uuid });
  await s.h.flush();
  assert.deepEqual(a.media.sentDtmf, []);
  assert.deepEqual(b.media.sentDtmf, ['9']);
  await s.done();
});
