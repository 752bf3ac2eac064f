import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { snakeCase, snakeCaseKeys } from './index.ts';

describe('snakeCase (to-snake-case rules)', () => {
  const table: [string, string][] = [
    ['callSid', 'call_sid'],
    ['call_sid', 'call_sid'],
    ['sipStatus', 'sip_status'],
    ['fsSipAddress', 'fs_sip_address'],
    ['dtmfHook', 'dtmf_hook'],
    ['verbId', 'verb_id'],
    ['X-Reason', 'x_reason'],
    ['X-Custom-Header', 'x_custom_header'],
    ['URL', 'url'],
    ['callSID', 'call_s_i_d'],
    ['ABCDef', 'a_b_c_def'],
    ['fooBar2', 'foo_bar2'],
    ['a.b', 'a_b'],
    ['sip:request', 'sip_request'],
    ['_private', 'private'],
    ['hello World', 'hello_world'],
    ['0', '0'],
    ['from', 'from'],
    ['sttLatencyMs', 'stt_latency_ms'],
  ];
  for (const [input, expected] of table) {
    it(`${input} -> ${expected}`, () => assert.equal(snakeCase(input), expected));
  }
});

describe('snakeCaseKeys', () => {
  it('converts nested keys, keeps arrays, and leaves the verbatim keys alone', () => {
    const out = snakeCaseKeys({
      callSid: 'c1',
      speech: { isFinal: true, alternatives: [{ transcriptText: 'hi', confidence: 0.9 }] },
      customerData: { myKey: { innerKey: 1 } },
      sip: { headers: { 'X-Account-Sid': 'a' } },
      env_vars: { API_KEY: 'k', someVar: 1 },
      args: { cityName: 'Boston' },
      list: ['aB', { cD: 1 }],
    });
    assert.deepEqual(out, {
      call_sid: 'c1',
      speech: { is_final: true, alternatives: [{ transcript_text: 'hi', confidence: 0.9 }] },
      customerData: { myKey: { innerKey: 1 } },
      sip: { headers: { 'X-Account-Sid': 'a' } },
      env_vars: { API_KEY: 'k', someVar: 1 },
      args: { cityName: 'Boston' },
      list: ['aB', { c_d: 1 }],
    });
  });

  it('verbatim keys are matched before conversion only', () => {
    assert.deepEqual(snakeCaseKeys({ customer_data: { aB: 1 }, envVars: { aB: 1 } }), {
      customer_data: { a_b: 1 },
      env_vars: { a_b: 1 },
    });
  });

  it('primitives pass through and cycles are cut', () => {
    assert.equal(snakeCaseKeys(5), 5);
    assert.equal(snakeCaseKeys(null), null);
    const a: Record<string, unknown> = { fooBar: 1 };
    a['selfRef'] = a;
    assert.deepEqual(snakeCaseKeys(a), { foo_bar: 1, self_ref: null });
  });
});
