/**
 * SIPREC recording of a call (specs/jambonz.md §1.6 `record` with `siprecServerURL`, §2.6 REST `record`,
 * §3.A `config.record` type `siprec`; RFC 7866): `startCallRecording` opens a recording session to the
 * recording server through the endpoint that serves its URI (core's Endpoint.recordCall; the SIP
 * endpoint is the recording client), `pauseCallRecording` / `resumeCallRecording` / `stopCallRecording`
 * act on it, and the call's end stops it. As in the original, a start on a call not answered yet waits
 * for the answer, and the metadata carries the call's sids and the application's recordingID (`jb:`
 * extension data). Requests that cannot be tried (no URI, not a sip: URI, already recording) throw a
 * RuntimeError at once (jambonz:error, REST 400/422); a server that refuses or does not answer is
 * reported to the app with `jambonz:error` `record failed` and a log line; the call goes on.
 */
import type { RemoteRecording, RemoteRecordingRequest } from '../../../../core/index.ts';
import { connectOf } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import type { VerbServices } from '../verbs/verb.ts';

export interface SiprecStart {
  siprecServerURL?: string | undefined;
  recordingID?: string | undefined;
  headers?: Record<string, unknown> | undefined;
}

interface SiprecEntry {
  recording?: RemoteRecording;
  /** Waiting for the call's answer. */
  pending?: () => void;
}

const entries = new WeakMap<VerbServices, SiprecEntry>();

function live(s: VerbServices): SiprecEntry | undefined {
  const e = entries.get(s);
  if (!e) return undefined;
  if (e.pending) return e;
  const state = e.recording?.state;
  return state === 'starting' || state === 'recording' || state === 'paused' ? e : undefined;
}

/** Header values of the app's `headers` object (strings, numbers and booleans; others are dropped). */
function headersOf(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v).replace(/[\r\n]/g, ' ');
  }
  return out;
}

function report(s: VerbServices, details: string): void {
  s.log.warn({ err: details }, 'SIPREC recording failed');
  s.notifyError({ msg: 'record failed', details });
}

/** Whether the session has a SIPREC recording running or waiting to start. */
export function hasSiprec(s: VerbServices): boolean {
  return live(s) !== undefined;
}

/** startCallRecording to a recording server; throws RuntimeError when it cannot be tried. */
export function startSiprecRecording(s: VerbServices, req: SiprecStart): void {
  const url = req.siprecServerURL?.trim();
  if (!url) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'record: siprecServerURL is required for a SIPREC recording');
  if (!/^sips?:\S+$/i.test(url)) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', `record: siprecServerURL must be a sip: or sips: URI, not ${url}`);
  if (live(s)) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: a SIPREC recording of the call is already running');
  if (s.channel.ended) throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the call has ended');
  const endpoint = connectOf(s)?.sw.endpointFor(url);
  if (!endpoint?.recordCall) throw new RuntimeError('JAMBONZ_UNSUPPORTED', `record: no endpoint of this server can make a SIPREC recording at ${url}`);
  const info = s.callInfo;
  const extensionData: Record<string, string> = {
    callsid: info.callSid, direction: info.direction, accountsid: info.accountSid,
    ...(info.applicationSid ? { applicationsid: info.applicationSid } : {}),
    ...(req.recordingID ? { recordingid: req.recordingID } : {}),
    callingnumber: info.from, callednumber: info.to,
  };
  const request: RemoteRecordingRequest = {
    serverUri: url, headers: headersOf(req.headers), extensionData, callId: info.callId,
    ...(req.recordingID ? { recordingId: req.recordingID } : {}),
  };
  const record = endpoint.recordCall.bind(endpoint);
  const entry: SiprecEntry = {};
  entries.set(s, entry);
  const begin = (): void => {
    delete entry.pending;
    if (s.channel.ended) return;
    const r = record(s.channel, request);
    if (!r.ok) {
      report(s, `${r.code}: ${r.reason}`);
      return;
    }
    entry.recording = r.recording;
    s.log.info({ server: url, recordingId: req.recordingID }, 'SIPREC recording requested');
    void r.recording.started.then((outcome) => {
      if (!outcome.ok && r.recording.state === 'failed') report(s, `${outcome.code}: ${outcome.reason}`);
    });
  };
  if (s.channel.answered) {
    begin();
    return;
  }
  // As the original: a recording asked for before the answer starts with it.
  const offAnswered = s.channel.on('answered', () => {
    offHangup();
    begin();
  });
  const offHangup = s.channel.on('hangup', () => {
    offAnswered();
    delete entry.pending;
  });
  entry.pending = () => {
    offAnswered();
    offHangup();
    delete entry.pending;
  };
}

/**
 * pause / resume / stop of the SIPREC recording; false when there is none (the action then applies to
 * a local recording). Failures of the server are reported to the app.
 */
export function siprecAction(s: VerbServices, action: 'stopCallRecording' | 'pauseCallRecording' | 'resumeCallRecording'): boolean {
  const e = live(s);
  if (!e) return false;
  if (e.pending) {
    if (action === 'stopCallRecording') e.pending();
    else throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the SIPREC recording starts when the call is answered');
    return true;
  }
  const rec = e.recording!;
  if (action === 'stopCallRecording') {
    void rec.stop();
    return true;
  }
  if (rec.state === 'starting') throw new RuntimeError('JAMBONZ_CALL_STATE', 'record: the SIPREC recording is still starting');
  const op = action === 'pauseCallRecording' ? rec.pause() : rec.resume();
  void op.then((r) => {
    if (!r.ok) report(s, `${r.code}: ${r.reason}`);
  });
  return true;
}

/** The session's SIPREC recording (tests, diagnostics). */
export function siprecOf(s: VerbServices): RemoteRecording | undefined {
  return entries.get(s)?.recording;
}
