import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TypedEmitter, silentLogger } from '../../lib/index.ts';
import type { AudioSink, AudioSource, MediaSessionEvents } from '../../media/index.ts';
import { readWavFile } from '../../../test/support/wav-analysis.ts';
import { startPlayback, startRecording, type PlayTarget } from './media-operations.ts';

const log = silentLogger();

/** A target in this thread that records what it was asked and emits what the test says. */
class FakeTarget extends TypedEmitter<MediaSessionEvents> implements PlayTarget {
  readonly sampleRate = 8000;
  closed = false;
  readonly played: AudioSource[] = [];
  readonly stopped: string[] = [];
  readonly sinks = new Map<string, AudioSink>();
  readonly removed: string[] = [];

  play(source: AudioSource): string {
    if (this.closed) throw new Error('closed');
    this.played.push(source);
    return `pb-${this.played.length}`;
  }

  stopPlayback(id: string): boolean {
    this.stopped.push(id);
    return true;
  }

  add(sink: AudioSink): string {
    const id = `rec-${this.sinks.size + 1}`;
    this.sinks.set(id, sink);
    return id;
  }

  /** Removes a feed as a session does: its sink closes, then the stop event follows. */
  remove(id: string, reason: 'stopped' | 'closed' = 'stopped'): void {
    const sink = this.sinks.get(id);
    if (!sink) return;
    this.sinks.delete(id);
    this.removed.push(id);
    void sink.close().then(() => this.emit('recording.stopped', { id, reason }));
  }
}

test('a spec string is opened and played through the target, and its outcome follows the target events', async () => {
  const t = new FakeTarget();
  const p = startPlayback(t, 'silence_stream://500', { loops: 2, offsetSamples: 400 }, {}, log);
  for (let i = 0; i < 50 && t.played.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(t.played.length, 1);
  t.emit('playback.started', { id: 'pb-1' });
  t.emit('playback.stopped', { id: 'pb-1', reason: 'finished' });
  const outcome = await p.done;
  assert.equal(outcome.status, 'done');
  assert.equal(outcome.offsetSamples! >= 400, true, 'ends at or after where it started');
});

test('a source that cannot be opened fails; a playback stopped while opening never plays', async () => {
  const t = new FakeTarget();
  const bad = await startPlayback(t, join(tmpdir(), 'sb-no-such-file.wav'), {}, {}, log).done;
  assert.equal(bad.status, 'failed');
  assert.match(bad.error ?? '', /./);
  const early = startPlayback(t, 'silence_stream://500', {}, {}, log);
  early.stop();
  assert.deepEqual(await early.done, { status: 'stopped', durationMs: 0 });
  t.closed = true;
  assert.deepEqual(await startPlayback(t, 'silence_stream://500', {}, {}, log).done, { status: 'stopped', durationMs: 0 });
  assert.equal(t.played.length, 0);
});

test('a recording stops itself at its time limit and reports the length written to its WAV file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-media-ops-'));
  try {
    const t = new FakeTarget();
    const path = join(dir, 'limit.wav');
    const rec = startRecording(path, 8000, 1, { maxDurationMs: 100 }, { events: t, feed: 'recording.stopped', add: (s) => t.add(s), remove: (id) => t.remove(id) }, log);
    const sink = t.sinks.get('rec-1');
    assert.ok(sink);
    const frame = new Int16Array(160).fill(1000);
    for (let i = 0; i < 10; i++) sink.write(frame, 0);
    const outcome = await rec.done;
    assert.deepEqual(outcome, { status: 'done', reason: 'max-duration', durationMs: 100, samples: 800 });
    assert.deepEqual(t.removed, ['rec-1']);
    assert.equal(readWavFile(path).samples.length, 800);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recording stops after silence once something was heard; a stop asked for, or a hangup, is its reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-media-ops-'));
  try {
    const t = new FakeTarget();
    const target = { events: t, feed: 'recording.stopped' as const, add: (s: AudioSink) => t.add(s), remove: (id: string) => t.remove(id) };
    const quiet = startRecording(join(dir, 'quiet.wav'), 8000, 1, { silenceTimeoutMs: 200 }, target, log);
    const sink = t.sinks.get('rec-1')!;
    const silence = new Int16Array(160);
    for (let i = 0; i < 20; i++) sink.write(silence, 0);
    sink.write(new Int16Array(160).fill(3000), 0);
    for (let i = 0; i < 20; i++) sink.write(silence, 0);
    assert.deepEqual(await quiet.done, { status: 'done', reason: 'silence', durationMs: 620, samples: 4960 });

    const asked = startRecording(join(dir, 'asked.wav'), 8000, 1, {}, target, log);
    asked.stop();
    assert.deepEqual(await asked.done, { status: 'stopped', reason: 'stopped', durationMs: 0, samples: 0 });

    const hangup = startRecording(join(dir, 'hangup.wav'), 8000, 1, {}, target, log);
    const id = [...t.sinks.keys()].at(-1)!;
    t.remove(id, 'closed');
    assert.equal((await hangup.done).reason, 'hangup');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a recording whose file cannot be written fails with the file error', async () => {
  const t = new FakeTarget();
  const rec = startRecording(join(tmpdir(), 'sb-no-such-dir', 'x', 'y.wav'), 8000, 1, {}, {
    events: t, feed: 'recording.stopped', add: (s) => t.add(s), remove: (id) => t.remove(id),
  }, log);
  // The file is created asynchronously; its failure is known by the time the sink has closed.
  rec.stop();
  const outcome = await rec.done;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error ?? '', /cannot create/);
});
