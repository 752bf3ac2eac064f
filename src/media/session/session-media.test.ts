import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioTap, WavRecorder, encodeWav } from '../sinks/index.ts';
import { openSource, parseWav } from '../sources/index.ts';
import {
  CaptureSink,
  Harness,
  ToneSource,
  dominantFrequency,
  toneShare,
} from '../../../test/support/media-session-harness.ts';

test('echo: every packet that arrives goes back, rewritten into the echoing stream', async () => {
  const h = await Harness.create();
  try {
    const a = h.session({ silence: 'none', probe: true });
    const b = h.session({ probe: true });
    h.connect(a, b);
    await h.run(3); // B sends silence first: the echo continues its stream
    b.echo(true);
    assert.equal(b.mode, 'echo');
    a.play(new ToneSource(700, { durationMs: 600 }));
    a.sendDtmf('9', { durationMs: 60 });
    await h.run(40);
    const sentByA = h.probe(b).filter((p) => p.ssrc === a.port.ssrc);
    // B's own silence (all 0xFF in PCMU) fills in until A's first packet arrives, and after A stops.
    const silence = (p: { payload: Buffer; pt: number }): boolean => p.pt === 0 && p.payload.every((x) => x === 0xff);
    const back = h.probe(a).slice(3).filter((p) => !silence(p));
    assert.equal(b.stats().relayedPacketsOut, sentByA.length, 'every packet went back');
    assert.equal(back.length, sentByA.length);
    for (let i = 0; i < back.length; i++) {
      assert.deepEqual(back[i]!.payload, sentByA[i]!.payload, `packet ${i} echoed unchanged`);
      assert.equal(back[i]!.pt, sentByA[i]!.pt);
      assert.equal(back[i]!.ssrc, b.port.ssrc);
    }
    // After A stopped, B keeps its stream alive with its own silence.
    assert.ok(silence(h.probe(a).at(-1)!));
    const all = h.probe(a);
    for (let i = 1; i < all.length; i++) assert.equal((all[i]!.seq - all[i - 1]!.seq) & 0xffff, 1, 'continuous numbering');
    const first = all.findIndex((p) => !silence(p));
    assert.equal(all[first]!.marker, true, 'the echo starts a talkspurt');
    assert.equal((all[first]!.ts - all[first - 1]!.ts) >>> 0, 160, 'right after the silence it follows');
    b.echo(false);
    assert.equal(b.mode, 'standalone');
  } finally {
    await h.close();
  }
});

test('stereo recording: channel 0 is what the party says, channel 1 what it hears; mono mixes both', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair({ silence: 'none' }, { silence: 'none' });
    const stereo = new CaptureSink();
    const mono = new CaptureSink(16000);
    const sent = new CaptureSink();
    const stopped: string[] = [];
    b.on('recording.stopped', (e) => stopped.push(`${e.id}:${e.reason}`));
    b.on('tap.stopped', (e) => stopped.push(`${e.id}:${e.reason}`));
    const recId = b.record(stereo, { id: 'r1' });
    b.record(mono, { mode: 'mono', id: 'r2' });
    const tapId = b.addTap(sent, 'sent');
    a.play(new ToneSource(600));
    b.play(new ToneSource(1400));
    await h.run(40);
    assert.equal(recId, 'r1');
    assert.ok(b.stopRecording('r1'));
    assert.ok(b.stopRecording('r2'));
    assert.ok(b.removeTap(tapId));
    assert.equal(b.stopRecording('r1'), false);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(stopped.sort(), ['r1:stopped', 'r2:stopped', `${tapId}:stopped`].sort());
    const said = stereo.samples(0).subarray(8 * 160);
    const heard = stereo.samples(1).subarray(8 * 160);
    assert.equal(said.length, heard.length);
    assert.equal(dominantFrequency(said, 8000), 600);
    assert.equal(dominantFrequency(heard, 8000), 1400);
    assert.ok(toneShare(said, 8000, 1400) < 0.01, 'no crosstalk into channel 0');
    assert.ok(toneShare(heard, 8000, 600) < 0.01, 'no crosstalk into channel 1');
    const both = mono.samples().subarray(16 * 160);
    assert.ok(toneShare(both, 16000, 600) > 0.3 && toneShare(both, 16000, 1400) > 0.3, 'mono holds both parties at 16 kHz');
    assert.equal(dominantFrequency(sent.samples(), 8000), 1400);
  } finally {
    await h.close();
  }
});

test('a sink that throws is dropped with an error, the session goes on', async () => {
  const h = await Harness.create();
  try {
    const [a, b] = h.pair();
    const errors: string[] = [];
    b.on('tap.stopped', (e) => errors.push(`${e.reason}:${e.error ?? ''}`));
    b.addTap(
      {
        sampleRate: 8000,
        write: () => {
          throw new Error('disk full');
        },
        close: async () => {},
      },
      'received',
    );
    a.play(new ToneSource(500));
    await h.run(5);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(errors, ['error:disk full']);
    assert.equal(b.stats().audioPacketsIn, 5);
  } finally {
    await h.close();
  }
});

test('interop with media/sources and media/sinks: a WAV prompt played, a stereo WAV recorded', async () => {
  const h = await Harness.create();
  const dir = await mkdtemp(join(tmpdir(), 'session-wav-'));
  try {
    const [a, b] = h.pair({ silence: 'none' }, { silence: 'none' });
    const prompt = new Int16Array(16000 * 0.6);
    for (let i = 0; i < prompt.length; i++) prompt[i] = Math.round(6000 * Math.sin((2 * Math.PI * 900 * i) / 16000));
    await writeFile(join(dir, 'prompt.wav'), encodeWav(prompt, 16000));
    const source = await openSource(join(dir, 'prompt.wav'), { sampleRate: 16000 });
    const finished: string[] = [];
    a.on('playback.stopped', (e) => finished.push(e.reason));
    a.play(source);
    const path = join(dir, 'call.wav');
    const recorder = new WavRecorder({ path, sampleRate: 8000, channels: 2 });
    b.record(recorder, { id: 'wav' });
    b.play(new ToneSource(2000));
    // A mixing tap fed one direction gets it at once (channel 1 comes silent, nothing waits for it).
    let tapped = 0;
    b.addTap(new AudioTap({ sampleRate: 8000, onFrame: (f) => (tapped += f.length) }), 'sent');
    const done = new Promise<string>((resolve) => b.on('recording.stopped', (e) => resolve(e.reason)));
    await h.run(40);
    assert.equal(tapped, 40 * 160);
    assert.deepEqual(finished, ['finished']);
    b.stopRecording('wav');
    assert.equal(await done, 'stopped');
    const bytes = await readFile(path);
    const info = parseWav(bytes);
    assert.equal(info.channels, 2);
    assert.equal(info.sampleRate, 8000);
    const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + info.dataOffset, bytes.byteOffset + info.dataOffset + info.dataLength));
    const left = pcm.filter((_, i) => i % 2 === 0);
    const right = pcm.filter((_, i) => i % 2 === 1);
    assert.equal(dominantFrequency(left.subarray(5 * 160, 30 * 160), 8000), 900, 'left: what B heard from A (the 16 kHz prompt)');
    assert.equal(dominantFrequency(right, 8000), 2000, 'right: what B sent');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await h.close();
  }
});
