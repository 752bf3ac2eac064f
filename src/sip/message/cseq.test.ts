/** Table tests for CSeq (RFC 3261 20.16). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CSEQ, formatCSeq, parseCSeq } from './cseq.ts';
import { SipParseError } from './errors.ts';

test('parseCSeq: valid values', () => {
  const rows: [string, number, string][] = [
    ['1 INVITE', 1, 'INVITE'],
    ['0009  INVITE', 9, 'INVITE'],
    ['  0 ACK  ', 0, 'ACK'],
    [`${MAX_CSEQ} BYE`, MAX_CSEQ, 'BYE'],
    ["139122385 !interesting-Method0123456789_*+`.%indeed'~", 139122385, "!interesting-Method0123456789_*+`.%indeed'~"],
    ['7\tRE%47IST%45R', 7, 'RE%47IST%45R'],
  ];
  for (const [text, seq, method] of rows) assert.deepEqual(parseCSeq(text), { seq, method }, text);
});

test('parseCSeq: invalid values carry a reason', () => {
  const rows: [string, string][] = [
    ['', 'Bad CSeq number'],
    ['INVITE', 'Bad CSeq number'],
    ['-1 INVITE', 'Bad CSeq number'],
    [`${MAX_CSEQ + 1} INVITE`, 'Bad CSeq number'],
    ['36893488147419103232 REGISTER', 'Bad CSeq number'],
    ['1', 'Bad CSeq method'],
    ['1INVITE', 'Bad CSeq method'],
    ['1 IN VITE', 'Bad CSeq method'],
    ['1 INV@TE', 'Bad CSeq method'],
  ];
  for (const [text, reason] of rows) {
    assert.throws(() => parseCSeq(text), (e: unknown) => e instanceof SipParseError && e.reason === reason, text);
  }
  assert.equal(formatCSeq({ seq: 5, method: 'BYE' }), '5 BYE');
});
