import { test } from 'node:test';
import assert from 'node:assert/strict';
import { camelCase, dtmfFrame, markFrame, metadataFrame, parseAppFrame, playDoneFrame } from './audio-protocol.ts';

test('metadata frame: camelCase call info, sampleRate and mixType, metadata merged last', () => {
  const f = metadataFrame(
    { call_sid: 'c1', from: '1000', sip_status: 200, account_sid: 'a', customerData: { x: 1 } },
    { sampleRate: 16000, mixType: 'stereo' },
    { topic: 'voicemail', from: 'override' },
  );
  assert.deepEqual(f, { sampleRate: 16000, mixType: 'stereo', callSid: 'c1', from: 'override', sipStatus: 200, accountSid: 'a', customerData: { x: 1 }, topic: 'voicemail' });
  assert.equal(camelCase('fs_sip_address'), 'fsSipAddress');
});

test('frames sent to the app', () => {
  assert.deepEqual(dtmfFrame('5', 200), { event: 'dtmf', dtmf: '5', duration: '1600' });
  assert.deepEqual(playDoneFrame('p1', { reason: 'playCompleted' }), { type: 'playDone', data: { id: 'p1', reason: 'playCompleted' } });
  assert.deepEqual(playDoneFrame(undefined, {}), { type: 'playDone', data: {} });
  assert.deepEqual(markFrame('m', 'cleared'), { type: 'mark', data: { name: 'm', event: 'cleared' } });
});

test('app frames: the known types parse, everything else is a clear error', () => {
  const ok = parseAppFrame('{"type":"playAudio","data":{"audioContent":"AAA=","sampleRate":"8000","id":7,"queuePlay":true}}');
  assert.ok(ok.ok && ok.frame.type === 'playAudio');
  if (ok.ok && ok.frame.type === 'playAudio') {
    assert.equal(ok.frame.data.audioContentType, 'raw', 'raw by default');
    assert.equal(ok.frame.data.sampleRate, 8000);
    assert.equal(ok.frame.data.id, '7');
  }
  for (const type of ['killAudio', 'disconnect', 'clearMarks', 'transcription', 'transfer', 'error', 'json']) {
    assert.equal(parseAppFrame(JSON.stringify({ type })).ok, true, type);
  }
  assert.equal(parseAppFrame('{"type":"mark","data":{"name":"m1"}}').ok, true);
  const cases: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['null', /no known type/],
    ['[1]', /no known type/],
    ['{"type":"nope"}', /bad nope frame|no known type/],
    ['{"type":"mark"}', /bad mark frame/],
    ['{"type":"playAudio","data":{"audioContent":""}}', /bad playAudio frame/],
    ['{"type":"playAudio","data":{"audioContent":"x","audioContentType":"mp3"}}', /bad playAudio frame/],
  ];
  for (const [text, why] of cases) {
    const r = parseAppFrame(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.error, why, text);
  }
});
