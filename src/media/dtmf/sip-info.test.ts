import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipInfoDtmf } from './index.ts';
import { buildDtmfBody, buildDtmfRelay, parseDtmfBody, parseDtmfRelay, parseSipInfoDtmf } from './index.ts';

describe('SIP INFO application/dtmf-relay', () => {
  const bodies: [body: string, want: SipInfoDtmf | undefined][] = [
    ['Signal=5\r\nDuration=160\r\n', { digit: '5', durationMs: 160 }],
    ['Signal=*\r\nDuration=100\r\n', { digit: '*', durationMs: 100 }],
    ['Signal=#\r\nDuration=250', { digit: '#', durationMs: 250 }],
    ['signal = 7 \nduration= 80\n', { digit: '7', durationMs: 80 }],
    ['SIGNAL=a\r\n', { digit: 'A' }],
    ['Signal=10\r\nDuration=160\r\n', { digit: '*', durationMs: 160 }],
    ['Signal=11\r\n', { digit: '#' }],
    ['Signal=16\r\nDuration=2000\r\n', { digit: 'flash', durationMs: 2000 }],
    ['Duration=160\r\nSignal=0\r\n', { digit: '0', durationMs: 160 }],
    ['Signal=1\r\nDuration=abc\r\n', { digit: '1' }],
    ['Signal=\r\nDuration=160\r\n', undefined],
    ['Signal=E\r\n', undefined],
    ['Signal=17\r\n', undefined],
    ['Duration=160\r\n', undefined],
    ['', undefined],
  ];
  for (const [body, want] of bodies) {
    it(`parses ${JSON.stringify(body)}`, () => assert.deepEqual(parseDtmfRelay(body), want));
  }

  it('builds the canonical body', () => {
    assert.equal(buildDtmfRelay('5', 160), 'Signal=5\r\nDuration=160\r\n');
    assert.equal(buildDtmfRelay('#'), 'Signal=#\r\nDuration=160\r\n');
    assert.equal(buildDtmfRelay('b', 100), 'Signal=B\r\nDuration=100\r\n');
    assert.equal(buildDtmfRelay('flash', 500), 'Signal=16\r\nDuration=500\r\n');
    assert.deepEqual(parseDtmfRelay(buildDtmfRelay('*', 90)), { digit: '*', durationMs: 90 });
    assert.throws(() => buildDtmfRelay('x'), { code: 'MEDIA_DTMF_EVENT' });
    assert.throws(() => buildDtmfRelay('1', 0), { code: 'MEDIA_DTMF_OPTIONS' });
  });
});

describe('SIP INFO application/dtmf', () => {
  const bodies: [body: string, want: SipInfoDtmf | undefined][] = [
    ['5', { digit: '5' }],
    ['#\r\n', { digit: '#' }],
    [' d ', { digit: 'D' }],
    ['11', { digit: '#' }],
    ['55', undefined],
    ['', undefined],
  ];
  for (const [body, want] of bodies) {
    it(`parses ${JSON.stringify(body)}`, () => assert.deepEqual(parseDtmfBody(body), want));
  }

  it('builds the digit alone', () => {
    assert.equal(buildDtmfBody('*'), '*');
    assert.equal(buildDtmfBody('c'), 'C');
    assert.throws(() => buildDtmfBody('**'), { code: 'MEDIA_DTMF_EVENT' });
  });
});

describe('parseSipInfoDtmf', () => {
  const cases: [contentType: string, body: string, want: SipInfoDtmf | undefined][] = [
    ['application/dtmf-relay', 'Signal=9\r\nDuration=160\r\n', { digit: '9', durationMs: 160 }],
    ['Application/DTMF-Relay; charset=utf-8', 'Signal=9', { digit: '9' }],
    ['application/dtmf', '3', { digit: '3' }],
    ['application/media_control+xml', '<media_control/>', undefined],
    ['text/plain', '5', undefined],
  ];
  for (const [contentType, body, want] of cases) {
    it(`dispatches on "${contentType}"`, () => assert.deepEqual(parseSipInfoDtmf(contentType, body), want));
  }
});
