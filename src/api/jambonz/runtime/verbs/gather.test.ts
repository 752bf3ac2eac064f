import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRecognizer, application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';

const CALL_INFO_KEYS = ['account_sid', 'application_sid', 'call_id', 'call_sid', 'call_status', 'direction', 'fs_sip_address',
  'from', 'originating_sip_ip', 'sip_reason', 'sip_status', 'to', 'trace_id'];

function gatherApp(gather: Record<string, unknown>) {
  return (type: string, hook: string) => {
    if (type === 'session:new') return [{ verb: 'gather', actionHook: '/done', ...gather }, { verb: 'say', text: 'after' }];
    if (hook === '/done') return [];
    return undefined;
  };
}

function doneHooks(s: ReturnType<typeof scenario>): Record<string, unknown>[] {
  return s.app().requests.filter((r) => r.hook === '/done').map((r) => r.payload);
}

function press(media: { receiveDtmf(d: string): void }, digits: string): void {
  for (const d of digits) media.receiveDtmf(d);
}

test('numDigits resolves dtmfDetected with exactly the call info + digits + reason', async () => {
  const s = scenario(gatherApp({ input: ['digits'], numDigits: 3 }));
  const { media } = s.call();
  await s.h.flush();
  press(media, '123');
  await s.h.flush();
  const [p] = doneHooks(s);
  assert.deepEqual(Object.keys(p!).sort(), [...CALL_INFO_KEYS, 'digits', 'reason'].sort());
  assert.equal(p!['reason'], 'dtmfDetected');
  assert.equal(p!['digits'], '123');
  assert.equal(p!['call_status'], 'in-progress');
  assert.equal(p!['sip_status'], 200);
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:after', 'an empty reply continues with the next verb');
  await s.h.flush();
  await s.done();
});

test('finishOnKey ends collection without the key', async () => {
  const s = scenario(gatherApp({ finishOnKey: '#', maxDigits: 10 }));
  const { media } = s.call();
  await s.h.flush();
  press(media, '42#');
  await s.h.flush();
  assert.deepEqual(doneHooks(s).map((p) => [p['reason'], p['digits']]), [['dtmfDetected', '42']]);
  await s.done();
});

test('timeout with no digits resolves timeout after the default 15 s, not before', async () => {
  const s = scenario(gatherApp({ input: ['digits'], numDigits: 4 }));
  s.call();
  await s.h.tick(14_999);
  assert.equal(doneHooks(s).length, 0);
  await s.h.tick(1);
  assert.deepEqual(doneHooks(s).map((p) => p['reason']), ['timeout']);
  assert.equal(doneHooks(s)[0]!['digits'], undefined);
  await s.done();
});

test('timeout after some digits returns them when minDigits is met', async () => {
  const s = scenario(gatherApp({ numDigits: 5, timeout: 5 }));
  const { media } = s.call();
  await s.h.flush();
  press(media, '12');
  await s.h.tick(5000);
  assert.deepEqual(doneHooks(s).map((p) => [p['reason'], p['digits']]), [['dtmfDetected', '12']]);
  await s.done();
});

test('timeout: 0 never times out', async () => {
  const s = scenario(gatherApp({ numDigits: 2, timeout: 0 }));
  const { media } = s.call();
  await s.h.tick(600_000);
  assert.equal(doneHooks(s).length, 0);
  press(media, '77');
  await s.h.flush();
  assert.equal(doneHooks(s)[0]!['digits'], '77');
  await s.done();
});

test('interDigitTimeout resolves once minDigits are in and the caller pauses', async () => {
  const s = scenario(gatherApp({ minDigits: 2, maxDigits: 6, interDigitTimeout: 3, timeout: 20 }));
  const { media } = s.call();
  await s.h.flush();
  press(media, '1');
  await s.h.tick(3000);
  assert.equal(doneHooks(s).length, 0, 'one digit is below minDigits: no inter-digit timer');
  press(media, '2');
  await s.h.tick(2999);
  press(media, '3');
  await s.h.tick(2999);
  assert.equal(doneHooks(s).length, 0, 'each digit restarts the timer');
  await s.h.tick(1);
  assert.deepEqual(doneHooks(s).map((p) => [p['reason'], p['digits']]), [['dtmfDetected', '123']]);
  await s.done();
});

test('nested say: the timeout starts after the prompt; a digit barges in and stops it', async () => {
  const s = scenario(gatherApp({ numDigits: 1, timeout: 5, say: { text: 'press one' } }));
  const { media } = s.call();
  await s.h.tick(10_000);
  assert.equal(doneHooks(s).length, 0, 'no timeout while the prompt plays');
  assert.equal(media.plays[0]!.spec, 'tts:press one');
  media.receiveDtmf('1');
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, true, 'dtmfBargein stopped the prompt');
  assert.deepEqual(doneHooks(s).map((p) => p['digits']), ['1']);
  await s.done();
});

test('nested play with dtmfBargein false: the prompt keeps playing, digits still count', async () => {
  const s = scenario(gatherApp({ numDigits: 2, dtmfBargein: false, play: { url: 'http://a/menu.wav' } }));
  const { media } = s.call();
  await s.h.flush();
  media.receiveDtmf('9');
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, false);
  s.finishPlay(media);
  await s.h.flush();
  media.receiveDtmf('8');
  await s.h.flush();
  assert.equal(doneHooks(s)[0]!['digits'], '98');
  await s.done();
});

test('speech without a recognizer: actionHook reason error with details', async () => {
  const s = scenario(gatherApp({ input: ['speech'] }));
  s.call();
  await s.h.flush();
  const [p] = doneHooks(s);
  assert.equal(p!['reason'], 'error');
  assert.match(String(p!['details']), /no speech recognizer/);
  await s.done();
});

test('speech: partials go to partialResultHook and barge in; a final transcript resolves speechDetected', async () => {
  const stt = new FakeRecognizer();
  const s = scenario(gatherApp({ input: ['speech'], bargein: true, partialResultHook: '/partial', say: { text: 'how can I help' } }), { stt });
  const { media } = s.call();
  await s.h.flush();
  assert.equal(stt.listeners.length, 1, 'listenDuringPrompt defaults to true with a prompt');
  stt.say('book a', false);
  await s.h.flush();
  assert.equal(media.plays[0]!.settled, true, 'bargein stopped the prompt');
  const partial = s.app().requests.find((r) => r.hook === '/partial')!;
  assert.equal((partial.payload['speech'] as { is_final: boolean }).is_final, false);
  stt.say('book a car');
  await s.h.flush();
  const [p] = doneHooks(s);
  assert.equal(p!['reason'], 'speechDetected');
  assert.deepEqual(p!['speech'], {
    language_code: 'en-US', channel_tag: 1, is_final: true, alternatives: [{ confidence: 0.9, transcript: 'book a car' }], vendor: { name: 'fake' },
  });
  assert.equal(stt.closed, 1);
  await s.done();
});

test('a final transcript under recognizer.minConfidence resolves stt-low-confidence', async () => {
  const stt = new FakeRecognizer();
  const s = scenario(gatherApp({ input: ['speech'], recognizer: { minConfidence: 0.95 } }), { stt });
  s.call();
  await s.h.flush();
  stt.say('maybe');
  await s.h.flush();
  const [p] = doneHooks(s);
  assert.equal(p!['reason'], 'stt-low-confidence');
  assert.equal((p!['speech'] as { alternatives: { transcript: string }[] }).alternatives[0]!.transcript, 'maybe');
  await s.done();
});

test('digits beat speech: the first digit stops the recognizer', async () => {
  const stt = new FakeRecognizer();
  const s = scenario(gatherApp({ input: ['digits', 'speech'], numDigits: 1 }), { stt });
  const { media } = s.call();
  await s.h.flush();
  media.receiveDtmf('5');
  await s.h.flush();
  assert.equal(stt.closed, 1);
  assert.equal(doneHooks(s)[0]!['digits'], '5');
  await s.done();
});

test('the actionHook reply replaces the remaining verbs', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'gather', numDigits: 1, actionHook: '/menu' }, { verb: 'say', text: 'skipped' }];
    if (hook === '/menu') return [{ verb: 'say', text: 'you pressed' }, { verb: 'hangup' }];
    return undefined;
  });
  const { media, driver } = s.call();
  await s.h.flush();
  media.receiveDtmf('2');
  await s.h.flush();
  assert.equal(s.finishPlay(media), 'tts:you pressed');
  await s.h.flush();
  assert.equal(driver.hangups.length, 1);
  assert.equal(media.plays.some((p) => p.spec === 'tts:skipped'), false);
  await s.done();
});

test('an actionHook that times out: a webhook app ends the call, a WS app gets jambonz:error and goes on', async () => {
  const failing = (type: string, hook: string) => {
    if (type === 'session:new') return [{ verb: 'gather', numDigits: 1, actionHook: '/menu' }, { verb: 'say', text: 'next' }];
    if (hook === '/menu') return Promise.reject(new Error('timeout'));
    return undefined;
  };
  const http = scenario(failing);
  const a = http.call();
  await http.h.flush();
  a.media.receiveDtmf('1');
  await http.h.flush();
  assert.equal(a.driver.hangups.length, 1);
  assert.equal(a.media.plays.length, 0);
  await http.done();

  const ws = scenario(failing);
  const b = ws.call(application({ call_hook: 'wss://app.test/ws' }));
  await ws.h.flush();
  b.media.receiveDtmf('1');
  await ws.h.flush();
  assert.equal(ws.app().sent('jambonz:error')[0]!['msg'], 'invalid actionHook response');
  assert.equal(ws.finishPlay(b.media), 'tts:next');
  await ws.done();
});

test('an actionHook reply that is invalid is reported, never run', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') return [{ verb: 'gather', numDigits: 1, actionHook: '/menu' }];
    if (hook === '/menu') return { not: 'an array' };
    return undefined;
  });
  const { media, channel } = s.call(application({ call_hook: 'ws://app.test/ws' }));
  await s.h.flush();
  media.receiveDtmf('1');
  await s.h.flush();
  assert.match(String(s.app().sent('jambonz:error')[0]!['details']), /must be array/);
  assert.equal(channel.ended, false, 'the WS app stays connected and idle');
  await s.done();
});

test('config bargeIn runs a background gather whose result replaces the application', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') {
      return [{ verb: 'config', bargeIn: { enable: true, input: ['digits'], numDigits: 1, actionHook: '/barge' } }, { verb: 'say', text: 'long menu' }];
    }
    if (hook === '/barge') return [{ verb: 'hangup' }];
    return undefined;
  });
  const { media, driver } = s.call();
  await s.h.flush();
  assert.equal(media.plays[0]!.spec, 'tts:long menu');
  media.receiveDtmf('3');
  await s.h.flush();
  const barge = s.app().requests.find((r) => r.hook === '/barge')!;
  assert.equal(barge.payload['digits'], '3');
  assert.equal(media.plays[0]!.settled, true, 'the running say was killed');
  assert.equal(driver.hangups.length, 1);
  await s.done();
});

test('a foreground gather suspends the background bargeIn gather, which resumes after it', async () => {
  const s = scenario((type, hook) => {
    if (type === 'session:new') {
      return [
        { verb: 'config', bargeIn: { enable: true, input: ['digits'], numDigits: 1, actionHook: '/barge' } },
        { verb: 'gather', numDigits: 1, actionHook: '/fg' },
        { verb: 'pause', length: 5 },
      ];
    }
    if (hook === '/barge') return [{ verb: 'hangup' }];
    return [];
  });
  const { media, channel } = s.call();
  await s.h.flush();
  media.receiveDtmf('4');
  await s.h.flush();
  assert.deepEqual(s.app().requests.filter((r) => r.hook === '/fg' || r.hook === '/barge').map((r) => r.hook), ['/fg']);
  assert.equal(channel.ended, false);
  media.receiveDtmf('5');
  await s.h.flush();
  assert.equal(s.app().requests.at(-1)!.hook, '/barge');
  assert.equal(channel.ended, true);
  await s.done();
});
