import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRecognizer, application, fakeTts, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';

const WS = application({ call_hook: 'ws://app.test/ws', call_status_hook: 'http://ignored/status' });

const errors = (s: ReturnType<typeof scenario>): string[] => s.app().sent('jambonz:error').map((e) => `${String(e['command'] ?? e['msg'])}: ${String(e['details'])}`);

test('mute:status mutes and unmutes the caller\'s leg (bare and wrapped data); bad values are jambonz:error', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { media, channel } = s.call(WS);
  await s.h.flush();
  s.app().command('mute:status', { mute_status: 'mute' });
  await s.h.flush();
  assert.equal(media.muted, true);
  s.app().command('mute:status', 'unmute');
  await s.h.flush();
  assert.equal(media.muted, false);
  s.app().command('mute:status', { mute_status: 'loud' });
  s.app().command('mute:status', 'mute', { callSid: 'not-a-call' });
  await s.h.flush();
  assert.deepEqual(errors(s), ['mute:status: mute:status: mute_status must be mute or unmute', 'mute:status: no call with callSid not-a-call']);
  assert.equal(media.muted, false);
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ mute_status: 'mute' })).status, 202);
  assert.equal(media.muted, true);
  assert.equal((await live.update({ mute_status: 'unmute' })).status, 202);
  assert.equal(media.muted, false);
  await s.done();
});

test('transcribe:status pauses, resumes and stops the running transcribe verb', async () => {
  const stt = new FakeRecognizer();
  const s = scenario(() => [{ verb: 'transcribe', transcriptionHook: '/t' }, { verb: 'say', text: 'after' }], { stt });
  const { media } = s.call(WS);
  await s.h.flush();
  const posted = (): string[] => s.app().requests.filter((r) => r.hook === '/t')
    .map((r) => (r.payload['speech'] as { alternatives: { transcript: string }[] }).alternatives[0]!.transcript);
  stt.say('one');
  await s.h.flush();
  s.app().command('transcribe:status', { transcribe_status: 'pause' });
  await s.h.flush();
  assert.equal(stt.closed, 1, 'pause closes the recognition stream');
  stt.say('while paused');
  await s.h.flush();
  s.app().command('transcribe:status', 'resume');
  await s.h.flush();
  assert.equal(stt.listeners.length, 2, 'resume opens a new stream');
  stt.say('two');
  await s.h.flush();
  assert.deepEqual(posted(), ['one', 'two']);
  s.app().command('transcribe:status', { transcribe_status: 'bogus' });
  s.app().command('transcribe:status', { transcribe_status: 'stop' });
  await s.h.flush();
  assert.equal(stt.closed, 2);
  assert.equal(media.plays.at(-1)?.spec, 'tts:after', 'the app goes on with its next verb');
  s.app().command('transcribe:status', 'pause');
  await s.h.flush();
  assert.deepEqual(errors(s), [
    'transcribe:status: transcribe:status: transcribe_status must be pause, resume or stop',
    'transcribe:status: transcribe:status: the call has no running transcription',
  ]);
  await s.done();
});

test('REST transcribe_status reaches config.transcribe running in the background', async () => {
  const stt = new FakeRecognizer();
  const s = scenario(() => [{ verb: 'config', transcribe: { enable: true, transcriptionHook: '/t' } }, { verb: 'answer' }, { verb: 'pause', length: 30 }], { stt });
  const { channel } = s.call();
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  assert.equal(stt.listeners.length, 1);
  assert.equal((await live.update({ transcribe_status: 'pause' })).status, 202);
  assert.equal(stt.closed, 1);
  assert.equal((await live.update({ transcribe_status: 'resume' })).status, 202);
  assert.equal(stt.listeners.length, 2);
  assert.equal((await live.update({ transcribe_status: 'stop' })).status, 202);
  assert.equal((await live.update({ transcribe_status: 'resume' })).status, 422, 'nothing left running');
  await s.done();
});

test('dub verb: tracks are added, played, said, silenced and removed; errors are jambonz:error', async () => {
  fakeTts.texts.length = 0;
  const s = scenario(() => [
    { verb: 'dub', action: 'addTrack', track: 'music', play: 'http://x/bg.wav', loop: true, gain: '-6 dB' },
    { verb: 'dub', action: 'addTrack', track: 'voice' },
    { verb: 'dub', action: 'sayOnTrack', track: 'voice', say: 'hello there' },
    { verb: 'dub', action: 'playOnTrack', track: 'nope', play: 'http://x/a.wav' },
    { verb: 'dub', action: 'playOnTrack', track: 'voice', play: 'http://x/a.wav', gain: 99 },
    { verb: 'say', text: 'prompt' },
  ]);
  const { media } = s.call(WS);
  await s.h.flush();
  assert.deepEqual([...media.tracks.keys()], ['music', 'voice']);
  assert.deepEqual(media.trackPlays.map((p) => [p.spec, p.options]), [
    ['track:music:http://x/bg.wav', { loops: 0, gainDb: -6 }],
    ['track:voice:tts:hello there', { loops: 1, gainDb: 0 }],
  ]);
  assert.equal(media.plays.at(-1)?.spec, 'tts:prompt', 'the prompt plays while the tracks sound');
  assert.equal(media.trackPlays[0]!.settled, false);
  assert.deepEqual(errors(s), [
    'dub failed: dub: no track nope (addTrack first)',
    'invalid verb: dub: gain must be between -60 and +30 dB (a number or "<n> dB")',
  ]);
  s.app().command('dub', { action: 'silenceTrack', track: 'music' });
  await s.h.flush();
  assert.equal(media.trackPlays[0]!.settled, true);
  assert.equal(media.tracks.get('music')!.removed, false);
  s.app().command('dub', { action: 'removeTrack', track: 'music' });
  s.app().command('dub', { action: 'frob', track: 'music' });
  await s.h.flush();
  assert.equal(media.tracks.get('music')!.removed, true);
  assert.match(errors(s).at(-1)!, /^dub: dub: action must be one of/);
  s.finishPlay(media);
  await s.done();
});

test('REST dub: 202 when applied, 400 for bad data, 422 for an unknown track; a failed track play is reported', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const { media, channel } = s.call(WS);
  await s.h.flush();
  const live = s.manager.get(channel.uuid)!;
  assert.equal((await live.update({ dub: { action: 'addTrack', track: 'bg', play: 'http://x/m.wav', gain: 3 } })).status, 202);
  assert.equal(media.trackPlays[0]!.spec, 'track:bg:http://x/m.wav');
  media.trackPlays[0]!.finish({ status: 'failed', error: 'not found' });
  await s.h.flush();
  assert.deepEqual(errors(s), ['dub failed: track bg: not found']);
  assert.equal((await live.update({ dub: { action: 'playOnTrack', track: 'bg' } })).status, 400);
  assert.equal((await live.update({ dub: { action: 'removeTrack', track: 'other' } })).status, 422);
  assert.equal((await live.update({ dub: { action: 'removeTrack', track: 'bg' } })).status, 202);
  await s.done();
});
