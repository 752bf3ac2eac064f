/**
 * Recording a call at a remote recording server (SIPREC, RFC 7866; jambonz `record` with
 * `siprecServerURL`, specs/jambonz.md §1.6): an endpoint that can reach the server opens a recording
 * session next to the call and sends it both parties' audio, one stream each. Core knows only this shape:
 * the request, the running recording and its state; the protocol lives in the endpoint
 * (Endpoint.recordCall). Failures are result values with the endpoint's stable error codes.
 */

/** Who is in the recorded call, as the recording metadata names them (RFC 7865 participants). */
export interface RecordedParty {
  /** Address of record (a sip: or tel: URI). */
  aor: string;
  /** Display name or number. */
  name?: string;
}

export interface RemoteRecordingRequest {
  /** The recording server (a sip: or sips: URI). */
  serverUri: string;
  /** The application's id of the recording (carried in the metadata). */
  recordingId?: string;
  /** Extra header fields of the request that opens the recording session. */
  headers?: Readonly<Record<string, string>>;
  /** The calling and called parties (default: the channel's caller and callee). */
  caller?: RecordedParty;
  callee?: RecordedParty;
  /** The recorded call's signalling id (SIP Call-ID) for the metadata (default: the channel's sip_call_id). */
  callId?: string;
  /** Name/value pairs the application adds to the metadata's extension data (call sid, account sid ...). */
  extensionData?: Readonly<Record<string, string>>;
  /** How long the server may take to answer (default chosen by the endpoint). */
  timeoutMs?: number;
}

export type RemoteRecordingState = 'starting' | 'recording' | 'paused' | 'stopped' | 'failed';

/** A recording operation's result: done, or why not (code: the endpoint's stable error code). */
export type RecordingResult = { ok: true } | { ok: false; code: string; reason: string; sipStatus?: number };

/** How a recording session ended. */
export interface RemoteRecordingEnd {
  /** stopped: by stop(); hangup: the call ended; remote: the server ended it; failed: it never started. */
  reason: 'stopped' | 'hangup' | 'remote' | 'failed';
  code?: string;
  error?: string;
  sipStatus?: number;
}

export interface RemoteRecording {
  readonly id: string;
  readonly state: RemoteRecordingState;
  /** Settles once the server answered (ok) or refused / did not answer; never rejects. */
  readonly started: Promise<RecordingResult>;
  /** Settles once the recording session is over; never rejects. */
  readonly ended: Promise<RemoteRecordingEnd>;
  /** Stops sending audio and tells the server the streams are inactive. */
  pause(): Promise<RecordingResult>;
  /** Sends audio again after pause(). */
  resume(): Promise<RecordingResult>;
  /** Ends the recording session; idempotent. */
  stop(): Promise<void>;
}

/** What Endpoint.recordCall answers: a running recording, or a request it cannot even try (a bad URI). */
export type RecordCallResult = { ok: true; recording: RemoteRecording } | { ok: false; code: string; reason: string };
