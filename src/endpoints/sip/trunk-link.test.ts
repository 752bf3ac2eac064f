import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../lib/index.ts';
import { MediaWorkers, RemoteSession, type FeedStopped, type MediaSessionConfig, type MediaWorker } from '../../media/index.ts';
import { dominantFrequency, readWavFile } from '../../../test/support/wav-analysis.ts';
import { freePort } from '../../../test/support/ports.ts';
import { until } from '../../../test/support/wait.ts';
import { linkSessions } from './trunk-link.ts';

const pcmu: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};
const pcma: MediaSessionConfig = { ...pcmu, codec: { name: 'PCMA', pt: 8, clockRate: 8000, sampleRate: 8000, channels: 1 } };

/** A leg in `w` and the phone it talks to (another session of the same worker), each sending to the other. */
function legWithPhone(w: MediaWorker, config: MediaSessionConfig): { leg: RemoteSession; phone: RemoteSession } {
  const leg = RemoteSession.open(w, config);
  const phone = RemoteSession.open(w, { ...config, remote: { address: '127.0.0.1', port: leg.localPort } });
  leg.configure({ ...config, remote: { address: '127.0.0.1', port: phone.localPort } });
  return { leg, phone };
}

async function heard(phone: RemoteSession, file: string): Promise<number> {
  const stopped = new Promise<FeedStopped>((r) => phone.on('tap.stopped', r));
  phone.addTap(file, 'received', { maxDurationMs: 400 });
  assert.equal((await stopped).limit, 'max-duration');
  return dominantFrequency(readWavFile(file).samples, 8000);
}

test('legs of two media workers are linked through an RTP trunk, both ways, transcoding on the far side', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-trunk-'));
  const low = await freePort('127.0.0.1', 100);
  const portMin = low + (low & 1);
  const workers = await MediaWorkers.start({ count: 2, address: '127.0.0.1', portMin, portMax: portMin + 99, prebind: 12, logLevel: 'silent', log: silentLogger() });
  try {
    const [w0, w1] = workers.workers as [MediaWorker, MediaWorker];
    const a = legWithPhone(w0, pcmu);
    const b = legWithPhone(w1, pcma);
    const link = linkSessions(a.leg, b.leg);
    assert.equal(link.mode, 'transcode');
    assert.equal(w0.placed, 3, 'leg, phone and the near trunk end');
    assert.equal(w1.placed, 3);
    a.phone.play('tone_stream://%(5000,0,700)');
    b.phone.play('tone_stream://%(5000,0,1100)');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await heard(b.phone, join(dir, 'b.wav')), 700, 'B hears what A says');
    assert.equal(await heard(a.phone, join(dir, 'a.wav')), 1100, 'A hears what B says');
    link.close();
    link.close();
    await until('trunk ends closed', () => w0.placed === 2 && w1.placed === 2);
    for (const s of [a.leg, a.phone, b.leg, b.phone]) s.close();
    await until('all closed', () => w0.placed === 0 && w1.placed === 0);
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
