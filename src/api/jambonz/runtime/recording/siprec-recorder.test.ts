import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Channel, Endpoint, RecordCallResult, RecordingResult, RemoteRecording, RemoteRecordingEnd, RemoteRecordingRequest, RemoteRecordingState,
} from '../../../../core/index.ts';
import { application, scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';

const WS = application({ call_hook: 'ws://app.test/ws' });

/** A recording whose outcome the test decides. */
class FakeRecording implements RemoteRecording {
  readonly id = 'fake';
  state: RemoteRecordingState = 'starting';
  readonly calls: string[] = [];
  readonly started: Promise<RecordingResult>;
  readonly ended: Promise<RemoteRecordingEnd>;
  resolveStarted!: (r: RecordingResult) => void;
  resolveEnded!: (e: RemoteRecordingEnd) => void;
  next: RecordingResult = { ok: true };

  constructor() {
    this.started = new Promise((r) => { this.resolveStarted = r; });
    this.ended = new Promise((r) => { this.resolveEnded = r; });
  }

  answer(r: RecordingResult): void {
    this.state = r.ok ? 'recording' : 'failed';
    this.resolveStarted(r);
  }

  async pause(): Promise<RecordingResult> {
    this.calls.push('pause');
    if (this.next.ok) this.state = 'paused';
    return this.next;
  }

  async resume(): Promise<RecordingResult> {
    this.calls.push('resume');
    if (this.next.ok) this.state = 'recording';
    return this.next;
  }

  async stop(): Promise<void> {
    this.calls.push('stop');
    this.state = 'stopped';
    this.resolveEnded({ reason: 'stopped' });
  }
}

function recorderEndpoint(): Endpoint & { requests: { channel: Channel; request: RemoteRecordingRequest }[]; recordings: FakeRecording[] } {
  const requests: { channel: Channel; request: RemoteRecordingRequest }[] = [];
  const recordings: FakeRecording[] = [];
  return {
    name: 'rec', schemes: ['sip:'], requests, recordings,
    originate: async () => ({ ok: false, cause: 'CHAN_NOT_IMPLEMENTED' }),
    recordCall(channel, request): RecordCallResult {
      requests.push({ channel, request });
      if (request.serverUri.includes('bad')) return { ok: false, code: 'SIPREC_BAD_URI', reason: 'unusable' };
      const rec = new FakeRecording();
      recordings.push(rec);
      return { ok: true, recording: rec };
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('record command with siprecServerURL: the endpoint records; pause, resume, stop reach the recording; failures answer jambonz:error', async () => {
  const s = scenario(() => [{ verb: 'answer' }]);
  const ep = recorderEndpoint();
  s.h.sw.addEndpoint(ep);
  const { channel } = s.call(WS);
  await s.h.flush();
  const app = s.app();
  app.command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9', recordingID: 'r-9', headers: { 'X-Tenant': 'acme', 'Bad Name': 'x', 'X-Obj': {} } });
  await s.h.flush();
  assert.equal(ep.requests.length, 1);
  const { request } = ep.requests[0]!;
  assert.equal(ep.requests[0]!.channel, channel);
  assert.equal(request.serverUri, 'sip:srs@10.0.0.9');
  assert.equal(request.recordingId, 'r-9');
  assert.deepEqual(request.headers, { 'X-Tenant': 'acme' });
  assert.equal(request.callId, 'call-id-1@test');
  assert.deepEqual(request.extensionData, {
    callsid: channel.uuid, direction: 'inbound', accountsid: 'acc-1', applicationsid: 'app-1', recordingid: 'r-9',
    callingnumber: '+15083084809', callednumber: '16174000000',
  });
  const rec = ep.recordings[0]!;
  app.command('record', { action: 'pauseCallRecording' });
  await s.h.flush();
  rec.answer({ ok: true });
  app.command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9' });
  app.command('record', { action: 'pauseCallRecording' });
  app.command('record', { action: 'resumeCallRecording' });
  await s.h.flush();
  await tick();
  rec.next = { ok: false, code: 'SIPREC_REFUSED', reason: 'recording server: 500 Server Error', sipStatus: 500 };
  app.command('record', { action: 'pauseCallRecording' });
  await s.h.flush();
  await tick();
  app.command('record', { action: 'stopCallRecording' });
  app.command('record', { action: 'startCallRecording', siprecServerURL: 'mailto:srs@example.com' });
  await s.h.flush();
  await tick();
  assert.deepEqual(rec.calls, ['pause', 'resume', 'pause', 'stop']);
  const errors = app.sent('jambonz:error').map((e) => `${String(e['msg'])}: ${String(e['details'])}`);
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.match(errors[0]!, /^invalid command: record: the SIPREC recording is still starting/);
  assert.match(errors[1]!, /^invalid command: record: a SIPREC recording of the call is already running/);
  assert.match(errors[2]!, /^record failed: SIPREC_REFUSED: recording server: 500/);
  assert.match(errors[3]!, /^invalid command: record: siprecServerURL must be a sip: or sips: URI/);

  // A new start after the stop; the server refuses it.
  app.command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9' });
  await s.h.flush();
  ep.recordings[1]!.answer({ ok: false, code: 'SIPREC_TIMEOUT', reason: 'recording server: 408 Request Timeout (no-answer)' });
  await tick();
  app.command('record', { action: 'startCallRecording', siprecServerURL: 'sip:bad@10.0.0.9' });
  await s.h.flush();
  const more = app.sent('jambonz:error').slice(4).map((e) => `${String(e['msg'])}: ${String(e['details'])}`);
  assert.deepEqual(more, ['record failed: SIPREC_TIMEOUT: recording server: 408 Request Timeout (no-answer)', 'record failed: SIPREC_BAD_URI: unusable']);
  assert.equal(channel.ended, false, 'the call goes on');
  await s.done();
});

test('a SIPREC start before the answer waits for it (config.record, command); a stop before the answer drops it; no endpoint: unsupported', async () => {
  const s = scenario(() => [
    { verb: 'config', record: { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9' } },
    { verb: 'pause', length: 1 },
    { verb: 'answer' },
  ]);
  const ep = recorderEndpoint();
  s.h.sw.addEndpoint(ep);
  const { channel } = s.call(WS);
  await s.h.flush();
  assert.equal(channel.answered, false);
  assert.equal(ep.requests.length, 0, 'waiting for the answer');
  await s.h.tick(1100);
  await s.h.flush();
  assert.equal(channel.answered, true);
  assert.equal(ep.requests.length, 1, 'started with the answer');
  await s.done();

  const s2 = scenario(() => [{ verb: 'pause', length: 5 }]);
  const ep2 = recorderEndpoint();
  s2.h.sw.addEndpoint(ep2);
  const c2 = s2.call(WS);
  await s2.h.flush();
  s2.app().command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9' });
  s2.app().command('record', { action: 'pauseCallRecording' });
  await s2.h.flush();
  assert.match(String(s2.app().sent('jambonz:error')[0]?.['details']), /starts when the call is answered/);
  s2.app().command('record', { action: 'stopCallRecording' });
  await s2.h.flush();
  await c2.channel.answer();
  await s2.h.flush();
  assert.equal(ep2.requests.length, 0, 'the stopped start never happens');
  await s2.done();

  const s3 = scenario(() => [{ verb: 'answer' }]);
  s3.call(WS);
  await s3.h.flush();
  s3.app().command('record', { action: 'startCallRecording', siprecServerURL: 'sip:srs@10.0.0.9' });
  await s3.h.flush();
  assert.match(String(s3.app().sent('jambonz:error')[0]?.['msg']), /^unsupported command/);
  await s3.done();
});
