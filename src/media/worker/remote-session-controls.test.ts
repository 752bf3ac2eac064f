import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../lib/index.ts';
import { readWavFile } from '../../../test/support/wav-analysis.ts';
import { toneShare } from '../../../test/support/media-session-harness.ts';
import { freePort } from '../../../test/support/ports.ts';
import type { FeedStopped, MediaSessionConfig } from '../session/index.ts';
import { MediaWorkers } from './media-workers.ts';
import { RemoteSession } from './remote-session.ts';

const pcmu: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};

test('a session in a worker: overlay tracks mix over a prompt, are silenced by command; mute silences what it receives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mw-'));
  const low = await freePort('127.0.0.1', 100);
  const portMin = low + (low & 1);
  const workers = await MediaWorkers.start({ count: 1, address: '127.0.0.1', portMin, portMax: portMin + 99, prebind: 8, logLevel: 'silent', log: silentLogger() });
  try {
    const w = workers.workers[0]!;
    const a = RemoteSession.open(w, pcmu);
    const b = RemoteSession.open(w, { ...pcmu, remote: { address: '127.0.0.1', port: a.localPort } });
    a.configure({ ...pcmu, remote: { address: '127.0.0.1', port: b.localPort } });
    const record = async (name: string): Promise<Int16Array> => {
      const file = join(dir, name);
      const stopped = new Promise<FeedStopped>((r) => b.on('tap.stopped', r));
      b.addTap(file, 'received', { maxDurationMs: 400 });
      await stopped;
      return readWavFile(file).samples.subarray(800);
    };
    const events: string[] = [];
    a.on('playback.started', (e) => events.push(`start ${e.id}`));
    a.on('playback.stopped', (e) => events.push(`stop ${e.id} ${e.reason}`));
    a.play('tone_stream://%(10000,0,500)');
    const track = a.playOverlay('bg', 'tone_stream://%(10000,0,1500)', { loop: 0, gainDb: -3 });
    const both = await record('both.wav');
    assert.ok(toneShare(both, 8000, 500) > 0.2 && toneShare(both, 8000, 1500) > 0.1, 'the prompt and the track are heard');
    assert.ok(events.includes(`start ${track}`));
    a.silenceOverlay('bg');
    const prompt = await record('prompt.wav');
    assert.ok(toneShare(prompt, 8000, 1500) < 0.01 && toneShare(prompt, 8000, 500) > 0.5, 'the track is silenced');
    assert.ok(events.includes(`stop ${track} stopped`));
    a.removeOverlay('bg');
    b.setMuted(true);
    const muted = await record('muted.wav');
    assert.ok(muted.every((v) => v === 0), 'muted: what b receives is silence for its taps');
    b.setMuted(false);
    assert.ok(toneShare(await record('unmuted.wav'), 8000, 500) > 0.5);
    a.close();
    b.close();
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
