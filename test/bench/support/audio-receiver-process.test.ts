/**
 * The listen benchmark's receiver, as the benchmark runs it (a child process on loopback): metadata
 * frames checked, binary frames counted per stream, a silent stream's missing audio, an unknown
 * subprotocol refused, close() idempotent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { AudioReceiverProcess } from './audio-receiver-process.ts';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function connect(port: number, protocol = 'audio.jambonz.org'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/listen`, [protocol]);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('audio receiver process', () => {
  let receiver: AudioReceiverProcess;
  before(async () => {
    receiver = await AudioReceiverProcess.start();
  });
  after(async () => {
    await receiver.close();
    await receiver.close();
  });

  test('counts streams and frames, checks metadata, sees a silent stream as missing audio', async () => {
    const from = now() + 800; // time for the three connections, even on a busy machine
    receiver.window({ fromMs: from, toMs: from + 400, sampleRate: 8000, gapMs: 60, toleranceMs: 40 });
    await sleep(50);
    const good = await connect(receiver.port);
    const bad = await connect(receiver.port, 'audio.drachtio.org');
    const silent = await connect(receiver.port);
    good.send(JSON.stringify({ sampleRate: 8000, mixType: 'mono', callSid: 'c1' }));
    bad.send('{not json');
    silent.send(JSON.stringify({ sampleRate: 8000, mixType: 'mono', callSid: 'c3' }));
    const frame = Buffer.alloc(320);
    for (let i = 0; i < 100 && now() < from + 500; i++) {
      good.send(frame);
      bad.send(frame);
      await sleep(20);
    }
    await sleep(Math.max(0, from + 450 - now()));
    const r = await receiver.report();
    for (const ws of [good, bad, silent]) ws.close();
    assert.equal(r.connections, 3);
    assert.deepEqual(r.metadata, { ok: 2, bad: 1, missing: 0 });
    assert.ok(r.gaps);
    assert.equal(r.gaps.complete, 3);
    assert.equal(r.gaps.streams, 2);
    assert.ok(r.gaps.frames > 0);
    assert.equal(r.gaps.bytes, r.gaps.frames * 320);
    // The silent stream lacks the whole window (less the tolerance).
    assert.ok(r.gaps.missingAudioMs >= 360, `missing ${r.gaps.missingAudioMs}`);
    assert.ok(r.gaps.streamsShort >= 1);
  });

  test('a connection offering no audio subprotocol is refused', async () => {
    await assert.rejects(connect(receiver.port, 'chat'));
  });
});
