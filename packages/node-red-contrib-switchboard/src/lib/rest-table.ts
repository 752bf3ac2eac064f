/**
 * Typed properties of the REST nodes, described once for the runtime and the editor
 * (../../shared/specs/jambonz.md §2.6). `path` is where the value goes in the request body
 * (create call) or the LccParams key (live call control).
 */
import type { PropSpec } from './verb-table';
import type { LccAction } from './lcc-body';

export type RestPropSpec = PropSpec & { actions?: LccAction[] };

export const CREATE_CALL_PROPS: RestPropSpec[] = [
  { path: 'from', kind: 'string', label: 'From', help: 'Calling number or user.', required: true },
  { path: 'to.value', kind: 'string', label: 'To', help: 'Number, SIP URI or user name to call, as chosen in "To type".', required: true },
  { path: 'to.trunk', kind: 'string', label: 'Trunk', help: 'Carrier to use for a phone number.' },
  { path: 'to.proxy', kind: 'string', label: 'Proxy', help: 'SIP proxy to send the INVITE through.' },
  { path: 'to.auth.username', kind: 'string', label: 'Auth user', help: 'Username when the SIP target challenges.' },
  { path: 'to.auth.password', kind: 'string', label: 'Auth password', help: 'Password when the SIP target challenges.' },
  { path: 'application_sid', kind: 'string', label: 'Application', help: 'Application whose hooks run when the call is answered.' },
  { path: 'call_hook', kind: 'hook', label: 'Call hook', help: 'URL (or {url, method}) fetched for verbs when the call is answered; used instead of an application.' },
  { path: 'call_status_hook', kind: 'hook', label: 'Status hook', help: 'URL that receives call status events.' },
  { path: 'app_json', kind: 'json', label: 'Verbs', help: 'A verb array run when the call is answered, instead of a hook.' },
  { path: 'callerName', kind: 'string', label: 'Caller name', help: 'Display name of the caller.' },
  { path: 'headers', kind: 'json', label: 'SIP headers', help: 'Custom headers on the INVITE, as a JSON object.' },
  { path: 'tag', kind: 'json', label: 'Tag', help: 'Data that comes back as customerData on the call hooks.' },
  { path: 'timeout', kind: 'number', label: 'Ring timeout (s)', help: 'Seconds to ring before giving up (default 60).' },
  { path: 'timeLimit', kind: 'number', label: 'Time limit (s)', help: 'Longest duration of the call.' },
  { path: 'amd', kind: 'json', label: 'AMD', help: 'Answering machine detection settings.' },
  { path: 'speech_synthesis_vendor', kind: 'string', label: 'TTS vendor', help: 'Default speech synthesis vendor of the call.' },
  { path: 'speech_synthesis_language', kind: 'string', label: 'TTS language', help: 'Default synthesis language.' },
  { path: 'speech_synthesis_voice', kind: 'string', label: 'TTS voice', help: 'Default synthesis voice.' },
  { path: 'speech_recognizer_vendor', kind: 'string', label: 'STT vendor', help: 'Default speech recognition vendor.' },
  { path: 'speech_recognizer_language', kind: 'string', label: 'STT language', help: 'Default recognition language.' },
];

export const CALL_SID_PROP: RestPropSpec = {
  path: 'callSid',
  kind: 'string',
  label: 'Call SID',
  help: 'The call to act on; by default the call the message came from.',
  required: true,
  value: 'call.call_sid',
  type: 'msg',
};

export const LCC_PROPS: RestPropSpec[] = [
  { path: 'callHook', kind: 'hook', label: 'Call hook', help: 'Where the call fetches its new verbs.', actions: ['redirect'] },
  { path: 'childCallHook', kind: 'hook', label: 'Child call hook', help: 'New verbs for the other leg of a dialed call.', actions: ['redirect'] },
  { path: 'waitHook', kind: 'hook', label: 'Wait hook', help: 'Verbs played to the held member.', actions: ['hold_conf'] },
  { path: 'text', kind: 'string', label: 'Whisper text', help: 'Text spoken to the call only.', actions: ['whisper'] },
  { path: 'playUrl', kind: 'string', label: 'Whisper audio', help: 'Audio URL played to the call only (instead of text).', actions: ['whisper'] },
  { path: 'synthesizer.vendor', kind: 'string', label: 'TTS vendor', help: 'Vendor for the whisper text.', actions: ['whisper'] },
  { path: 'synthesizer.language', kind: 'string', label: 'TTS language', help: 'Language of the whisper text.', actions: ['whisper'] },
  { path: 'synthesizer.voice', kind: 'string', label: 'TTS voice', help: 'Voice of the whisper text.', actions: ['whisper'] },
  { path: 'sipMethod', kind: 'string', label: 'SIP method', help: 'Method of the in-dialog request, for example INFO.', actions: ['sip_request'], value: 'INFO' },
  { path: 'sipContentType', kind: 'string', label: 'Content type', help: 'Content-Type of the request body.', actions: ['sip_request'] },
  { path: 'sipBody', kind: 'string', label: 'Body', help: 'Body of the request.', actions: ['sip_request'] },
  { path: 'sipHeaders', kind: 'json', label: 'SIP headers', help: 'Extra headers, as a JSON object.', actions: ['sip_request'] },
  { path: 'dtmf', kind: 'string', label: 'Digits', help: 'DTMF digits to send.', actions: ['send_dtmf'] },
  { path: 'dtmfDuration', kind: 'number', label: 'Duration (ms)', help: 'Length of each digit.', actions: ['send_dtmf'] },
  { path: 'tag', kind: 'json', label: 'Tag', help: 'Data that replaces the call\'s customerData.', actions: ['tag'] },
  {
    path: 'recordingID',
    kind: 'string',
    label: 'Recording ID',
    help: 'Identifier of the recording.',
    actions: ['start_call_recording', 'stop_call_recording', 'pause_call_recording', 'resume_call_recording'],
  },
  { path: 'siprecServerURL', kind: 'string', label: 'SIPREC server', help: 'SIP URI of the recording server.', actions: ['start_call_recording'] },
  { path: 'recordHeaders', kind: 'json', label: 'Record headers', help: 'Headers sent to the recording server.', actions: ['start_call_recording'] },
];

export const LIST_CALLS_PROPS: RestPropSpec[] = [
  { path: 'direction', kind: 'string', label: 'Direction', help: 'Only inbound or outbound calls.' },
  { path: 'from', kind: 'string', label: 'From', help: 'Only calls from this number.' },
  { path: 'to', kind: 'string', label: 'To', help: 'Only calls to this number.' },
  { path: 'callStatus', kind: 'string', label: 'Status', help: 'Only calls in this state, for example in-progress.' },
];
