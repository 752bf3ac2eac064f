/**
 * Call recording per session (specs/jambonz.md §1.6 `record` command, §2.6 REST `record`, §3.A
 * `config.record`): `startCallRecording`, `stopCallRecording`, `pauseCallRecording`,
 * `resumeCallRecording`. One recording at a time per call, to a local stereo WAV (call-recorder.ts).
 * A `siprecServerURL` (or type `siprec`) records at a SIPREC server instead (siprec-recorder.ts); stop,
 * pause and resume act on a running SIPREC recording unless a local one runs and the request does not
 * name SIPREC. The session manager binds the recordings directory to each session; without one, local
 * recording is refused.
 */
import { z } from 'zod';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { CallRecorder, type RecordingMeta } from './call-recorder.ts';
import { accountDir } from './recording-catalog.ts';
import { hasSiprec, siprecAction, startSiprecRecording } from './siprec-recorder.ts';

export const RECORD_ACTIONS = ['startCallRecording', 'stopCallRecording', 'pauseCallRecording', 'resumeCallRecording'] as const;

const recordRequest = z.object({
  action: z.enum(RECORD_ACTIONS),
  type: z.enum(['cloud', 'siprec', 'local']).optional(),
  siprecServerURL: z.string().optional(),
  recordingID: z.string().optional(),
  headers: z.record(z.unknown()).optional(),
}).passthrough();

export type RecordRequest = z.infer<typeof recordRequest>;

const dirs = new WeakMap<VerbServices, string>();
const recorders = new WeakMap<VerbServices, CallRecorder>();

/** Gives a session the recordings directory (the root; each account has its folder). */
export function bindRecordingDir(s: VerbServices, dir: string): void {
  dirs.set(s, dir);
}

/** The account folder of the session's recordings (undefined without a recordings directory). */
export function recordingDirOf(s: VerbServices): string | undefined {
  const root = dirs.get(s);
  return root === undefined ? undefined : accountDir(root, s.callInfo.accountSid);
}

export function recordRequestOf(data: unknown): RecordRequest {
  const r = recordRequest.safeParse(data);
  if (!r.success) {
    throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `record: ${r.error.issues[0]?.path.join('.') || 'data'}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Applies a record action; the recording's description, when there is one. */
export function applyRecord(s: VerbServices, req: RecordRequest): RecordingMeta | undefined {
  const current = recorders.get(s);
  const live = current && !current.done ? current : undefined;
  const siprec = hasSiprec(s) && (!live || req.type === 'siprec' || req.siprecServerURL !== undefined);
  if (siprec && req.action !== 'startCallRecording' && siprecAction(s, req.action)) return undefined;
  switch (req.action) {
    case 'startCallRecording': {
      if (req.siprecServerURL !== undefined || req.type === 'siprec') {
        startSiprecRecording(s, req);
        return undefined;
      }
      if (live) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call is already being recorded');
      if (!s.channel.answered || s.channel.ended) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call is not answered');
      const root = dirs.get(s);
      const dir = root === undefined ? undefined : accountDir(root, s.callInfo.accountSid);
      if (!dir) throw new RuntimeError('JAMBONZ_UNSUPPORTED', 'record: no recordings directory is configured');
      const rec = new CallRecorder({
        channel: s.channel, dir, callSid: s.callInfo.callSid, accountSid: s.callInfo.accountSid, clock: s.clock, log: s.log,
        ...(req.recordingID !== undefined ? { recordingId: req.recordingID } : {}),
      });
      recorders.set(s, rec);
      s.log.info({ recordingSid: rec.sid }, 'call recording started');
      return rec.meta;
    }
    case 'stopCallRecording':
      if (!live) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call is not being recorded');
      void live.stop();
      return live.meta;
    case 'pauseCallRecording':
      if (!live) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call is not being recorded');
      live.pause();
      return live.meta;
    case 'resumeCallRecording':
      if (!live) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call is not being recorded');
      live.resume();
      return live.meta;
  }
}

/** The session's current (or last) recording, for tests and diagnostics. */
export function recorderOf(s: VerbServices): CallRecorder | undefined {
  return recorders.get(s);
}
