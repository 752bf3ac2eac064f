import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../lib/index.ts';
import { dominantFrequency } from '../../../test/support/wav-analysis.ts';
import { freePort } from '../../../test/support/ports.ts';
import { until } from '../../../test/support/wait.ts';
import type { MediaSessionConfig } from '../session/index.ts';
import { MediaWorkers } from './media-workers.ts';
import { RemoteSession } from './remote-session.ts';

const pcmu: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};

const joined = (chunks: Int16Array[]): Int16Array => {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

test('taps of sessions in a worker: chunks of the asked length and rate, in order, the last one before the tap ends', async () => {
  const low = await freePort('127.0.0.1', 40);
  const portMin = low + (low & 1);
  const workers = await MediaWorkers.start({ count: 1, address: '127.0.0.1', portMin, portMax: portMin + 39, prebind: 8, logLevel: 'silent', log: silentLogger() });
  try {
    const w = workers.workers[0]!;
    const a = RemoteSession.open(w, pcmu);
    const b = RemoteSession.open(w, { ...pcmu, remote: { address: '127.0.0.1', port: a.localPort } });
    const c = RemoteSession.open(w, pcmu);
    a.configure({ ...pcmu, remote: { address: '127.0.0.1', port: b.localPort } });
    c.configure({ ...pcmu, remote: { address: '127.0.0.1', port: c.localPort } });
    a.play('tone_stream://%(5000,0,600)');
    c.play('tone_stream://%(5000,0,1000)');
    const short: Int16Array[] = [];
    const long: Int16Array[] = [];
    const other: Int16Array[] = [];
    const shared: Int16Array[] = [];
    let shortEnded = -1;
    const tShort = b.tapChunks('received', { rate: 8000, channels: 1, chunkMs: 20 }, (pcm) => short.push(pcm), () => { shortEnded = short.length; });
    const tLong = b.tapChunks('received', { rate: 16000, channels: 1, chunkMs: 100 }, (pcm) => long.push(pcm), () => {});
    const tOther = c.tapChunks('sent', { rate: 8000, channels: 1, chunkMs: 20 }, (pcm) => other.push(pcm), () => {});
    const tShared = b.tapChunks('received', { rate: 8000, channels: 1, chunkMs: 20, sharedChunks: true }, (pcm) => shared.push(pcm), () => {});
    await until('a second of the short tap', () => short.length >= 50, 5000);
    tShared.stop();
    tShort.stop();
    await until('the short tap ended', () => shortEnded >= 0, 3000);
    assert.equal(shortEnded, short.length, 'no chunk after the tap ended');
    assert.ok(short.slice(0, -1).every((p) => p.length === 160), '20 ms at 8 kHz');
    assert.ok(long.slice(0, -1).every((p) => p.length === 1600), '100 ms at 16 kHz');
    assert.ok(other.every((p) => p.length === 160));
    assert.equal(dominantFrequency(joined(short.slice(10)), 8000), 600, 'b hears a');
    assert.equal(dominantFrequency(joined(long.slice(2)), 16000), 600);
    assert.equal(dominantFrequency(joined(other.slice(10)), 8000), 1000, 'a tap of another session gets its own audio');
    assert.ok(shared.length >= 40 && shared.slice(0, -1).every((p) => p.length === 160));
    assert.equal(dominantFrequency(joined(shared.slice(10)), 8000), 600);
    assert.ok(shared.slice(0, -1).every((p) => p.buffer.byteLength > p.byteLength), 'shared chunks are views into the batch of every tap');
    assert.equal(new Set([...short, ...long, ...other].map((p) => p.buffer)).size, short.length + long.length + other.length, 'every chunk has its own buffer');
    const counted = short.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(short.length, counted, 'nothing more after the end');
    tLong.stop();
    tOther.stop();
    for (const s of [a, b, c]) s.close();
    await until('closed', () => [a, b, c].every((s) => s.closed), 3000);
  } finally {
    await workers.close();
  }
});
