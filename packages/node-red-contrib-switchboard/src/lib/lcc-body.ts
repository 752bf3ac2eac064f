/**
 * Live call control request bodies (`PUT /v1/Accounts/:sid/Calls/:callSid`,
 * ../../shared/specs/jambonz.md §2.6): one action becomes exactly one update property.
 */

export const LCC_ACTIONS = [
  'hangup',
  'cancel',
  'redirect',
  'mute',
  'unmute',
  'mute_conf',
  'unmute_conf',
  'hold_conf',
  'unhold_conf',
  'whisper',
  'pause',
  'resume',
  'pause_transcribe',
  'resume_transcribe',
  'sip_request',
  'send_dtmf',
  'tag',
  'start_call_recording',
  'stop_call_recording',
  'pause_call_recording',
  'resume_call_recording',
] as const;

export type LccAction = (typeof LCC_ACTIONS)[number];

export function isLccAction(value: unknown): value is LccAction {
  return typeof value === 'string' && (LCC_ACTIONS as readonly string[]).includes(value);
}

/** Values an action may use, already evaluated; empty ones are dropped by the caller. */
export interface LccParams {
  callHook?: unknown;
  childCallHook?: unknown;
  waitHook?: unknown;
  text?: unknown;
  playUrl?: unknown;
  synthesizer?: Record<string, unknown>;
  sipMethod?: unknown;
  sipContentType?: unknown;
  sipBody?: unknown;
  sipHeaders?: unknown;
  dtmf?: unknown;
  dtmfDuration?: unknown;
  tag?: unknown;
  recordingID?: unknown;
  siprecServerURL?: unknown;
  recordHeaders?: unknown;
}

export class LccError extends Error {
  readonly code = 'SB_NR_LCC';
  constructor(message: string) {
    super(message);
    this.name = 'LccError';
  }
}

const RECORD: Record<string, string> = {
  start_call_recording: 'startCallRecording',
  stop_call_recording: 'stopCallRecording',
  pause_call_recording: 'pauseCallRecording',
  resume_call_recording: 'resumeCallRecording',
};

function need(value: unknown, what: string): unknown {
  if (value === undefined || value === null || value === '') throw new LccError(`${what} is required`);
  return value;
}

export function lccBody(action: LccAction, p: LccParams): Record<string, unknown> {
  switch (action) {
    case 'hangup':
      return { call_status: 'completed' };
    case 'cancel':
      return { call_status: 'no-answer' };
    case 'redirect':
      if (p.callHook === undefined && p.childCallHook === undefined) throw new LccError('redirect needs a call hook or a child call hook');
      return { call_hook: p.callHook, child_call_hook: p.childCallHook };
    case 'mute':
    case 'unmute':
      return { mute_status: action };
    case 'mute_conf':
      return { conf_mute_status: 'mute' };
    case 'unmute_conf':
      return { conf_mute_status: 'unmute' };
    case 'hold_conf':
      return { conf_hold_status: 'hold', wait_hook: p.waitHook };
    case 'unhold_conf':
      return { conf_hold_status: 'unhold' };
    case 'whisper':
      if (p.text !== undefined) return { whisper: { verb: 'say', text: p.text, synthesizer: p.synthesizer } };
      if (p.playUrl !== undefined) return { whisper: { verb: 'play', url: p.playUrl } };
      throw new LccError('whisper needs text or an audio URL');
    case 'pause':
    case 'resume':
      return { listen_status: action };
    case 'pause_transcribe':
      return { transcribe_status: 'pause' };
    case 'resume_transcribe':
      return { transcribe_status: 'resume' };
    case 'sip_request':
      return {
        sip_request: {
          method: need(p.sipMethod, 'SIP method'),
          content_type: p.sipContentType ?? 'text/plain',
          content: p.sipBody ?? '',
          headers: p.sipHeaders,
        },
      };
    case 'send_dtmf':
      return { dtmf: { digit: need(p.dtmf, 'DTMF digits'), duration: p.dtmfDuration } };
    case 'tag':
      if (p.tag === null || typeof p.tag !== 'object' || Array.isArray(p.tag)) throw new LccError('tag must be a JSON object');
      return { tag: p.tag };
    case 'start_call_recording':
      return {
        record: { action: RECORD[action], recordingID: p.recordingID, siprecServerURL: p.siprecServerURL, headers: p.recordHeaders },
      };
    case 'stop_call_recording':
    case 'pause_call_recording':
    case 'resume_call_recording':
      return { record: { action: RECORD[action], recordingID: p.recordingID } };
  }
}
