/** ACL semantics of specs/esl.md §2.1 / §10. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aclRejects, compileAcl, isLoopbackHost } from './acl.ts';

describe('esl acl', () => {
  const cases: { acl: string[]; ip: string; rejectedBy?: string }[] = [
    { acl: [], ip: '127.0.0.1' },
    { acl: [], ip: '127.5.6.7' },
    { acl: [], ip: '::1' },
    { acl: [], ip: '::ffff:127.0.0.1' },
    { acl: [], ip: '10.0.0.1', rejectedBy: 'loopback.auto' },
    { acl: ['10.0.0.0/8'], ip: '10.1.2.3' },
    { acl: ['10.0.0.0/8'], ip: '127.0.0.1', rejectedBy: '10.0.0.0/8' },
    { acl: ['10.0.0.0/8'], ip: '::ffff:10.9.9.9' },
    { acl: ['10.0.0.0/8', '10.1.0.0/16'], ip: '10.2.0.1', rejectedBy: '10.1.0.0/16' },
    { acl: ['2001:db8::/32'], ip: '2001:db8::5' },
    { acl: ['2001:db8::/32'], ip: '2001:db9::5', rejectedBy: '2001:db8::/32' },
    { acl: ['rfc1918.auto'], ip: '192.168.1.10' },
    { acl: ['any_v4.auto'], ip: '8.8.8.8' },
    { acl: ['192.0.2.7'], ip: '192.0.2.7' },
  ];
  for (const c of cases) {
    it(`${c.acl.join(',') || '(default)'} vs ${c.ip}`, () => assert.equal(aclRejects(compileAcl(c.acl), c.ip), c.rejectedBy));
  }

  it('rejects bad entries with ESL_ACL_INVALID', () => {
    assert.throws(() => compileAcl(['lan-ish']), { code: 'ESL_ACL_INVALID' });
    assert.throws(() => compileAcl(['10.0.0.0/33']), { code: 'ESL_ACL_INVALID' });
  });

  it('knows loopback hosts', () => {
    assert.ok(isLoopbackHost('127.0.0.1'));
    assert.ok(isLoopbackHost('::1'));
    assert.ok(isLoopbackHost('localhost'));
    assert.ok(!isLoopbackHost('0.0.0.0'));
    assert.ok(!isLoopbackHost('::'));
  });
});
