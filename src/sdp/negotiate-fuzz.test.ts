/**
 * Robustness of offer/answer on hostile input, checked with fast-check: whatever description parses,
 * answering it never throws, and the answer is valid SDP with the offer's number of m= lines (RFC 3264
 * section 6); processing any parsed answer to our offer throws nothing but SdpError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { negotiateAnswer } from './negotiate.ts';
import { buildOffer } from './build-offer.ts';
import { processAnswer } from './process-answer.ts';
import { parseSdp } from './parse-sdp.ts';
import { writeSdp } from './write-sdp.ts';
import { SdpError } from './sdp-error.ts';
import type { LocalMediaConfig } from './local-media.ts';
import type { SdpOrigin, SdpSession } from './sdp-model.ts';

const DIR = new URL('../../test/fixtures/sdp/', import.meta.url);
const TEXTS = readdirSync(DIR).filter((f) => f.endsWith('.sdp')).sort().map((f) => readFileSync(new URL(f, DIR), 'utf8'));
const ORIGIN: SdpOrigin = { username: '-', sessionId: '1', sessionVersion: '1', family: 'IP4', address: '192.0.2.1' };
const SIP: LocalMediaConfig = { address: '192.0.2.1', port: 30000, codecs: ['PCMU', 'PCMA', 'G722', 'L16', 'opus'] };
const MIXED: LocalMediaConfig = {
  address: '192.0.2.1', port: 30000, codecs: ['opus', 'PCMU'], codecPolicy: 'local', protocols: ['UDP/TLS/RTP/SAVPF', 'RTP/AVP'],
  rtcpMux: true,
};

function parsedOrUndefined(text: string): SdpSession | undefined {
  try {
    return parseSdp(text);
  } catch (err) {
    if (err instanceof SdpError && err.code === 'SDP_PARSE') return undefined;
    throw err;
  }
}

const mutated = fc
  .tuple(fc.constantFrom(...TEXTS), fc.nat(), fc.nat({ max: 30 }), fc.constantFrom('', ' ', '0', '9', 'a=sendonly\r\n', 'a=rtcp-mux\r\n', 'm=audio 1 RTP/AVP 0\r\n', 'a=rtpmap:96 opus/48000/2\r\n', 'c=IN IP4 0.0.0.0\r\n'))
  .map(([text, at, cut, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + cut);
  });

test('fast-check: answering any parsed offer never throws and yields valid SDP', () => {
  fc.assert(
    fc.property(mutated, fc.constantFrom(SIP, MIXED), fc.boolean(), (text, local, hold) => {
      const offer = parsedOrUndefined(text);
      if (!offer) return;
      const outcome = negotiateAnswer(offer, local, { origin: ORIGIN, hold });
      if (!outcome.ok) {
        assert.equal(outcome.status, 488);
        return;
      }
      const answerText = writeSdp(outcome.answer);
      const again = parseSdp(answerText);
      assert.equal(again.media.length, offer.media.length);
      assert.deepEqual(again, outcome.answer);
      const audio = again.media[outcome.media.index];
      assert.equal(audio?.port, 30000);
      assert.equal(again.media.filter((m) => m.port !== 0).length, 1);
    }),
    { numRuns: 1500 },
  );
});

test('fast-check: processing any parsed answer throws nothing but SdpError', () => {
  const offer = buildOffer(SIP, { origin: ORIGIN });
  fc.assert(
    fc.property(mutated, (text) => {
      const answer = parsedOrUndefined(text);
      if (!answer) return;
      try {
        const result = processAnswer(offer, answer, SIP);
        if (result.ok) assert.ok(offer.media[0]?.payloads.some((p) => p.pt === result.media.codec.receivePt));
      } catch (err) {
        if (!(err instanceof SdpError)) throw err;
      }
    }),
    { numRuns: 1500 },
  );
});
