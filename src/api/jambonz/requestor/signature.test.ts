import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from './index.ts';

describe('Jambonz-Signature', () => {
  const body = JSON.stringify({ call_sid: 'abc', from: '1000' });
  const secret = 'wh_secret_1';
  const nowMs = 1_717_000_000_123;

  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = signatureHeader(secret, body, nowMs);
    const expected = createHmac('sha256', secret).update(`1717000000.${body}`).digest('hex');
    assert.equal(header, `t=1717000000,v1=${expected}`);
    assert.equal(computeSignature(secret, 1717000000, body), expected);
  });

  it('verifies within the tolerance and rejects tampering, wrong secrets and old stamps', () => {
    const header = signatureHeader(secret, body, nowMs);
    assert.equal(verifySignature(header, secret, body, nowMs + 10_000), true);
    assert.equal(verifySignature(header, secret, body + ' ', nowMs), false);
    assert.equal(verifySignature(header, 'other', body, nowMs), false);
    assert.equal(verifySignature(header, secret, body, nowMs + 600_000, 300), false);
    assert.equal(verifySignature(header, secret, body, nowMs + 600_000, 0), true);
  });

  it('parses several v1 values and refuses malformed headers', () => {
    assert.deepEqual(parseSignatureHeader('t=5,v1=aa,v1=bb,v0=cc'), { timestamp: 5, signatures: ['aa', 'bb'] });
    for (const bad of ['', 'v1=aa', 't=x,v1=aa', 't=5', 'garbage']) {
      assert.equal(parseSignatureHeader(bad), undefined, bad);
      assert.equal(verifySignature(bad, secret, body, nowMs), false);
    }
  });
});
