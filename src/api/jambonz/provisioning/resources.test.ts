import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applicationView, applyApplicationChanges, normalizeNumber, parseAppJson, parseApplicationChanges, parseHook,
  parsePhoneNumberCreate, parsePhoneNumberUpdate,
} from './resources.ts';

describe('parseHook', () => {
  const table: [unknown, unknown][] = [
    ['https://a.test/x', { url: 'https://a.test/x', method: 'POST' }],
    ['wss://a.test/ws', { url: 'wss://a.test/ws', method: 'WS' }],
    [{ url: 'http://a.test/', method: 'get', username: 'u', password: 'p' }, { url: 'http://a.test/', method: 'GET', username: 'u', password: 'p' }],
    [{ url: 'http://a.test/', method: 'POST', username: null, password: null, webhook_sid: 'x' }, { url: 'http://a.test/', method: 'POST' }],
  ];
  for (const [input, expected] of table) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseHook(input, 'call_hook'), { ok: true, value: expected });
    });
  }
  for (const bad of ['/relative', 'ftp://a.test/', 'http://', 42, null, { method: 'POST' }, { url: 'https://a.test/', method: 'PUT' }]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      const r = parseHook(bad, 'call_hook');
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, /'call_hook'/);
    });
  }
});

describe('parseAppJson', () => {
  it('keeps arrays as JSON text and refuses anything else', () => {
    assert.deepEqual(parseAppJson('[{"verb":"say","text":"hi"}]'), { ok: true, value: '[{"verb":"say","text":"hi"}]' });
    assert.deepEqual(parseAppJson([{ verb: 'hangup' }]), { ok: true, value: '[{"verb":"hangup"}]' });
    assert.equal(parseAppJson('{"verb":"say"}').ok, false);
    assert.equal(parseAppJson('[').ok, false);
    assert.equal(parseAppJson(7).ok, false);
  });
});

describe('parseApplicationChanges / applyApplicationChanges', () => {
  it('reads every known field, ignores unknown ones, and nulls clear fields', () => {
    const r = parseApplicationChanges({
      name: 'a', call_hook: 'https://a.test/', app_json: '[]', speech_synthesis_vendor: 'google', env_vars: '{"K":1}',
      record_all_calls: 1, speech_synthesis_label: 'lbl', unknown_column: 'x',
    });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.value, {
      name: 'a', call_hook: { url: 'https://a.test/', method: 'POST' }, app_json: '[]', speech_synthesis_vendor: 'google',
      env_vars: { K: 1 }, record_all_calls: true, extra: { speech_synthesis_label: 'lbl' },
    });
    const app = applyApplicationChanges({ application_sid: 's', account_sid: 'a', name: 'a' }, r.value);
    const cleared = parseApplicationChanges({ app_json: null, call_status_hook: { url: '' }, speech_synthesis_vendor: null });
    assert.ok(cleared.ok);
    if (!cleared.ok) return;
    const next = applyApplicationChanges(app, cleared.value);
    assert.equal(next.app_json, undefined);
    assert.equal(next.speech_synthesis_vendor, undefined);
    assert.deepEqual(next.call_hook, { url: 'https://a.test/', method: 'POST' });
    const view = applicationView(next);
    assert.equal(view['app_json'], null);
    assert.equal(view['speech_synthesis_label'], 'lbl');
    assert.equal(view['record_all_calls'], 1);
  });

  it('refuses wrong types with the field name', () => {
    for (const [body, field] of [
      [{ name: '' }, 'name'], [{ name: 3 }, 'name'], [{ speech_synthesis_voice: 1 }, 'speech_synthesis_voice'],
      [{ env_vars: '{' }, 'env_vars'], [{ record_all_calls: 'yes' }, 'record_all_calls'], [{ messaging_hook: 'x' }, 'messaging_hook'],
    ] as const) {
      const r = parseApplicationChanges(body);
      assert.equal(r.ok, false, JSON.stringify(body));
      if (!r.ok) assert.ok(r.message.includes(field), r.message);
    }
  });
});

describe('phone numbers', () => {
  it('normalizes to digits without +', () => {
    assert.deepEqual(normalizeNumber('+15083728299'), { ok: true, value: '15083728299' });
    assert.deepEqual(normalizeNumber(' 4930123 '), { ok: true, value: '4930123' });
    for (const bad of ['', '+', '12a', '++1', 12, '1 2']) assert.equal(normalizeNumber(bad).ok, false, String(bad));
  });

  it('parses create and update bodies as the api-server restricts them', () => {
    assert.deepEqual(parsePhoneNumberCreate({ number: '+1234', application_sid: 'x', voip_carrier_sid: null }), {
      ok: true, value: { number: '1234', application_sid: 'x', voip_carrier_sid: null },
    });
    assert.equal(parsePhoneNumberCreate({ application_sid: 'x' }).ok, false);
    assert.equal(parsePhoneNumberCreate({ number: '1', application_sid: 5 }).ok, false);
    assert.deepEqual(parsePhoneNumberUpdate({ application_sid: null }), { ok: true, value: { application_sid: null } });
    assert.deepEqual(parsePhoneNumberUpdate({ number: '1' }), { ok: false, message: 'number may not be modified' });
    assert.deepEqual(parsePhoneNumberUpdate({ voip_carrier_sid: 'v' }), { ok: false, message: 'voip_carrier_sid may not be modified' });
  });
});
