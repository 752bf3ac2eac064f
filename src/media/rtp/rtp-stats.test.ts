import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampCumulativeLost, fractionLost, RtpReceiveStats, updateJitter } from './rtp-stats.ts';

test('A.3 fraction lost in 1/256 units', () => {
  const cases: [number, number, number][] = [
    [100, 100, 0],
    [100, 75, 64],
    [100, 0, 256 - 1], // saturates to 255
    [0, 0, 0],
    [10, 12, 0], // duplicates: negative loss reports 0
    [3, 2, 85],
  ];
  for (const [exp, rec, f] of cases) assert.equal(fractionLost(exp, rec), f, `${exp}/${rec}`);
  assert.equal(clampCumulativeLost(2 ** 30), 0x7fffff);
  assert.equal(clampCumulativeLost(-(2 ** 30)), -0x800000);
});

test('A.8 jitter: constant spacing gives 0; alternating 10 ms delays converge to ~80 ts units', () => {
  const steady = new RtpReceiveStats(8000);
  for (let i = 0; i < 100; i++) steady.onPacket(i, i * 160, 1000 + i * 20, 160);
  assert.equal(steady.jitter, 0);
  const alt = new RtpReceiveStats(8000);
  for (let i = 0; i < 500; i++) alt.onPacket(i, i * 160, 1000 + i * 20 + (i % 2) * 10, 160);
  // |D| is 10 ms = 80 units on every packet: J converges to 80.
  assert.ok(Math.abs(alt.jitter - 80) < 0.5, String(alt.jitter));
  assert.ok(Math.abs(alt.jitterMs - 10) < 0.1);
  assert.equal(updateJitter(0, -16), 1);
});

test('A.8 jitter is unaffected by a timestamp wrap', () => {
  const s = new RtpReceiveStats(8000, 1);
  for (let i = 0; i < 50; i++) s.onPacket(i, (0xffffff00 + i * 160) >>> 0, i * 20, 160);
  assert.equal(s.jitter, 0);
});

test('report block: interval loss, cumulative loss, extended seq, LSR/DLSR', () => {
  const s = new RtpReceiveStats(8000);
  s.reset(0xabc);
  // 10 packets, two of them (seq 4 and 7) lost.
  for (let seq = 0; seq < 12; seq++) if (seq !== 4 && seq !== 7) s.onPacket(seq, seq * 160, seq * 20, 160);
  s.onSenderReport(0x12345678, 1000);
  const b1 = s.reportBlock(1500);
  assert.equal(b1.ssrc, 0xabc);
  // Probation consumed seq 0; from seq 1: expected 11, received 9.
  assert.equal(b1.cumulativeLost, 2);
  assert.equal(b1.fractionLost, Math.floor((2 * 256) / 11));
  assert.equal(b1.extendedHighestSeq, 11);
  assert.equal(b1.lastSr, 0x12345678);
  assert.equal(b1.delaySinceLastSr, 0x8000); // 0.5 s in 1/65536 s
  for (let seq = 12; seq < 22; seq++) s.onPacket(seq, seq * 160, seq * 20, 160);
  const b2 = s.reportBlock(2000);
  assert.equal(b2.fractionLost, 0, 'no loss in the second interval');
  assert.equal(b2.cumulativeLost, 2);
  assert.equal(s.packets, 19);
  assert.equal(s.octets, 19 * 160);
});

test('stats restart with the source: bad jump then restart', () => {
  const s = new RtpReceiveStats(8000);
  for (let seq = 0; seq < 5; seq++) s.onPacket(seq, seq * 160, seq * 20, 160);
  assert.equal(s.onPacket(40000, 0, 100, 160), 'bad');
  assert.equal(s.onPacket(40001, 160, 120, 160), 'restart');
  assert.equal(s.cumulativeLost, 0);
  assert.equal(s.valid, true);
});

test('A.8 jitter across a clock rate change (PCMU -> Opus): converted to the new unit, no spike from the switch', () => {
  const s = new RtpReceiveStats(8000, 1);
  for (let i = 0; i < 200; i++) s.onPacket(i, i * 160, 1000 + i * 20 + (i % 2) * 10, 160);
  const ms = s.jitterMs;
  assert.ok(Math.abs(ms - 10) < 0.2, String(ms));
  s.setClockRate(48000);
  assert.equal(s.clockRate, 48000);
  assert.ok(Math.abs(s.jitterMs - ms) < 1e-9, 'the same jitter in ms');
  // The far end goes on at 48 kHz from an unrelated timestamp: steady 20 ms spacing decays the jitter.
  const base = 123_456_789;
  for (let i = 0; i < 200; i++) s.onPacket(200 + i, base + i * 960, 1000 + (200 + i) * 20, 80);
  assert.ok(s.jitterMs < ms, `jitter ${s.jitterMs} ms did not jump`);
  const steady = new RtpReceiveStats(8000, 1);
  for (let i = 0; i < 50; i++) steady.onPacket(i, i * 160, i * 20, 160);
  steady.setClockRate(48000);
  for (let i = 50; i < 100; i++) steady.onPacket(i, 999 + i * 960, i * 20, 80);
  assert.equal(steady.jitter, 0, 'steady streams on both sides of the switch give zero jitter');
});
