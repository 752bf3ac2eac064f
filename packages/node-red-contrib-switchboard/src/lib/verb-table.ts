/**
 * The verb nodes, described once: the runtime builds verbs from these descriptions and the build
 * writes the editor forms and help from them. Verb and property names follow the application API
 * (../../shared/specs/jambonz.md §3); a dotted path nests (`synthesizer.vendor`).
 */
import type { PropKind } from './property';

export interface PropSpec {
  path: string;
  kind: PropKind;
  label: string;
  help: string;
  required?: boolean;
  /** Editor default value and typed-input type. */
  value?: string;
  type?: string;
  placeholder?: string;
}

export interface VerbSpec {
  /** Node type in the palette. */
  type: string;
  /** Verb name in the JSON. */
  verb: string;
  summary: string;
  details?: string;
  color?: string;
  props: PropSpec[];
}

const RESERVED = new Set(['name', 'type', 'id', 'x', 'y', 'z', 'g', 'wires', 'info', 'credentials', 'd', 'l']);

/** The node configuration key holding a property's value (its type lives at `<key>Type`). */
export function configKey(path: string): string {
  const key = path.replace(/[.:]/g, '_');
  return RESERVED.has(key) ? `verb_${key}` : key;
}

const hook = (path: string, label: string, help: string, required = false): PropSpec => ({
  path,
  kind: 'hook',
  label,
  help: `${help} A URL (absolute, or relative to the application's URL) or a JSON object {url, method, username, password}.`,
  required,
});

const synth = (prefix: string): PropSpec[] => [
  { path: `${prefix}.vendor`, kind: 'string', label: 'TTS vendor', help: 'Speech synthesis vendor; leave empty for the application default.' },
  { path: `${prefix}.language`, kind: 'string', label: 'TTS language', help: 'Language code, for example en-US.' },
  { path: `${prefix}.voice`, kind: 'string', label: 'TTS voice', help: 'Voice name of the chosen vendor.' },
];

const recog = (prefix: string): PropSpec[] => [
  { path: `${prefix}.vendor`, kind: 'string', label: 'STT vendor', help: 'Speech recognition vendor; leave empty for the application default.' },
  { path: `${prefix}.language`, kind: 'string', label: 'STT language', help: 'Language code, for example en-US.' },
];

const headers: PropSpec = { path: 'headers', kind: 'json', label: 'SIP headers', help: 'Custom SIP headers as a JSON object of name to value.' };

export const VERBS: VerbSpec[] = [
  {
    type: 'answer',
    verb: 'answer',
    summary: 'Answers the call (200 OK) without doing anything else.',
    details: 'Most verbs that need audio answer the call by themselves; use this to answer before a verb that does not, such as pause.',
    props: [],
  },
  {
    type: 'conference',
    verb: 'conference',
    summary: 'Puts the caller into a named conference room.',
    props: [
      { path: 'name', kind: 'string', label: 'Room', help: 'Name of the conference room.', required: true },
      { path: 'beep', kind: 'boolean', label: 'Beep', help: 'Play a beep when someone joins or leaves.' },
      { path: 'startConferenceOnEnter', kind: 'boolean', label: 'Start on enter', help: 'The room starts when this member joins (moderator). Defaults to true.' },
      { path: 'endConferenceOnExit', kind: 'boolean', label: 'End on exit', help: 'The room ends when this member leaves.' },
      { path: 'endConferenceDuration', kind: 'number', label: 'End after (s)', help: 'Seconds the room stays open after the moderator left.' },
      { path: 'maxParticipants', kind: 'number', label: 'Max members', help: 'Largest number of members allowed in the room.' },
      { path: 'joinMuted', kind: 'boolean', label: 'Join muted', help: 'This member joins muted.' },
      { path: 'memberTag', kind: 'string', label: 'Member tag', help: 'A tag for this member, used by speakOnlyTo and participant actions.' },
      { path: 'speakOnlyTo', kind: 'string', label: 'Speak only to', help: 'Member tag this member is heard by (coaching).' },
      hook('waitHook', 'Wait hook', 'Called while waiting for the room to start; returns say, play or pause verbs.'),
      hook('enterHook', 'Enter hook', 'Called when the member enters; returns verbs played to that member.'),
      hook('statusHook', 'Status hook', 'Receives conference events.'),
      { path: 'statusEvents', kind: 'list', label: 'Status events', help: 'Events sent to the status hook, comma separated: start, end, join, leave, start-talking, stop-talking.' },
      hook('actionHook', 'Action hook', 'Called when the member leaves the room.'),
      { path: 'distributeDtmf', kind: 'boolean', label: 'Share DTMF', help: 'Send DTMF from this member to the other members.' },
    ],
  },
  {
    type: 'cfg',
    verb: 'config',
    summary: 'Sets defaults for the rest of the call: speech vendors, background barge-in, listen, recording.',
    props: [
      ...synth('synthesizer'),
      ...recog('recognizer'),
      { path: 'reset', kind: 'list', label: 'Reset', help: 'Return synthesizer and/or recognizer to the application defaults (comma separated).' },
      { path: 'bargeIn', kind: 'json', label: 'Barge-in', help: 'Background gather as a JSON object: {enable, actionHook, input, numDigits, ...}.' },
      { path: 'listen', kind: 'json', label: 'Listen', help: 'Background audio stream as a JSON object: {enable, url, mixType, sampleRate, ...}.' },
      { path: 'transcribe', kind: 'json', label: 'Transcribe', help: 'Background transcription as a JSON object: {enable, transcriptionHook, recognizer}.' },
      { path: 'record', kind: 'json', label: 'Record', help: 'Recording settings as a JSON object: {action, type, siprecServerURL, recordingID, headers}.' },
      { path: 'amd', kind: 'json', label: 'AMD', help: 'Answering machine detection settings as a JSON object: {actionHook, thresholdWordCount, timers, ...}.' },
      { path: 'fillerNoise', kind: 'json', label: 'Filler noise', help: 'Background noise while waiting on a hook: {enable, url, startDelaySecs}.' },
      { path: 'notifyEvents', kind: 'boolean', label: 'Notify events', help: 'Send verb status events to the application.' },
      { path: 'onHoldMusic', kind: 'string', label: 'Hold music', help: 'URL of audio played while the call is on hold.' },
      hook('sipRequestWithinDialogHook', 'In-dialog hook', 'Receives SIP INFO, MESSAGE and other requests within the call.'),
      hook('referHook', 'Refer hook', 'Receives incoming SIP REFER requests.'),
      { path: 'boostAudioSignal', kind: 'string', label: 'Boost audio', help: 'Gain applied to the audio sent to the caller, for example "6 dB".' },
    ],
  },
  {
    type: 'dequeue',
    verb: 'dequeue',
    summary: 'Takes a caller waiting in a queue and connects them to this call.',
    props: [
      { path: 'name', kind: 'string', label: 'Queue', help: 'Name of the queue.', required: true },
      hook('actionHook', 'Action hook', 'Called when the bridged call ends or no caller was found.'),
      { path: 'timeout', kind: 'number', label: 'Timeout (s)', help: 'How long to wait for a caller; empty waits forever.' },
      { path: 'beep', kind: 'boolean', label: 'Beep', help: 'Play a beep when the caller is connected.' },
      { path: 'callSid', kind: 'string', label: 'Call SID', help: 'Take this particular caller rather than the first in line.' },
    ],
  },
  {
    type: 'dial',
    verb: 'dial',
    summary: 'Places an outbound call and bridges it to the caller.',
    details:
      'Targets ring at the same time; the first to answer wins. A target is {type:"phone", number, trunk?}, {type:"sip", sipUri, auth?}, {type:"user", name} or {type:"teams", number, tenant?}.',
    props: [
      { path: 'target', kind: 'objects', label: 'Targets', help: 'One target object or an array of up to 10.', required: true, value: '[{"type":"phone","number":""}]' },
      hook('actionHook', 'Action hook', 'Called when the outbound call ends; receives dial_call_status.'),
      { path: 'answerOnBridge', kind: 'boolean', label: 'Answer on bridge', help: 'Answer the caller only when the target answers.' },
      { path: 'callerId', kind: 'string', label: 'Caller ID', help: 'Calling number shown to the target.' },
      { path: 'callerName', kind: 'string', label: 'Caller name', help: 'Display name shown to the target.' },
      { path: 'timeout', kind: 'number', label: 'Ring timeout (s)', help: 'Seconds to ring before giving up (default 60).' },
      { path: 'timeLimit', kind: 'number', label: 'Time limit (s)', help: 'Longest duration of the bridged call.' },
      hook('confirmHook', 'Confirm hook', 'Verbs played to the target when it answers, before the bridge.'),
      { path: 'dialMusic', kind: 'string', label: 'Ringback', help: 'URL of audio played to the caller while ringing.' },
      headers,
      { path: 'dtmfCapture', kind: 'list', label: 'DTMF capture', help: 'DTMF patterns to watch for during the call, comma separated.' },
      hook('dtmfHook', 'DTMF hook', 'Called when a captured DTMF pattern is entered.'),
      hook('referHook', 'Refer hook', 'Called when the far end sends a REFER.'),
      { path: 'anchorMedia', kind: 'boolean', label: 'Anchor media', help: 'Keep the media flowing through the server.' },
      { path: 'listen', kind: 'json', label: 'Listen', help: 'Stream the bridged audio: a listen verb object.' },
      { path: 'transcribe', kind: 'json', label: 'Transcribe', help: 'Transcribe the bridged call: a transcribe verb object.' },
      { path: 'amd', kind: 'json', label: 'AMD', help: 'Answering machine detection on the outbound leg.' },
      { path: 'tag', kind: 'json', label: 'Tag', help: 'Data attached to the outbound leg.' },
    ],
  },
  {
    type: 'dialogflow',
    verb: 'dialogflow',
    summary: 'Connects the caller to a Google Dialogflow agent.',
    props: [
      { path: 'project', kind: 'string', label: 'Project', help: 'Google project id of the agent.', required: true },
      { path: 'credentials', kind: 'json', label: 'Credentials', help: 'Service account key (JSON) of the project.', required: true },
      { path: 'lang', kind: 'string', label: 'Language', help: 'Language of the conversation, for example en-US.', required: true, value: 'en-US' },
      { path: 'model', kind: 'string', label: 'Model', help: 'Agent edition: es or cx.' },
      { path: 'agent', kind: 'string', label: 'Agent', help: 'Agent id (cx).' },
      { path: 'region', kind: 'string', label: 'Region', help: 'Region of the agent.' },
      { path: 'environment', kind: 'string', label: 'Environment', help: 'Agent environment.' },
      { path: 'welcomeEvent', kind: 'string', label: 'Welcome event', help: 'Event sent to the agent when the call starts.' },
      { path: 'welcomeEventParams', kind: 'json', label: 'Welcome params', help: 'Parameters of the welcome event.' },
      { path: 'noInputTimeout', kind: 'number', label: 'No-input timeout (s)', help: 'Seconds of silence before the no-input event.' },
      { path: 'noInputEvent', kind: 'string', label: 'No-input event', help: 'Event sent on no input.' },
      { path: 'passDtmfAsTextInput', kind: 'boolean', label: 'DTMF as text', help: 'Send digits to the agent as text input.' },
      { path: 'bargein', kind: 'boolean', label: 'Barge-in', help: 'Let the caller interrupt prompts.' },
      { path: 'events', kind: 'list', label: 'Events', help: 'Agent events sent to the event hook, comma separated.' },
      hook('eventHook', 'Event hook', 'Receives agent events.'),
      hook('actionHook', 'Action hook', 'Called when the conversation ends.'),
      ...synth('tts'),
    ],
  },
  {
    type: 'dtmf',
    verb: 'dtmf',
    summary: 'Sends DTMF digits to the caller (RFC 2833 events).',
    props: [
      { path: 'dtmf', kind: 'string', label: 'Digits', help: 'Digits to send: 0-9, *, #, A-D, and w for a half-second pause.', required: true },
      { path: 'duration', kind: 'number', label: 'Duration (ms)', help: 'Length of each digit (default 500).' },
    ],
  },
  {
    type: 'enqueue',
    verb: 'enqueue',
    summary: 'Puts the caller in a named queue until an agent dequeues them.',
    props: [
      { path: 'name', kind: 'string', label: 'Queue', help: 'Name of the queue.', required: true },
      hook('actionHook', 'Action hook', 'Called when the caller leaves the queue; receives queue_result.'),
      hook('waitHook', 'Wait hook', 'Called while the caller waits; may return say, play, pause, leave or tag verbs.'),
      { path: 'priority', kind: 'number', label: 'Priority', help: '0 to 999; lower numbers are served first (default 999).' },
    ],
  },
  {
    type: 'gather',
    verb: 'gather',
    summary: 'Collects digits and/or speech from the caller, optionally while playing a prompt.',
    details: 'When input ends, the action hook receives reason (dtmfDetected, speechDetected, timeout), digits or speech.',
    props: [
      { path: 'input', kind: 'list', label: 'Input', help: 'What to collect, comma separated: digits, speech.', value: 'digits' },
      hook('actionHook', 'Action hook', 'Receives the result; its verbs replace the rest of the flow.'),
      { path: 'say.text', kind: 'string', label: 'Prompt text', help: 'Text spoken while waiting for input.' },
      { path: 'play.url', kind: 'string', label: 'Prompt audio', help: 'URL of audio played while waiting for input (used instead of prompt text).' },
      { path: 'numDigits', kind: 'number', label: 'Digits', help: 'Exact number of digits to collect.' },
      { path: 'minDigits', kind: 'number', label: 'Min digits', help: 'Fewest digits accepted.' },
      { path: 'maxDigits', kind: 'number', label: 'Max digits', help: 'Most digits collected.' },
      { path: 'finishOnKey', kind: 'string', label: 'Finish key', help: 'Key that ends input, for example #.' },
      { path: 'interDigitTimeout', kind: 'number', label: 'Inter-digit timeout (s)', help: 'Seconds allowed between digits.' },
      { path: 'timeout', kind: 'number', label: 'Timeout (s)', help: 'Seconds to wait for input (default 15; 0 waits forever).' },
      { path: 'listenDuringPrompt', kind: 'boolean', label: 'Listen during prompt', help: 'Accept input while the prompt plays.' },
      { path: 'bargein', kind: 'boolean', label: 'Speech barge-in', help: 'Speech stops the prompt.' },
      { path: 'dtmfBargein', kind: 'boolean', label: 'DTMF barge-in', help: 'A digit stops the prompt.' },
      { path: 'minBargeinWordCount', kind: 'number', label: 'Barge-in words', help: 'Words needed before speech stops the prompt.' },
      hook('partialResultHook', 'Partial result hook', 'Receives interim transcripts.'),
      ...recog('recognizer'),
      { path: 'recognizer.hints', kind: 'list', label: 'Hints', help: 'Words or phrases likely to be spoken, comma separated.' },
    ],
  },
  {
    type: 'hangup',
    verb: 'hangup',
    summary: 'Hangs up the call.',
    props: [headers],
  },
  {
    type: 'leave',
    verb: 'leave',
    summary: 'Takes the caller out of the queue or conference they are in.',
    props: [],
  },
  {
    type: 'listen',
    verb: 'listen',
    summary: 'Streams the call audio to a WebSocket server (and can play audio it sends back).',
    props: [
      { path: 'url', kind: 'string', label: 'URL', help: 'ws:// or wss:// URL of the audio server.', required: true },
      hook('actionHook', 'Action hook', 'Called when streaming ends.'),
      { path: 'mixType', kind: 'string', label: 'Mix', help: 'mono (caller only), mixed or stereo.' },
      { path: 'sampleRate', kind: 'number', label: 'Sample rate', help: '8000, 16000, 24000, 32000, 48000 or 64000.' },
      { path: 'metadata', kind: 'json', label: 'Metadata', help: 'Object added to the first frame sent to the server.' },
      { path: 'wsAuth.username', kind: 'string', label: 'Username', help: 'Basic auth user for the WebSocket.' },
      { path: 'wsAuth.password', kind: 'string', label: 'Password', help: 'Basic auth password for the WebSocket.' },
      { path: 'finishOnKey', kind: 'string', label: 'Finish key', help: 'A key that ends streaming.' },
      { path: 'maxLength', kind: 'number', label: 'Max length (s)', help: 'Longest stream.' },
      { path: 'timeout', kind: 'number', label: 'Silence timeout (s)', help: 'Ends after this much silence.' },
      { path: 'passDtmf', kind: 'boolean', label: 'Pass DTMF', help: 'Send DTMF events to the server.' },
      { path: 'playBeep', kind: 'boolean', label: 'Beep', help: 'Play a beep before streaming.' },
      { path: 'bidirectionalAudio', kind: 'json', label: 'Bidirectional', help: 'Audio from the server: {enabled, streaming, sampleRate}.' },
      { path: 'earlyMedia', kind: 'boolean', label: 'Early media', help: 'Stream before the call is answered.' },
    ],
  },
  {
    type: 'pause',
    verb: 'pause',
    summary: 'Waits a number of seconds.',
    props: [{ path: 'length', kind: 'number', label: 'Seconds', help: 'How long to wait.', required: true, value: '1', type: 'num' }],
  },
  {
    type: 'play',
    verb: 'play',
    summary: 'Plays an audio file (or a list of them) to the caller.',
    props: [
      { path: 'url', kind: 'string', label: 'URL', help: 'URL of a WAV or MP3 file; a JSON array plays several.', required: true },
      { path: 'loop', kind: 'number', label: 'Loop', help: 'Times to play (0 repeats until the verb is interrupted).' },
      { path: 'earlyMedia', kind: 'boolean', label: 'Early media', help: 'Play before the call is answered.' },
      { path: 'seekOffset', kind: 'number', label: 'Seek offset', help: 'Start this many samples into the file.' },
      { path: 'timeoutSecs', kind: 'number', label: 'Timeout (s)', help: 'Stop playing after this long.' },
      hook('actionHook', 'Action hook', 'Called when playback ends.'),
    ],
  },
  {
    type: 'redirect',
    verb: 'redirect',
    summary: 'Fetches a new set of verbs from a URL and runs them instead of the rest of this flow.',
    props: [
      hook('actionHook', 'URL', 'Where the new verbs come from.', true),
      hook('statusHook', 'Status hook', 'Replaces the call status hook.'),
    ],
  },
  {
    type: 'say',
    verb: 'say',
    summary: 'Speaks text to the caller with text-to-speech.',
    details: 'The text may be SSML. Use {{call.from}} and similar templates to put values from the message into the text.',
    props: [
      { path: 'text', kind: 'string', label: 'Text', help: 'What to say.', required: true },
      { path: 'loop', kind: 'number', label: 'Loop', help: 'Times to say it (0 repeats until interrupted).' },
      { path: 'earlyMedia', kind: 'boolean', label: 'Early media', help: 'Speak before the call is answered.' },
      ...synth('synthesizer'),
      { path: 'disableTtsCache', kind: 'boolean', label: 'No TTS cache', help: 'Synthesize again instead of using cached audio.' },
    ],
  },
  {
    type: 'sip:decline',
    verb: 'sip:decline',
    summary: 'Rejects an unanswered call with a SIP status.',
    props: [
      { path: 'status', kind: 'number', label: 'Status', help: 'SIP status code, for example 486 or 603.', required: true, value: '486', type: 'num' },
      { path: 'reason', kind: 'string', label: 'Reason', help: 'Reason phrase of the response.' },
      headers,
    ],
  },
  {
    type: 'sip:refer',
    verb: 'sip:refer',
    summary: 'Transfers the caller elsewhere with a SIP REFER.',
    props: [
      { path: 'referTo', kind: 'string', label: 'Refer to', help: 'Number, user or SIP URI to transfer to.', required: true },
      { path: 'referredBy', kind: 'string', label: 'Referred by', help: 'Value of the Referred-By header.' },
      { path: 'referredByDisplayName', kind: 'string', label: 'Referred-by name', help: 'Display name in Referred-By.' },
      headers,
      hook('actionHook', 'Action hook', 'Called with the result of the transfer.'),
      hook('eventHook', 'Event hook', 'Receives transfer progress (NOTIFY).'),
    ],
  },
  {
    type: 'sip:request',
    verb: 'sip:request',
    summary: 'Sends a SIP request (INFO, NOTIFY, MESSAGE ...) within the call.',
    props: [
      { path: 'method', kind: 'string', label: 'Method', help: 'SIP method, for example INFO.', required: true, value: 'INFO' },
      { path: 'body', kind: 'string', label: 'Body', help: 'Request body.' },
      headers,
      hook('actionHook', 'Action hook', 'Called with the response status.'),
    ],
  },
  {
    type: 'tag',
    verb: 'tag',
    summary: 'Attaches data to the call; it comes back as customerData on every later hook.',
    details: 'The data replaces what an earlier tag set; it is not merged.',
    props: [{ path: 'data', kind: 'json', label: 'Data', help: 'A JSON object.', required: true, value: '{}' }],
  },
];
