/**
 * detect_speech / play_and_detect_speech and the DETECTED_SPEECH events (specs/esl.md §6, §4.4) over a
 * scripted recognizer and a media double that taps audio.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TypedEmitter, silentLogger } from '../../../lib/index.ts';
import type { AudioChunk, AudioTapOptions, MediaAudioTap } from '../../../core/index.ts';
import { FakeDriver, FakeMedia, createHarness } from '../../../core/testing/index.ts';
import { eventHeader } from '../esl-event.ts';
import { SpeechDetection, type SpeechRecognizerLike, type SpeechResultLike, type SpeechSessionLike } from '../speech-detection.ts';
import { detectSpeechApp, parseDetectSpeech, parsePlayAndDetect, playAndDetectSpeechApp } from './detect-speech-apps.ts';
import { kit } from './test-support.ts';

class TapMedia extends FakeMedia {
  taps: { options: AudioTapOptions; onAudio: (c: AudioChunk) => void; stopped: boolean }[] = [];
  tapAudio(options: AudioTapOptions, onAudio: (c: AudioChunk) => void): MediaAudioTap {
    const tap = { options, onAudio, stopped: false };
    this.taps.push(tap);
    return { sampleRate: 16_000, channels: 1, done: Promise.resolve(), stop: () => { tap.stopped = true; } };
  }
}

type SessionEvents = { partial: SpeechResultLike; final: SpeechResultLike; speechStart: { atMs: number }; error: Error; end: { reason: string } };

class ScriptSession {
  readonly events = new TypedEmitter<SessionEvents>();
  written = 0;
  closed = false;
  write(pcm: Int16Array): void { this.written += pcm.length; }
  on(event: keyof SessionEvents, listener: (p: never) => void): () => void {
    return this.events.on(event, listener as (p: unknown) => void);
  }
  close(): void { this.closed = true; }
}

class ScriptRecognizer implements SpeechRecognizerLike {
  readonly vendor = 'script';
  readonly sessions: ScriptSession[] = [];
  readonly starts: object[] = [];
  start(options: { sampleRate: number }): SpeechSessionLike {
    this.starts.push(options);
    const s = new ScriptSession();
    this.sessions.push(s);
    return s as unknown as SpeechSessionLike;
  }
}

const result = (text: string, isFinal = true): SpeechResultLike => ({ isFinal, alternatives: [{ transcript: text, confidence: 0.9 }] });

async function speechKit(recognizer: SpeechRecognizerLike | undefined) {
  const k = kit(createHarness(), () => new FakeDriver(), () => new TapMedia());
  const detection = new SpeechDetection(recognizer, k.hub, silentLogger());
  k.runner.define('detect_speech', detectSpeechApp(detection));
  k.runner.define('play_and_detect_speech', playAndDetectSpeechApp(detection));
  const speech = () => k.events.filter((e) => eventHeader(e, 'Event-Name') === 'DETECTED_SPEECH');
  return { ...k, detection, speech };
}

describe('detect_speech arguments', () => {
  it('reads actions and the start form', () => {
    assert.deepEqual(parseDetectSpeech('unimrcp yesno builtin:grammar/boolean'), { kind: 'start', engine: 'unimrcp', grammar: 'yesno', path: 'builtin:grammar/boolean' });
    assert.deepEqual(parseDetectSpeech('PAUSE'), { kind: 'pause' });
    assert.deepEqual(parseDetectSpeech('grammaron yesno'), { kind: 'noop', action: 'grammaron' });
    assert.equal(parseDetectSpeech('unimrcp yesno'), undefined);
    assert.equal(parseDetectSpeech(''), undefined);
    assert.deepEqual(parsePlayAndDetect('/tmp/menu.wav detect:unimrcp {start-input-timers=false}yesno'), { file: '/tmp/menu.wav', engine: 'unimrcp', grammar: '{start-input-timers=false}yesno' });
    assert.equal(parsePlayAndDetect('/tmp/menu.wav'), undefined);
  });
});

describe('detect_speech', () => {
  it('streams the caller audio and fires begin-speaking, partial, detected-speech, closed', async () => {
    const rec = new ScriptRecognizer();
    const k = await speechKit(rec);
    const { ch, media } = await k.call();
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'unimrcp yesno builtin:grammar/boolean'), '_none_');
    const tm = media;
    assert.equal(tm.taps.length, 1);
    assert.equal(tm.taps[0]!.options.sampleRate, 16_000);
    tm.taps[0]!.onAudio({ pcm: new Int16Array(1600), sampleRate: 16_000, channels: 1 });
    const s = rec.sessions[0]!;
    assert.equal(s.written, 1600);
    s.events.emit('partial', result('ye', false));
    s.events.emit('final', result('yes'));
    await k.h.flush();
    assert.deepEqual(k.speech().map((e) => eventHeader(e, 'Speech-Type')), ['begin-speaking', 'detected-partial-speech', 'detected-speech']);
    const detected = k.speech()[2]!;
    assert.match(detected.body ?? '', /<input mode="speech" confidence="0\.90">yes<\/input>/);
    assert.equal(eventHeader(detected, 'Unique-ID'), ch.uuid);
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'pause'), '_none_');
    tm.taps[0]!.onAudio({ pcm: new Int16Array(1600), sampleRate: 16_000, channels: 1 });
    assert.equal(s.written, 1600, 'paused: no audio to the recognizer');
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'resume'), '_none_');
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'stop'), '_none_');
    await k.h.flush();
    assert.equal(k.speech().at(-1) && eventHeader(k.speech().at(-1)!, 'Speech-Type'), 'closed');
    assert.equal(s.closed, true);
    assert.equal(tm.taps[0]!.stopped, true);
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'stop'), '-ERR');
    k.detection.close();
    await k.done();
  });

  it('hangup closes the recognition', async () => {
    const rec = new ScriptRecognizer();
    const k = await speechKit(rec);
    const { ch } = await k.call({ answered: true });
    await k.runner.execute(ch, 'detect_speech', 'm g p');
    await ch.hangup();
    await k.h.flush();
    assert.equal(rec.sessions[0]!.closed, true);
    assert.equal(k.detection.has(ch.uuid), false);
    await k.done();
  });

  it('without a recognizer: -ERR and the app completes', async () => {
    const k = await speechKit(undefined);
    const { ch } = await k.call({ answered: true });
    assert.equal(await k.runner.execute(ch, 'detect_speech', 'unimrcp yesno x'), '-ERR no speech recognizer');
    assert.equal(await k.runner.execute(ch, 'play_and_detect_speech', '/tmp/a.wav detect:unimrcp yesno'), '-ERR no speech recognizer');
    await k.done();
  });
});

describe('play_and_detect_speech', () => {
  it('speech stops the prompt; the result lands in detect_speech_result', async () => {
    const rec = new ScriptRecognizer();
    const k = await speechKit(rec);
    const { ch, media } = await k.call({ answered: true });
    const run = k.runner.execute(ch, 'play_and_detect_speech', '/tmp/menu.wav detect:unimrcp yesno');
    await k.h.flush();
    assert.equal(media.plays[0]?.spec, '/tmp/menu.wav');
    const s = rec.sessions[0]!;
    s.events.emit('speechStart', { atMs: 0 });
    await k.h.flush();
    assert.equal(media.plays[0]?.settled, true, 'barge-in');
    s.events.emit('final', result('no'));
    assert.equal(await run, '_none_');
    assert.match(ch.getVariable('detect_speech_result') ?? '', /<instance>no<\/instance>/);
    assert.equal(s.closed, true);
    await k.done();
  });

  it('no result: gives up detect_speech_timeout ms after the prompt', async () => {
    const rec = new ScriptRecognizer();
    const k = await speechKit(rec);
    const { ch, media } = await k.call({ answered: true });
    ch.setVariable('detect_speech_timeout', '2000');
    const run = k.runner.execute(ch, 'play_and_detect_speech', '/tmp/menu.wav detect:x g');
    await k.h.flush();
    media.plays[0]!.finish();
    await k.h.tick(2_100);
    assert.equal(await run, '_none_');
    assert.equal(ch.getVariable('detect_speech_result'), undefined);
    await k.done();
  });
});
