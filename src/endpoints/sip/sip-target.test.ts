import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSipTarget } from './sip-target.ts';

const cases: [string, string | { user: string; domain?: string } | null][] = [
  ['sip:alice@127.0.0.1:5080', 'sip:alice@127.0.0.1:5080'],
  ['sips:bob@example.com', 'sips:bob@example.com'],
  ['sofia/internal/carol@10.0.0.1', 'sip:carol@10.0.0.1'],
  ['sofia/external/sip:dave@host', 'sip:dave@host'],
  ['user/1000', { user: '1000' }],
  ['user/1001@switchboard.local', { user: '1001', domain: 'switchboard.local' }],
  ['user/', null],
  ['user/a b', null],
  ['tel:+123', null],
  ['sip:', null],
];

for (const [input, want] of cases) {
  test(`parseSipTarget(${JSON.stringify(input)})`, () => {
    const r = parseSipTarget(input);
    if (want === null) {
      assert.equal(r.ok, false);
      return;
    }
    assert.ok(r.ok, r.ok ? '' : r.reason);
    if (typeof want === 'string') {
      assert.equal(r.target.kind, 'uri');
      if (r.target.kind === 'uri') assert.equal(r.target.text, want);
    } else {
      assert.equal(r.target.kind, 'user');
      if (r.target.kind === 'user') {
        assert.equal(r.target.user, want.user);
        assert.equal(r.target.domain, want.domain);
      }
    }
  });
}
