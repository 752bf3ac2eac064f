import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSdp, SdpError, type SdpOrigin } from '../../sdp/index.ts';
import { BypassExchange, nextPathState, type MediaPathEvent, type MediaPathState } from './bypass-exchange.ts';
import { OriginCounter, mediaTargetOf, retargetSdp, sameTarget } from './bypass-sdp.ts';

function sdp(user: string, address: string, port: number, formats = '0 101', version = '1'): string {
  return [
    'v=0', `o=${user} 42 ${version} IN IP4 ${address}`, 's=-', `c=IN IP4 ${address}`, 't=0 0',
    `m=audio ${port} RTP/AVP ${formats}`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16', 'a=sendrecv', '',
  ].join('\r\n');
}

const ours = (id: string, version: string): SdpOrigin => ({ username: 'switchboard', sessionId: id, sessionVersion: version, family: 'IP4', address: '10.0.0.1' });

describe('bypass SDP helpers', () => {
  test('retargetSdp keeps the party\'s media and puts our o= line', () => {
    const out = parseSdp(retargetSdp(sdp('bob', '192.0.2.20', 7000), ours('555', '9')));
    assert.deepEqual(out.origin, ours('555', '9'));
    assert.deepEqual(mediaTargetOf(out), { address: '192.0.2.20', port: 7000 });
    assert.deepEqual(out.media[0]!.formats, ['0', '101']);
  });

  test('OriginCounter goes up by one per description, as a decimal string beyond 2^53', () => {
    const c = new OriginCounter(ours('1', '9007199254740993'));
    assert.equal(c.next().sessionVersion, '9007199254740994');
    assert.equal(c.next().sessionVersion, '9007199254740995');
    assert.equal(c.current.sessionVersion, '9007199254740995');
    assert.equal(c.current.sessionId, '1');
  });

  test('mediaTargetOf: media-level c= wins, a rejected stream (port 0) has no target', () => {
    const media = sdp('x', '192.0.2.1', 5000).replace('a=sendrecv', 'c=IN IP4 192.0.2.99\r\na=sendrecv');
    assert.deepEqual(mediaTargetOf(media), { address: '192.0.2.99', port: 5000 });
    assert.equal(mediaTargetOf(sdp('x', '192.0.2.1', 0)), undefined);
    assert.ok(sameTarget({ address: 'a', port: 1 }, { address: 'a', port: 1 }));
    assert.ok(!sameTarget({ address: 'a', port: 1 }, { address: 'a', port: 2 }));
    assert.ok(!sameTarget(undefined, undefined));
  });

  test('a malformed description throws SdpError', () => {
    assert.throws(() => retargetSdp('not sdp', ours('1', '1')), SdpError);
  });
});

describe('BypassExchange', () => {
  const start = (): { ex: BypassExchange; a: OriginCounter; b: OriginCounter } => {
    const a = new OriginCounter(ours('100', '5'));
    const b = new OriginCounter(ours('200', '7'));
    return { ex: new BypassExchange({ aOrigin: a, bOrigin: b, bDescription: sdp('bob', '192.0.2.20', 7000) }), a, b };
  };

  test('A gets B\'s description, B gets A\'s answer, done when B answers what A was offered', () => {
    const { ex, a, b } = start();
    const first = ex.start();
    assert.equal(first.kind, 'offer');
    assert.ok(first.kind === 'offer');
    assert.equal(first.to, 'a');
    const toA = parseSdp(first.sdp);
    assert.equal(toA.origin.sessionId, '100');
    assert.equal(toA.origin.sessionVersion, '6');
    assert.deepEqual(mediaTargetOf(toA), { address: '192.0.2.20', port: 7000 });

    const second = ex.answer('a', sdp('alice', '192.0.2.10', 6000));
    assert.ok(second.kind === 'offer');
    assert.equal(second.to, 'b');
    const toB = parseSdp(second.sdp);
    assert.equal(toB.origin.sessionId, '200');
    assert.equal(toB.origin.sessionVersion, '8');
    assert.deepEqual(mediaTargetOf(toB), { address: '192.0.2.10', port: 6000 });

    const end = ex.answer('b', sdp('bob', '192.0.2.20', 7000));
    assert.deepEqual(end, { kind: 'done', a: { address: '192.0.2.10', port: 6000 }, b: { address: '192.0.2.20', port: 7000 } });
    assert.equal(ex.phase, 'done');
    assert.equal(a.current.sessionVersion, '6');
    assert.equal(b.current.sessionVersion, '8');
  });

  for (const [what, answer] of [
    ['another port', sdp('bob', '192.0.2.20', 7002)],
    ['another address', sdp('bob', '192.0.2.21', 7000)],
    ['another format list', sdp('bob', '192.0.2.20', 7000, '8 101')],
  ] as const) {
    test(`B answering with ${what}: A is offered B's answer once more`, () => {
      const { ex } = start();
      ex.start();
      ex.answer('a', sdp('alice', '192.0.2.10', 6000));
      const again = ex.answer('b', answer);
      assert.ok(again.kind === 'offer');
      assert.equal(again.to, 'a');
      const toA = parseSdp(again.sdp);
      assert.equal(toA.origin.sessionVersion, '7');
      assert.deepEqual(mediaTargetOf(toA), mediaTargetOf(answer));
      const end = ex.answer('a', sdp('alice', '192.0.2.10', 6000));
      assert.equal(end.kind, 'done');
      assert.ok(end.kind === 'done');
      assert.deepEqual(end.b, mediaTargetOf(answer));
    });
  }

  test('answers out of turn are refused; a started exchange cannot start again', () => {
    const { ex } = start();
    assert.throws(() => ex.answer('a', sdp('alice', '192.0.2.10', 6000)), /unexpected answer/);
    ex.start();
    assert.throws(() => ex.start(), /already started/);
    assert.throws(() => ex.answer('b', sdp('bob', '192.0.2.20', 7000)), /unexpected answer from b/);
    assert.throws(() => ex.answer('a', 'garbage'), SdpError);
    assert.equal(ex.phase, 'offered-a', 'a bad answer leaves the phase');
  });
});

describe('media path states', () => {
  const table: [MediaPathState, MediaPathEvent, MediaPathState | undefined][] = [
    ['anchored', 'bypass', 'bypassing'],
    ['anchored', 'anchor', undefined],
    ['anchored', 'relay', undefined],
    ['bypassing', 'done', 'bypassed'],
    ['bypassing', 'failed', 'anchored'],
    ['bypassing', 'anchor', undefined],
    ['bypassing', 'relay', undefined],
    ['bypassed', 'relay', 'relaying'],
    ['bypassed', 'anchor', 'anchoring'],
    ['bypassed', 'bypass', undefined],
    ['relaying', 'done', 'bypassed'],
    ['relaying', 'failed', 'bypassed'],
    ['relaying', 'anchor', undefined],
    ['anchoring', 'done', 'anchored'],
    ['anchoring', 'failed', 'anchored'],
    ['anchoring', 'relay', undefined],
  ];
  for (const [from, event, to] of table) {
    test(`${from} + ${event} -> ${to ?? 'refused'}`, () => {
      assert.equal(nextPathState(from, event), to);
    });
  }
});
