/** The editor description of every node in the palette, grouped by the file Node-RED loads. */
import { VERBS, configKey, type PropSpec } from '../lib/verb-table';
import { CALL_SID_PROP, CREATE_CALL_PROPS, LCC_PROPS, LIST_CALLS_PROPS } from '../lib/rest-table';
import { LCC_ACTIONS } from '../lib/lcc-body';
import type { Field, FormSpec } from './form-spec';

const VERB_COLOR = '#8fc7e8';
const HOOK_COLOR = '#f3b567';
const REST_COLOR = '#c0deed';
const CATEGORY = 'switchboard';
const REST_CATEGORY = 'switchboard rest';

const typed = (prop: PropSpec, showFor?: string[]): Field => ({ kind: 'typed', key: configKey(prop.path), prop, showFor });
const nameField: Field = { kind: 'text', key: 'name', label: 'Name', help: 'Label of the node in the flow.' };

const TEMPLATE_NOTE =
  'Every property is a typed input: a fixed string, number, boolean or JSON value, or a msg, flow, global or environment property, or a JSONata expression. Fixed strings and the strings inside JSON values may contain templates such as {{call.from}} or {{flow.greeting}}, filled in from the message. Empty properties are left out of the verb.';

const VERB_IN: Array<[string, string, string]> = [
  ['jambonz', 'array', 'Verbs added by earlier nodes; created when missing.'],
  ['call', 'object', 'Call attributes from the webhook, usable in templates as {{call.from}}.'],
];
const VERB_OUT: Array<[string, string, string]> = [['jambonz', 'array', 'The same array with this node\'s verb appended.']];

export const VERB_FORMS: FormSpec[] = [
  ...VERBS.map(
    (spec): FormSpec => ({
      type: spec.type,
      paletteLabel: spec.verb,
      category: CATEGORY,
      color: VERB_COLOR,
      icon: 'font-awesome/fa-commenting',
      inputs: 1,
      outputs: 1,
      fields: [nameField, ...spec.props.map((p) => typed(p))],
      summary: `${spec.summary} Appends the <code>${spec.verb}</code> verb to <code>msg.jambonz</code>.`,
      details: [...(spec.details ? [spec.details] : []), ...(spec.props.length ? [TEMPLATE_NOTE] : [])],
      inputsHelp: VERB_IN,
      outputsHelp: VERB_OUT,
    }),
  ),
  {
    type: 'generic',
    paletteLabel: 'verb',
    category: CATEGORY,
    color: VERB_COLOR,
    icon: 'font-awesome/fa-code',
    inputs: 1,
    outputs: 1,
    fields: [
      nameField,
      typed({ path: 'verb', kind: 'string', label: 'Verb', help: 'Name of the verb, for example say or llm. Leave empty when the data uses the {"say": {...}} form.' }),
      typed({ path: 'data', kind: 'json', label: 'Data', help: 'The verb\'s properties as a JSON object.', value: '{}', type: 'json' }),
    ],
    summary: 'Appends any verb, written as JSON, to <code>msg.jambonz</code>: for verbs without a node of their own, or verbs built elsewhere in the flow.',
    details: [TEMPLATE_NOTE],
    inputsHelp: VERB_IN,
    outputsHelp: VERB_OUT,
  },
];

export const WEBHOOK_FORMS: FormSpec[] = [
  {
    type: 'webhook in',
    paletteLabel: 'webhook in',
    category: CATEGORY,
    color: HOOK_COLOR,
    icon: 'white-globe.svg',
    inputs: 0,
    outputs: 1,
    labelField: 'url',
    fields: [
      { kind: 'select', key: 'method', label: 'Method', help: 'HTTP method the server uses for this hook.', value: 'post', options: [['post', 'POST'], ['get', 'GET']] },
      { kind: 'text', key: 'url', label: 'Path', help: 'Path of the hook on Node-RED\'s HTTP server, for example /incoming. Point the application\'s call hook (or a verb\'s actionHook) at it.', required: true, placeholder: '/incoming' },
      nameField,
    ],
    summary: 'Receives a webhook from Switchboard: a new call, a verb\'s actionHook or a SIP registration check.',
    details: [
      'A POST body (JSON or form) is merged with the query string; a GET hook uses the query string. A body with a <code>method</code> property is a registration (digest) check and goes to <code>msg.authRequest</code>; an inbound message with a <code>provider</code> goes to <code>msg.sms</code>; anything else is call data in <code>msg.call</code>.',
      'End the flow with a <b>webhook out</b> node so the request gets its answer. A body that is not valid JSON is answered with 400 and a warning, without starting the flow.',
    ],
    outputsHelp: [
      ['call', 'object', 'Call attributes: call_sid, from, to, direction, call_status, and for action hooks the verb result (digits, reason, ...).'],
      ['authRequest', 'object', 'Registration check: method, realm, username, nonce, uri, response, expires, ...'],
      ['req', 'object', 'The HTTP request.'],
      ['res', 'object', 'The HTTP response, used by webhook out.'],
    ],
  },
  {
    type: 'webhook out',
    paletteLabel: 'webhook out',
    category: CATEGORY,
    color: HOOK_COLOR,
    icon: 'white-globe.svg',
    inputs: 1,
    outputs: 0,
    align: 'right',
    fields: [nameField, { kind: 'text', key: 'statusCode', label: 'Status', help: 'Fixed HTTP status; empty uses msg.statusCode or 200.', placeholder: 'msg.statusCode' }],
    summary: 'Answers the webhook that started the flow.',
    details: [
      'The answer is <code>msg.jambonz</code> as JSON when it holds verbs; otherwise <code>msg.authResponse</code> (from <b>user auth</b>); otherwise an empty verb array. Headers in <code>msg.headers</code> are added to the answer.',
    ],
    inputsHelp: [
      ['jambonz', 'array', 'The verbs to run.'],
      ['authResponse', 'object', 'The registration answer, used when there are no verbs.'],
      ['statusCode', 'number', 'HTTP status (default 200).'],
      ['headers', 'object', 'Extra response headers.'],
    ],
  },
];

const authTyped = (key: string, kind: PropSpec['kind'], label: string, help: string, type?: string): Field =>
  typed({ path: key, kind, label, help, type });

export const AUTH_FORMS: FormSpec[] = [
  {
    type: 'user auth',
    paletteLabel: 'user auth',
    category: CATEGORY,
    color: HOOK_COLOR,
    icon: 'font-awesome/fa-key',
    inputs: 1,
    outputs: 1,
    fields: [
      nameField,
      authTyped('password', 'string', 'Password', 'Plaintext password of the user (often from flow or global context, keyed by msg.authRequest.username).'),
      authTyped('ha1', 'string', 'HA1', 'Instead of a password: the hex hash of username:realm:password, computed with the algorithm the device uses (MD5 or SHA-256).'),
      authTyped('expires', 'number', 'Max expires', 'Longest registration granted, in seconds; the device\'s request is cut down to it.'),
      authTyped('application', 'string', 'Application', 'Application sid that calls from this user run.'),
      authTyped('directUser', 'boolean', 'Call users', 'Allow the user to call other users directly.'),
      authTyped('directApp', 'boolean', 'Call apps', 'Allow the user to call applications directly.'),
      authTyped('directQueue', 'boolean', 'Call queues', 'Allow the user to call queues directly.'),
    ],
    summary: 'Checks the SIP digest of a registration (or call) from a device against a password, and sets <code>msg.authResponse</code>.',
    details: [
      'Digest algorithms MD5 and SHA-256 (and their -sess variants) with qop "auth" or no qop are checked. When no password or HA1 is set for the user, the answer is <code>{status:"fail", msg:"invalid domain or username"}</code>; a wrong response gives <code>{status:"fail", msg:"incorrect password"}</code>; a match gives <code>{status:"ok", expires, ...}</code> with the grants configured here.',
      'Wire it between <b>webhook in</b> and <b>webhook out</b>.',
    ],
    inputsHelp: [['authRequest', 'object', 'The registration check from webhook in.']],
    outputsHelp: [['authResponse', 'object', 'The answer for webhook out.']],
  },
];

const serverField: Field = { kind: 'server', key: 'server' };
const REST_OUT: Array<[string, string, string]> = [
  ['payload', 'object', 'Output 1: the server\'s answer.'],
  ['statusCode', 'number', 'Output 1: HTTP status of the answer.'],
  ['error', 'object', 'Output 2: {message, code, statusCode, body} when the request failed; the node status shows the message.'],
];
const restForm = (f: Omit<FormSpec, 'category' | 'color' | 'inputs' | 'outputs' | 'outputLabels' | 'outputsHelp' | 'icon'>): FormSpec => ({
  category: REST_CATEGORY,
  color: REST_COLOR,
  icon: 'font-awesome/fa-phone',
  inputs: 1,
  outputs: 2,
  outputLabels: ['ok', 'error'],
  outputsHelp: REST_OUT,
  ...f,
});

export const REST_FORMS: FormSpec[] = [
  {
    type: 'switchboard-server',
    paletteLabel: 'switchboard server',
    category: 'config',
    color: REST_COLOR,
    icon: 'font-awesome/fa-server',
    inputs: 0,
    outputs: 0,
    config: true,
    labelField: 'url',
    fields: [
      nameField,
      { kind: 'text', key: 'url', label: 'URL', help: 'Base URL of the Switchboard server\'s HTTP API, for example http://127.0.0.1:3000.', required: true, placeholder: 'http://127.0.0.1:3000' },
      { kind: 'text', key: 'accountSid', label: 'Account SID', help: 'Account the calls belong to.', required: true },
      { kind: 'password', key: 'apiKey', label: 'API key', help: 'Sent as a Bearer token; stored with the flow\'s encrypted credentials.' },
    ],
    summary: 'A Switchboard server and the account and API key the REST nodes use.',
  },
  restForm({
    type: 'create-call',
    paletteLabel: 'create call',
    fields: [
      serverField,
      nameField,
      { kind: 'select', key: 'toType', label: 'To type', help: 'What "To" holds.', value: 'phone', options: [['phone', 'phone number'], ['sip', 'SIP URI'], ['user', 'registered user'], ['teams', 'Teams number']] },
      ...CREATE_CALL_PROPS.map((p) => typed(p)),
    ],
    summary: 'Places an outbound call (<code>POST /v1/Accounts/{sid}/Calls</code>).',
    details: ['When the call is answered, the application, call hook or verbs given here take over. The new call\'s sid is in <code>msg.payload.sid</code> and <code>msg.callSid</code>.', TEMPLATE_NOTE],
  }),
  restForm({
    type: 'lcc',
    paletteLabel: 'call control',
    switchField: 'action',
    fields: [
      serverField,
      nameField,
      { kind: 'select', key: 'action', label: 'Action', help: 'What to do to the call.', value: 'hangup', options: LCC_ACTIONS.map((a) => [a, a.replace(/_/g, ' ')]) },
      typed(CALL_SID_PROP),
      ...LCC_PROPS.map((p) => typed(p, p.actions)),
    ],
    summary: 'Changes a call in progress (<code>PUT /v1/Accounts/{sid}/Calls/{callSid}</code>): hang up, redirect to new verbs, mute, whisper, pause or resume a listen stream, send a SIP request or DTMF, tag, start or stop recording.',
    details: ['Only the fields the chosen action uses are shown.', TEMPLATE_NOTE],
  }),
  restForm({
    type: 'get_call',
    paletteLabel: 'get call',
    fields: [serverField, nameField, typed(CALL_SID_PROP)],
    summary: 'Reads one call (<code>GET /v1/Accounts/{sid}/Calls/{callSid}</code>).',
  }),
  restForm({
    type: 'get_calls',
    paletteLabel: 'list calls',
    fields: [serverField, nameField, ...LIST_CALLS_PROPS.map((p) => typed(p))],
    summary: 'Lists the account\'s active calls (<code>GET /v1/Accounts/{sid}/Calls</code>), optionally filtered.',
  }),
];

/** Node-RED loads `<name>.js` with `<name>.html` beside it. */
export const FORM_FILES: Record<string, FormSpec[]> = {
  verbs: VERB_FORMS,
  webhook: WEBHOOK_FORMS,
  'user-auth': AUTH_FORMS,
  rest: REST_FORMS,
};
