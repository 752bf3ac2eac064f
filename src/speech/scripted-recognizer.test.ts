import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedRecognizer, SpeechError, type RecognitionResult } from './index.ts';

const RATE = 8000;

function tone(ms: number, amplitude = 6000): Int16Array {
  const n = (ms * RATE) / 1000;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 300 * i) / RATE));
  return out;
}

const silence = (ms: number) => new Int16Array((ms * RATE) / 1000);

/** Feeds audio in 20 ms frames, as the media clock would. */
function feed(write: (pcm: Int16Array) => void, pcm: Int16Array): void {
  for (let off = 0; off < pcm.length; off += 160) write(pcm.subarray(off, off + 160));
}

describe('ScriptedRecognizer', () => {
  it('reports the scripted transcript after voice then silence, with partials when interim', () => {
    const stt = new ScriptedRecognizer({ script: ['book a car please', 'second'] });
    const s = stt.start({ sampleRate: RATE, language: 'en-GB', interim: true });
    const partials: string[] = [];
    const finals: RecognitionResult[] = [];
    const starts: number[] = [];
    const ends: string[] = [];
    s.on('partial', (r) => partials.push(r.alternatives[0]!.transcript));
    s.on('final', (r) => finals.push(r));
    s.on('speechStart', (e) => starts.push(e.atMs));
    s.on('end', (e) => ends.push(e.reason));
    feed((p) => s.write(p), silence(300));
    feed((p) => s.write(p), tone(1200));
    assert.equal(finals.length, 0, 'nothing final while the voice lasts');
    feed((p) => s.write(p), silence(600));
    assert.deepEqual(starts, [500]);
    assert.deepEqual(partials, ['book', 'book a', 'book a car', 'book a car please']);
    assert.equal(finals.length, 1);
    assert.deepEqual(finals[0], {
      isFinal: true,
      alternatives: [{ transcript: 'book a car please', confidence: 0.9 }],
      language: 'en-GB',
      vendor: 'scripted',
      raw: { transcript: 'book a car please', isFinal: true },
    });
    assert.deepEqual(ends, ['final'], 'single utterance ends the session');
    assert.equal(stt.remaining, 1);
  });

  it('ignores clicks and quiet noise; silence alone recognizes nothing', () => {
    const stt = new ScriptedRecognizer({ script: ['never'] });
    const s = stt.start({ sampleRate: RATE });
    let finals = 0;
    s.on('final', () => finals++);
    feed((p) => s.write(p), tone(100));
    feed((p) => s.write(p), silence(800));
    feed((p) => s.write(p), tone(2000, 200));
    feed((p) => s.write(p), silence(800));
    assert.equal(finals, 0);
    assert.equal(stt.remaining, 1);
  });

  it('continuous mode reports one transcript per utterance; end() finalizes a pending one', () => {
    const stt = new ScriptedRecognizer({ script: ['one', 'two', 'three'] });
    const s = stt.start({ sampleRate: RATE, singleUtterance: false });
    const got: string[] = [];
    let ended = '';
    s.on('final', (r) => got.push(r.alternatives[0]!.transcript));
    s.on('end', (e) => (ended = e.reason));
    for (let i = 0; i < 2; i++) {
      feed((p) => s.write(p), tone(400));
      feed((p) => s.write(p), silence(600));
    }
    feed((p) => s.write(p), tone(400));
    assert.deepEqual(got, ['one', 'two']);
    s.end();
    assert.deepEqual(got, ['one', 'two', 'three']);
    assert.equal(ended, 'ended');
    s.write(tone(400));
    s.close();
    assert.deepEqual(got, ['one', 'two', 'three']);
  });

  it('refuses unusable options and a closed provider', async () => {
    const stt = new ScriptedRecognizer({ script: [] });
    assert.throws(() => stt.start({ sampleRate: 0 }), (e: unknown) => e instanceof SpeechError && e.code === 'SPEECH_REQUEST');
    await stt.close();
    assert.throws(() => stt.start({ sampleRate: RATE }), (e: unknown) => e instanceof SpeechError && e.code === 'SPEECH_CLOSED');
  });
});
