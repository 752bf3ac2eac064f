import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../lib/index.ts';
import { dominantFrequency, readWavFile } from '../../../test/support/wav-analysis.ts';
import { freePort } from '../../../test/support/ports.ts';
import { until } from '../../../test/support/wait.ts';
import type { FeedStopped, MediaSessionConfig } from '../session/index.ts';
import { MediaWorkers } from './media-workers.ts';
import { RemoteRoom } from './remote-room.ts';
import { RemoteSession } from './remote-session.ts';

const pcmu: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};

async function startWorkers(count: number): Promise<MediaWorkers> {
  const low = await freePort('127.0.0.1', 200);
  const portMin = low + (low & 1);
  return MediaWorkers.start({ count, address: '127.0.0.1', portMin, portMax: portMin + 199, prebind: 16, logLevel: 'silent', log: silentLogger() });
}

function linked(workers: MediaWorkers, wi: number): [RemoteSession, RemoteSession] {
  const w = workers.workers[wi]!;
  const a = RemoteSession.open(w, pcmu);
  const b = RemoteSession.open(w, { ...pcmu, remote: { address: '127.0.0.1', port: a.localPort } });
  a.configure({ ...pcmu, remote: { address: '127.0.0.1', port: b.localPort } });
  return [a, b];
}

test('sessions in a worker play, record with a limit, report statistics and close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mw-'));
  const workers = await startWorkers(2);
  try {
    assert.equal(workers.workers.length, 2);
    const [a, b] = linked(workers, 1);
    assert.equal(workers.workers[1]!.placed, 2);
    assert.equal(workers.pick(), workers.workers[0], 'the emptier worker is picked');
    const started = new Promise<void>((r) => a.on('playback.started', () => r()));
    a.play('tone_stream://%(5000,0,600)');
    await started;
    const file = join(dir, 'b.wav');
    const stopped = new Promise<FeedStopped>((r) => b.on('tap.stopped', r));
    b.addTap(file, 'received', { maxDurationMs: 400 });
    const end = await stopped;
    assert.equal(end.limit, 'max-duration');
    assert.equal(end.durationMs, 400);
    assert.equal(dominantFrequency(readWavFile(file).samples, 8000), 600);
    await until('statistics', () => (a.stats()?.localPacketsOut ?? 0) > 10, 5000);
    const closed = new Promise<string>((r) => b.on('closed', (e) => r(e.reason)));
    b.close('hangup');
    assert.equal(await closed, 'hangup');
    assert.equal(b.closed, true);
    assert.ok((b.stats()?.audioPacketsIn ?? 0) > 10, 'the final statistics arrived');
    a.close();
    await until('sessions counted out', () => workers.workers[1]!.placed === 0);
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a room in a worker mixes its members; errors of posted commands never throw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mw-'));
  const workers = await startWorkers(1);
  try {
    const [a, b] = linked(workers, 0);
    const room = new RemoteRoom(workers.workers[0]!);
    const joined: string[] = [];
    room.on('member.joined', (e) => joined.push(e.memberId));
    room.join(a);
    await until('member joined', () => joined.length === 1);
    room.play('tone_stream://%(3000,0,800)');
    const file = join(dir, 'b.wav');
    const stopped = new Promise<FeedStopped>((r) => b.on('tap.stopped', r));
    b.addTap(file, 'received', { maxDurationMs: 300 });
    assert.equal((await stopped).limit, 'max-duration');
    assert.equal(dominantFrequency(readWavFile(file).samples, 8000), 800, 'the room plays to its member, who sends to b');
    await assert.rejects(workers.workers[0]!.call({ op: 'session.echo', sessionId: 'nope', on: true }), /no media session/);
    workers.workers[0]!.post({ op: 'session.echo', sessionId: 'nope', on: true });
    const closed = new Promise<void>((r) => room.on('closed', () => r()));
    room.close();
    await closed;
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a session opened on a port the worker set aside; no ports left is MEDIA_NO_PORT', async () => {
  const low = await freePort('127.0.0.1', 8);
  const portMin = low + (low & 1);
  const workers = await MediaWorkers.start({ count: 1, address: '127.0.0.1', portMin, portMax: portMin + 5, prebind: 3, logLevel: 'silent', log: silentLogger() });
  try {
    const w = workers.workers[0]!;
    const opened = [RemoteSession.open(w, pcmu), RemoteSession.open(w, pcmu), RemoteSession.open(w, pcmu)];
    assert.deepEqual(new Set(opened.map((s) => s.localPort)).size, 3);
    for (const s of opened) assert.ok(s.localPort >= portMin && s.localPort <= portMin + 5);
    assert.throws(() => RemoteSession.open(w, pcmu), (e: unknown) => (e as { code?: string }).code === 'MEDIA_NO_PORT');
    for (const s of opened) s.close();
    await until('closed', () => opened.every((s) => s.closed));
  } finally {
    await workers.close();
  }
});

test('sessions with the same affinity key share a worker; others go to the least loaded', async () => {
  const workers = await startWorkers(2);
  try {
    const first = workers.pick('conf-a');
    const a1 = RemoteSession.open(first, pcmu);
    const again = workers.pick('conf-a');
    assert.equal(again, first, 'the key sticks while its worker has sessions');
    const a2 = RemoteSession.open(again, pcmu);
    const other = workers.pick();
    assert.notEqual(other, first, 'no key: the emptier worker');
    assert.equal(workers.pick('conf-b'), other, 'a new key: the emptier worker');
    for (const s of [a1, a2]) s.close();
    await until('closed', () => first.placed === 0);
  } finally {
    await workers.close();
  }
});
