import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import verbsNode from '../src/nodes/verbs';
import { VERBS } from '../src/lib/verb-table';
import { helper, nextError, nextMessage, nextStatus, useHelper } from './support/helper';

useHelper();

type Config = Record<string, unknown>;

async function run(type: string, config: Config, msg: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const flow = [
    { id: 'n1', type, name: 'under test', wires: [['out']], ...config },
    { id: 'out', type: 'helper' },
  ];
  await helper.load(verbsNode, flow);
  const received = nextMessage('out');
  helper.getNode('n1').receive({ payload: 'x', ...msg });
  return received;
}

const call = { call_sid: 'CA-1', from: '15083084809', to: '16174000000', direction: 'inbound' };

/** One case per verb node: configuration in, exact verb out. */
const CASES: Array<{ type: string; config: Config; verb: Record<string, unknown> }> = [
  { type: 'answer', config: {}, verb: { verb: 'answer' } },
  {
    type: 'conference',
    config: { verb_name: 'room-{{call.to}}', verb_nameType: 'str', beep: 'true', beepType: 'bool', maxParticipants: '5', maxParticipantsType: 'num', statusEvents: 'join, leave', statusEventsType: 'str', statusHook: '/conf', statusHookType: 'str' },
    verb: { verb: 'conference', name: 'room-16174000000', beep: true, maxParticipants: 5, statusEvents: ['join', 'leave'], statusHook: '/conf' },
  },
  {
    type: 'cfg',
    config: { synthesizer_vendor: 'google', synthesizer_vendorType: 'str', synthesizer_language: 'en-US', synthesizer_languageType: 'str', bargeIn: '{"enable":true,"input":["digits"],"actionHook":"/barge"}', bargeInType: 'json', notifyEvents: 'false', notifyEventsType: 'bool' },
    verb: { verb: 'config', synthesizer: { vendor: 'google', language: 'en-US' }, bargeIn: { enable: true, input: ['digits'], actionHook: '/barge' }, notifyEvents: false },
  },
  {
    type: 'dequeue',
    config: { verb_name: 'support', verb_nameType: 'str', timeout: '30', timeoutType: 'num', actionHook: '/after', actionHookType: 'str' },
    verb: { verb: 'dequeue', name: 'support', timeout: 30, actionHook: '/after' },
  },
  {
    type: 'dial',
    config: { target: '{"type":"phone","number":"{{call.from}}"}', targetType: 'json', callerId: '{{call.to}}', callerIdType: 'str', answerOnBridge: 'true', answerOnBridgeType: 'bool', timeout: '20', timeoutType: 'num', headers: '{"X-Foo":"bar"}', headersType: 'json' },
    verb: { verb: 'dial', target: [{ type: 'phone', number: '15083084809' }], callerId: '16174000000', answerOnBridge: true, timeout: 20, headers: { 'X-Foo': 'bar' } },
  },
  {
    type: 'dialogflow',
    config: { project: 'my-agent', projectType: 'str', verb_credentials: '{"type":"service_account"}', verb_credentialsType: 'json', lang: 'en-US', langType: 'str', welcomeEvent: 'welcome', welcomeEventType: 'str', tts_vendor: 'google', tts_vendorType: 'str' },
    verb: { verb: 'dialogflow', project: 'my-agent', credentials: { type: 'service_account' }, lang: 'en-US', welcomeEvent: 'welcome', tts: { vendor: 'google' } },
  },
  { type: 'dtmf', config: { dtmf: '1234#', dtmfType: 'str', duration: '250', durationType: 'num' }, verb: { verb: 'dtmf', dtmf: '1234#', duration: 250 } },
  {
    type: 'enqueue',
    config: { verb_name: 'sales', verb_nameType: 'str', waitHook: '/hold', waitHookType: 'str', priority: '3', priorityType: 'num' },
    verb: { verb: 'enqueue', name: 'sales', waitHook: '/hold', priority: 3 },
  },
  {
    type: 'gather',
    config: { input: 'digits,speech', inputType: 'str', actionHook: '/menu', actionHookType: 'str', say_text: 'Press 1', say_textType: 'str', numDigits: '1', numDigitsType: 'num', timeout: '10', timeoutType: 'num', recognizer_hints: 'sales, support', recognizer_hintsType: 'str' },
    verb: { verb: 'gather', input: ['digits', 'speech'], actionHook: '/menu', say: { text: 'Press 1' }, numDigits: 1, timeout: 10, recognizer: { hints: ['sales', 'support'] } },
  },
  { type: 'hangup', config: { headers: '{"X-Reason":"done"}', headersType: 'json' }, verb: { verb: 'hangup', headers: { 'X-Reason': 'done' } } },
  { type: 'leave', config: {}, verb: { verb: 'leave' } },
  {
    type: 'listen',
    config: { url: 'wss://example.test/audio', urlType: 'str', mixType: 'stereo', mixTypeType: 'str', sampleRate: '16000', sampleRateType: 'num', metadata: '{"topic":"{{call.call_sid}}"}', metadataType: 'json', wsAuth_username: 'u', wsAuth_usernameType: 'str', passDtmf: 'true', passDtmfType: 'bool' },
    verb: { verb: 'listen', url: 'wss://example.test/audio', mixType: 'stereo', sampleRate: 16000, metadata: { topic: 'CA-1' }, wsAuth: { username: 'u' }, passDtmf: true },
  },
  { type: 'pause', config: { length: '3', lengthType: 'num' }, verb: { verb: 'pause', length: 3 } },
  {
    type: 'play',
    config: { url: 'http://example.test/a.wav', urlType: 'str', loop: '2', loopType: 'num', earlyMedia: 'true', earlyMediaType: 'bool' },
    verb: { verb: 'play', url: 'http://example.test/a.wav', loop: 2, earlyMedia: true },
  },
  {
    type: 'redirect',
    config: { actionHook: '{"url":"/next","method":"GET"}', actionHookType: 'json' },
    verb: { verb: 'redirect', actionHook: { url: '/next', method: 'GET' } },
  },
  {
    type: 'say',
    config: { text: 'Hello {{call.from}}', textType: 'str', loop: '', loopType: 'num', earlyMedia: '', earlyMediaType: 'unset', synthesizer_voice: 'en-US-Standard-C', synthesizer_voiceType: 'str' },
    verb: { verb: 'say', text: 'Hello 15083084809', synthesizer: { voice: 'en-US-Standard-C' } },
  },
  {
    type: 'sip:decline',
    config: { status: '486', statusType: 'num', reason: 'Busy Here', reasonType: 'str' },
    verb: { verb: 'sip:decline', status: 486, reason: 'Busy Here' },
  },
  {
    type: 'sip:refer',
    config: { referTo: 'sip:alice@example.test', referToType: 'str', referredBy: '{{call.to}}', referredByType: 'str', actionHook: '/refer', actionHookType: 'str' },
    verb: { verb: 'sip:refer', referTo: 'sip:alice@example.test', referredBy: '16174000000', actionHook: '/refer' },
  },
  {
    type: 'sip:request',
    config: { method: 'INFO', methodType: 'str', body: 'hello', bodyType: 'str', headers: '{"Content-Type":"text/plain"}', headersType: 'json' },
    verb: { verb: 'sip:request', method: 'INFO', body: 'hello', headers: { 'Content-Type': 'text/plain' } },
  },
  { type: 'tag', config: { data: '{"caller":"{{call.from}}","n":1,"note":""}', dataType: 'json' }, verb: { verb: 'tag', data: { caller: '15083084809', n: 1, note: '' } } },
];

describe('verb nodes', () => {
  it('has a case for every verb node', () => {
    assert.deepEqual(
      CASES.map((c) => c.type).sort(),
      VERBS.map((v) => v.type).sort(),
    );
  });

  for (const c of CASES) {
    it(`${c.type} appends ${JSON.stringify(c.verb)}`, async () => {
      const msg = await run(c.type, c.config, { call });
      assert.deepEqual(msg.jambonz, [c.verb]);
    });
  }

  it('appends to an existing verb array and keeps the message', async () => {
    const msg = await run('hangup', {}, { call, jambonz: [{ verb: 'say', text: 'bye' }] });
    assert.deepEqual(msg.jambonz, [{ verb: 'say', text: 'bye' }, { verb: 'hangup' }]);
    assert.equal(msg.payload, 'x');
    assert.deepEqual(msg.call, call);
  });

  it('replaces a non-array msg.jambonz with a new array', async () => {
    const msg = await run('answer', {}, { jambonz: 'junk' });
    assert.deepEqual(msg.jambonz, [{ verb: 'answer' }]);
  });

  it('drops empty properties: empty strings, unset booleans, empty objects', async () => {
    const msg = await run('say', {
      text: 'hi', textType: 'str',
      loop: '', loopType: 'num',
      earlyMedia: '', earlyMediaType: 'unset',
      synthesizer_vendor: '', synthesizer_vendorType: 'str',
      disableTtsCache: 'false', disableTtsCacheType: 'bool',
    });
    assert.deepEqual(msg.jambonz, [{ verb: 'say', text: 'hi', disableTtsCache: false }]);
  });

  it('reads msg, flow, global and env properties', async () => {
    process.env.SB_TEST_VOICE = 'voice-from-env';
    const flow = [
      { id: 'f1', type: 'tab' },
      {
        id: 'n1', z: 'f1', type: 'say', wires: [['out']],
        text: 'prompt.text', textType: 'msg',
        synthesizer_vendor: 'ttsVendor', synthesizer_vendorType: 'flow',
        synthesizer_language: 'ttsLanguage', synthesizer_languageType: 'global',
        synthesizer_voice: 'SB_TEST_VOICE', synthesizer_voiceType: 'env',
        loop: 'loops', loopType: 'msg',
      },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const n1 = helper.getNode('n1');
    n1.context().flow.set('ttsVendor', 'polly');
    n1.context().global.set('ttsLanguage', 'de-DE');
    const received = nextMessage('out');
    n1.receive({ prompt: { text: 'from msg' }, loops: '2' });
    const msg = await received;
    assert.deepEqual(msg.jambonz, [
      { verb: 'say', text: 'from msg', loop: 2, synthesizer: { vendor: 'polly', language: 'de-DE', voice: 'voice-from-env' } },
    ]);
  });

  it('evaluates JSONata expressions', async () => {
    const msg = await run(
      'gather',
      { input: '["digits"]', inputType: 'json', numDigits: 'call.digitsWanted * 2', numDigitsType: 'jsonata', say_text: '"Hello " & call.from', say_textType: 'jsonata' },
      { call: { from: 'alice', digitsWanted: 2 } },
    );
    assert.deepEqual(msg.jambonz, [{ verb: 'gather', input: ['digits'], numDigits: 4, say: { text: 'Hello alice' } }]);
  });

  it('renders flow and global values in templates', async () => {
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'n1', z: 'f1', type: 'say', wires: [['out']], text: '{{flow.greeting}}, {{global.company}} — {{{call.from}}}', textType: 'str' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const n1 = helper.getNode('n1');
    n1.context().flow.set('greeting', 'Welcome');
    n1.context().global.set('company', 'Acme & Co');
    const received = nextMessage('out');
    n1.receive({ call });
    assert.deepEqual((await received).jambonz, [{ verb: 'say', text: 'Welcome, Acme & Co — 15083084809' }]);
  });

  it('coerces template results to numbers and booleans', async () => {
    const msg = await run(
      'play',
      { url: 'u', urlType: 'str', loop: '{{opts.loop}}', loopType: 'str', earlyMedia: 'opts.early', earlyMediaType: 'msg' },
      { opts: { loop: '3', early: 'true' } },
    );
    assert.deepEqual(msg.jambonz, [{ verb: 'play', url: 'u', loop: 3, earlyMedia: true }]);
  });

  it('reports a bad value on the node status and does not send', async () => {
    const flow = [
      { id: 'n1', type: 'pause', wires: [['out']], length: '{{call.from}}', lengthType: 'str' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const status = nextStatus('n1');
    const error = nextError('n1');
    let sent = false;
    helper.getNode('out').on('input', () => {
      sent = true;
    });
    helper.getNode('n1').receive({ call: { from: 'alice' } });
    assert.equal((await status).fill, 'red');
    assert.match(await error, /length: "alice" is not a number/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sent, false);
  });

  it('reports invalid JSON from a string input', async () => {
    const flow = [
      { id: 'n1', type: 'tag', wires: [['out']], data: 'tagData', dataType: 'msg' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const error = nextError('n1');
    helper.getNode('n1').receive({ tagData: '{"broken": ' });
    assert.match(await error, /data: invalid JSON/);
  });

  it('warns about a missing required property but still appends the verb', async () => {
    const flow = [
      { id: 'n1', type: 'say', wires: [['out']], text: 'nothing.here', textType: 'msg' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const status = nextStatus('n1');
    const received = nextMessage('out');
    helper.getNode('n1').receive({});
    assert.deepEqual(await status, { fill: 'yellow', shape: 'ring', text: 'missing text' });
    assert.deepEqual((await received).jambonz, [{ verb: 'say' }]);
  });
});

describe('generic verb node', () => {
  it('builds a verb from a name and JSON data with templates', async () => {
    const msg = await run('generic', { verb: 'llm', verbType: 'str', data: '{"vendor":"openai","llmOptions":{"greeting":"hi {{call.from}}"},"empty":""}', dataType: 'json' }, { call });
    assert.deepEqual(msg.jambonz, [{ verb: 'llm', vendor: 'openai', llmOptions: { greeting: 'hi 15083084809' } }]);
  });

  it('accepts the single-key form and data from msg', async () => {
    const msg = await run('generic', { verb: '', verbType: 'str', data: 'custom', dataType: 'msg' }, { custom: { say: { text: 'hello' } } });
    assert.deepEqual(msg.jambonz, [{ say: { text: 'hello' } }]);
  });

  it('rejects data that is not an object', async () => {
    const flow = [
      { id: 'n1', type: 'generic', wires: [['out']], verb: 'say', verbType: 'str', data: '[1,2]', dataType: 'json' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load(verbsNode, flow);
    const error = nextError('n1');
    helper.getNode('n1').receive({});
    assert.match(await error, /data: must be a JSON object/);
  });
});
