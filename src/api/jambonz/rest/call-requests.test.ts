import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callFilterOf, checkCreateCall, checkTo, checkUpdateCall, matchesFilter } from './call-requests.ts';

describe('checkTo', () => {
  const good = [{ type: 'phone', number: '1508' }, { type: 'sip', sipUri: 'sip:a@b' }, { type: 'user', name: '1000' }];
  for (const to of good) it(`accepts ${JSON.stringify(to)}`, () => assert.equal(checkTo(to), undefined));
  const bad: unknown[] = [undefined, 'sip:a@b', { type: 'phone' }, { type: 'sip', number: '1' }, { type: 'user', name: '' }, { number: '1' }];
  for (const to of bad) it(`refuses ${JSON.stringify(to)}`, () => assert.match(checkTo(to) ?? '', /missing or invalid to property/));
  it('says teams is not supported', () => assert.equal(checkTo({ type: 'teams', number: '1' }), 'to type teams is not supported'));
});

describe('checkCreateCall', () => {
  const base = { from: '1', to: { type: 'phone', number: '2' } };
  it('accepts a hook, static verbs or an application sid', () => {
    assert.ok(checkCreateCall({ ...base, call_hook: 'https://a.test/' }).ok);
    assert.ok(checkCreateCall({ ...base, call_hook: { url: 'wss://a.test/', method: 'WS' }, call_status_hook: 'https://a.test/s' }).ok);
    assert.ok(checkCreateCall({ ...base, app_json: [{ verb: 'hangup' }] }).ok);
    assert.deepEqual(checkCreateCall({ ...base, application_sid: 'x' }), { ok: true, value: { body: { ...base, application_sid: 'x' }, applicationSid: 'x' } });
  });
  const table: [unknown, RegExp][] = [
    [null, /JSON object/],
    [{ ...base, from: '' }, /missing from/],
    [{ ...base }, /either call_hook, app_json or application_sid required/],
    [{ ...base, call_hook: {} }, /call_hook must be string or an object/],
    [{ ...base, call_hook: 'https://a.test/', call_status_hook: 'status' }, /call_status_hook url must be an absolute url/],
    [{ ...base, application_sid: 7 }, /application_sid must be a string/],
    [{ ...base, app_json: 'x' }, /app_json/],
    [{ ...base, call_hook: 'https://a.test/', timeLimit: -1 }, /timeLimit/],
    [{ ...base, call_hook: 'https://a.test/', headers: 'X-A: 1' }, /headers must be an object/],
  ];
  for (const [body, message] of table) {
    it(`refuses ${JSON.stringify(body)}`, () => {
      const r = checkCreateCall(body);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, message);
    });
  }
});

describe('checkUpdateCall', () => {
  const ok: Record<string, unknown>[] = [
    { call_hook: 'https://a.test/' }, { call_hook: '/relative' }, { call_hook: { url: 'https://a.test/' }, child_call_hook: 'https://a.test/c' },
    { call_status: 'completed' }, { call_status: 'no-answer' }, { mute_status: 'unmute' }, { listen_status: 'silence' },
    { whisper: { verb: 'say', text: 'x' } }, { whisper: [{ verb: 'play', url: 'x' }], mute_status: 'mute' },
    { sip_request: { method: 'INFO', content_type: 'text/plain', content: 'x' } }, { dtmf: { digit: '1', duration: 250 } },
    { tag: { a: 1 } }, { record: { action: 'pauseCallRecording' } }, { conf_hold_status: 'hold', wait_hook: '/w' },
  ];
  for (const body of ok) it(`accepts ${JSON.stringify(body)}`, () => assert.ok(checkUpdateCall(body).ok));
  const bad: [unknown, string][] = [
    [{}, 'no valid options supplied to updateCall'],
    [{ transfer: {} }, 'no valid options supplied to updateCall'],
    [{ call_status: 'completed', mute_status: 'mute' }, 'multiple options are not allowed in updateCall'],
    [{ call_status: 'busy' }, 'invalid call_status'],
    [{ mute_status: true }, 'invalid mute_status'],
    [{ conf_mute_status: 'quiet' }, 'invalid conf_mute_status'],
    [{ sip_request: { method: 'INFO' } }, 'sip_request requires method, content_type and content properties'],
    [{ record: {} }, 'record requires action property'],
    [{ record: { action: 'startCallRecording', siprecServerURL: 5 } }, 'record requires siprecServerURL property when starting recording'],
    [{ dtmf: { duration: 1 } }, 'dtmf requires digit property'],
    [{ tag: 'x' }, 'tag must be an object'],
    [{ call_hook: 5 }, 'call_hook must be string or an object containing a url property'],
    [[{ call_status: 'completed' }], 'the request body must be a JSON object'],
  ];
  for (const [body, message] of bad) {
    it(`refuses ${JSON.stringify(body)}`, () => assert.deepEqual(checkUpdateCall(body), { ok: false, message }));
  }
});

describe('call list filters', () => {
  it('reads the four query filters and matches numbers with or without +', () => {
    const f = callFilterOf({ direction: 'inbound', from: '+1508', to: '', callStatus: 'in-progress', other: 'x' });
    assert.deepEqual(f, { direction: 'inbound', from: '+1508', callStatus: 'in-progress' });
    assert.ok(matchesFilter({ direction: 'inbound', from: '1508', call_status: 'in-progress' }, f));
    assert.equal(matchesFilter({ direction: 'outbound', from: '1508', call_status: 'in-progress' }, f), false);
    assert.equal(matchesFilter({ direction: 'inbound', from: '1509', call_status: 'in-progress' }, f), false);
    assert.deepEqual(callFilterOf(undefined), {});
  });
});
