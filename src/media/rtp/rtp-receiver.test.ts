import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpPacketView, serializeRtpPacket } from './rtp-packet.ts';
import { RtpReceiver, type RtpReceiveVerdict } from './rtp-receiver.ts';

function packet(ssrc: number, seq: number): RtpPacketView {
  const buf = Buffer.alloc(32);
  const n = serializeRtpPacket(buf, { marker: false, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc }, Buffer.alloc(4));
  const v = new RtpPacketView();
  v.parse(buf, n);
  return v;
}

function run(r: RtpReceiver, packets: [number, number][]): RtpReceiveVerdict[] {
  return packets.map(([ssrc, seq], i) => r.receive(packet(ssrc, seq), i * 20));
}

test('SSRC change detection', () => {
  const cases: { name: string; opts?: { switchAfter?: number; expectedSsrc?: number }; input: [number, number][]; verdicts: RtpReceiveVerdict[]; ssrc: number; changes: number }[] = [
    {
      name: 'one source',
      input: [[1, 10], [1, 11], [1, 12]],
      verdicts: ['probation', 'valid', 'valid'],
      ssrc: 1,
      changes: 0,
    },
    {
      name: 'new SSRC adopted after two consecutive packets',
      input: [[1, 10], [1, 11], [2, 500], [2, 501], [2, 502]],
      verdicts: ['probation', 'valid', 'foreign', 'ssrc-change', 'valid'],
      ssrc: 2,
      changes: 1,
    },
    {
      name: 'a stray interleaved stream never takes over',
      input: [[1, 10], [1, 11], [2, 500], [1, 12], [2, 501], [1, 13]],
      verdicts: ['probation', 'valid', 'foreign', 'valid', 'foreign', 'valid'],
      ssrc: 1,
      changes: 0,
    },
    {
      name: 'switchAfter 1: immediate',
      opts: { switchAfter: 1 },
      input: [[1, 10], [1, 11], [2, 500], [2, 501]],
      verdicts: ['probation', 'valid', 'ssrc-change', 'valid'],
      ssrc: 2,
      changes: 1,
    },
    {
      name: 'the announced SSRC is adopted on its first packet',
      opts: { expectedSsrc: 7 },
      input: [[1, 10], [1, 11], [7, 3], [7, 4]],
      verdicts: ['probation', 'valid', 'ssrc-change', 'valid'],
      ssrc: 7,
      changes: 1,
    },
  ];
  for (const c of cases) {
    const r = new RtpReceiver({ clockRate: 8000, ...c.opts });
    assert.deepEqual(run(r, c.input), c.verdicts, c.name);
    assert.equal(r.ssrc, c.ssrc, c.name);
    assert.equal(r.ssrcChanges, c.changes, c.name);
    assert.equal(r.stats.ssrc, c.ssrc, c.name);
  }
});

test('loss is carried over SSRC changes and resets', () => {
  const r = new RtpReceiver({ clockRate: 8000, switchAfter: 1 });
  run(r, [[1, 1], [1, 2], [1, 5], [2, 100], [2, 101], [2, 103]]);
  assert.equal(r.lostTotal, 2 + 1);
  r.reset();
  assert.equal(r.ssrc, undefined);
  assert.equal(r.lostTotal, 3);
});
