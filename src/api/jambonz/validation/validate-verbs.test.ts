import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VERB_NAMES, isVerb, validateVerb, validateVerbs } from './index.ts';

/** One valid example per verb, and the properties it requires (the original's spec). */
const valid: Record<string, { example: Record<string, unknown>; required: string[]; wrongType: [string, unknown] }> = {
  alert: { example: { message: 'check me' }, required: ['message'], wrongType: ['message', 5] },
  answer: { example: { id: 'a1' }, required: [], wrongType: ['id', 1] },
  conference: { example: { name: 'room', beep: true, statusEvents: ['join'] }, required: ['name'], wrongType: ['beep', 'yes'] },
  config: {
    example: {
      synthesizer: { vendor: 'default', language: 'en-US' },
      recognizer: { vendor: 'custom', language: 'en-US' },
      bargeIn: { enable: true, input: ['speech'], actionHook: '/barge' },
      notifyEvents: true,
      reset: ['synthesizer'],
      onHoldMusic: 'http://x/hold.wav',
      sipRequestWithinDialogHook: '/info',
    },
    required: [],
    wrongType: ['notifyEvents', 'true'],
  },
  dequeue: { example: { name: 'support', timeout: 10 }, required: ['name'], wrongType: ['timeout', '10'] },
  dial: {
    example: { target: [{ type: 'phone', number: '15083084809' }], answerOnBridge: true, timeout: 30 },
    required: ['target'],
    wrongType: ['answerOnBridge', 1],
  },
  dialogflow: {
    example: { project: 'p', credentials: '{}', lang: 'en-US' },
    required: ['project', 'credentials', 'lang'],
    wrongType: ['lang', 1],
  },
  dtmf: { example: { dtmf: '1234#', duration: 250 }, required: ['dtmf'], wrongType: ['duration', '250'] },
  dub: { example: { action: 'addTrack', track: 'music' }, required: ['action', 'track'], wrongType: ['track', 1] },
  enqueue: { example: { name: 'support', priority: 1, actionHook: '/q' }, required: ['name'], wrongType: ['priority', 'high'] },
  gather: {
    example: {
      input: ['digits', 'speech'],
      numDigits: 1,
      finishOnKey: '#',
      interDigitTimeout: 3,
      timeout: 10,
      actionHook: { url: '/menu', method: 'POST' },
      say: { text: 'press one' },
      listenDuringPrompt: true,
      dtmfBargein: true,
    },
    required: [],
    wrongType: ['numDigits', '1'],
  },
  hangup: { example: { headers: { 'X-Reason': 'done' } }, required: [], wrongType: ['headers', 'X-Reason: done'] },
  leave: { example: { id: 'l1' }, required: [], wrongType: ['id', 2] },
  lex: {
    example: { botId: 'b', botAlias: 'a', region: 'us-east-1', credentials: { accessKey: 'k' } },
    required: ['botId', 'botAlias', 'region', 'credentials'],
    wrongType: ['region', 1],
  },
  listen: { example: { url: '/audio', sampleRate: 8000, mixType: 'stereo' }, required: ['url'], wrongType: ['sampleRate', '8000'] },
  llm: { example: { vendor: 'openai', llmOptions: { response_create: {} } }, required: ['vendor', 'llmOptions'], wrongType: ['events', 'all'] },
  message: { example: { to: '1', from: '2', text: 'hi' }, required: ['to', 'from'], wrongType: ['text', 1] },
  pause: { example: { length: 2 }, required: ['length'], wrongType: ['length', '2'] },
  play: {
    example: { url: ['http://x/a.wav', 'silence_stream://500'], loop: 2, seekOffset: 8000, timeoutSecs: 5, actionHook: '/played' },
    required: ['url'],
    wrongType: ['earlyMedia', 'no'],
  },
  rasa: { example: { url: 'http://rasa/webhook' }, required: ['url'], wrongType: ['prompt', 1] },
  redirect: { example: { actionHook: '/next' }, required: ['actionHook'], wrongType: ['actionHook', 5] },
  say: {
    example: { text: ['<speak>hello</speak>', 'again'], loop: 'forever', earlyMedia: true, synthesizer: { vendor: 'default' } },
    required: [],
    wrongType: ['text', 5],
  },
  'sip:decline': { example: { status: 486, reason: 'Busy Here', headers: { 'X-Why': 'busy' } }, required: ['status'], wrongType: ['status', '486'] },
  'sip:refer': { example: { referTo: 'sip:1000@127.0.0.1', actionHook: '/refer' }, required: ['referTo'], wrongType: ['referTo', 1000] },
  'sip:request': { example: { method: 'INFO', body: 'x', headers: { 'Content-Type': 'text/plain' } }, required: ['method'], wrongType: ['body', {}] },
  tag: { example: { data: { customer: 'abc' } }, required: ['data'], wrongType: ['data', 'abc'] },
  transcribe: { example: { transcriptionHook: '/t', recognizer: { vendor: 'custom', interim: true } }, required: [], wrongType: ['channel', 'one'] },
};

describe('validateVerbs: every verb of the spec', () => {
  it('the table covers every verb name', () => {
    assert.deepEqual(Object.keys(valid).sort(), [...VERB_NAMES].sort());
  });

  for (const [name, { example, required, wrongType }] of Object.entries(valid)) {
    it(`${name}: valid in both forms`, () => {
      const a = validateVerbs([{ verb: name, ...example }]);
      assert.deepEqual(a, { ok: true, verbs: [{ verb: name, ...example }] });
      const b = validateVerbs([{ [name]: example }]);
      assert.deepEqual(b, a);
    });

    it(`${name}: unknown property rejects the payload`, () => {
      const r = validateVerbs([{ verb: 'answer' }, { verb: name, ...example, bogusProp: 1 }]);
      assert.deepEqual(r, { ok: false, error: `${name}: unknown property bogusProp` });
    });

    it(`${name}: wrong type of ${wrongType[0]} rejects the payload`, () => {
      const r = validateVerbs([{ verb: name, ...example, [wrongType[0]]: wrongType[1] }]);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, new RegExp(`${name}: property ${wrongType[0]}`));
    });

    for (const prop of required) {
      it(`${name}: missing ${prop} rejects the payload`, () => {
        const rest = { ...example };
        delete rest[prop];
        const r = validateVerbs([{ verb: name, ...rest }]);
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.error, new RegExp(`^${name}: missing value for .*${prop}`));
      });
    }
  }
});

describe('validateVerbs: payload shape, enums, nesting, synonyms', () => {
  const rejected: [string, unknown, string | RegExp][] = [
    ['not an array', { verb: 'say', text: 'x' }, 'malformed jambonz payload: must be array'],
    ['a string', 'hello', 'malformed jambonz payload: must be array'],
    ['null', null, 'malformed jambonz payload: must be array'],
    ['an array of strings', ['say'], 'malformed jambonz payload: must be array of objects'],
    ['a null element', [null], 'malformed jambonz payload: must be array of objects'],
    ['no verb key', [{ say: {}, text: 'x' }], 'malformed jambonz payload: missing verb property'],
    ['an unknown verb', [{ verb: 'sing', text: 'x' }], 'invalid instruction: sing'],
    ['a nested type as verb', [{ verb: 'synthesizer', vendor: 'google' }], 'invalid instruction: synthesizer'],
    ['the internal rest:dial', [{ verb: 'rest:dial', call_hook: '/x', from: '1', to: { type: 'phone' } }], 'invalid instruction: rest:dial'],
    ['non-object properties', [{ say: 'hello' }], 'say: properties must be an object'],
    ['a bad enum', [{ verb: 'listen', url: '/a', mixType: 'quad' }], /invalid value quad must be one of mono,stereo,mixed/],
    ['a bad nested enum', [{ verb: 'say', text: 'x', synthesizer: { vendor: 'aws', engine: 'turbo' } }], /invalid value turbo/],
    ['a nested unknown property', [{ verb: 'gather', say: { text: 'x', colour: 'red' } }], 'say: unknown property colour'],
    ['a nested missing property', [{ verb: 'config', synthesizer: { language: 'en-US' } }], 'synthesizer: missing value for vendor'],
    ['a bad dial target', [{ verb: 'dial', target: [{ type: 'fax', number: '1' }] }], /invalid value fax/],
    ['a target that is not an array', [{ verb: 'dial', target: 'sip:x@y' }], /target: unknown property 0/],
    ['good then bad', [{ verb: 'say', text: 'ok' }, { verb: 'pause' }], 'pause: missing value for length'],
  ];
  for (const [what, payload, error] of rejected) {
    it(`rejects ${what}`, () => {
      const r = validateVerbs(payload);
      assert.equal(r.ok, false);
      if (!r.ok) {
        if (typeof error === 'string') assert.equal(r.error, error);
        else assert.match(r.error, error);
      }
    });
  }

  it('an empty array is valid (the caller decides)', () => {
    assert.deepEqual(validateVerbs([]), { ok: true, verbs: [] });
  });

  it('`_` is a pass-through property', () => {
    assert.equal(validateVerbs([{ verb: 'say', text: 'x', _: { anything: 1 } }]).ok, true);
  });

  const synonyms: [Record<string, unknown>, Record<string, unknown>][] = [
    [{ verb: 'stream', url: '/audio' }, { verb: 'listen', url: '/audio' }],
    [{ stream: { url: '/audio' } }, { verb: 'listen', url: '/audio' }],
    [{ verb: 's2s', vendor: 'openai', llmOptions: {} }, { verb: 'llm', vendor: 'openai', llmOptions: {} }],
    [{ verb: 'openai_s2s', llmOptions: {} }, { verb: 'llm', vendor: 'openai', llmOptions: {} }],
    [{ verb: 'deepgram_s2s', llmOptions: {} }, { verb: 'llm', vendor: 'deepgram', llmOptions: {} }],
    [{ ultravox_s2s: { llmOptions: {} } }, { verb: 'llm', vendor: 'ultravox', llmOptions: {} }],
  ];
  for (const [input, output] of synonyms) {
    it(`normalizes ${JSON.stringify(input)}`, () => {
      assert.deepEqual(validateVerbs([input]), { ok: true, verbs: [output] });
    });
  }

  it('validateVerb and isVerb narrow one verb', () => {
    const r = validateVerb({ verb: 'say', text: 'hi' });
    assert.equal(r.ok, true);
    if (r.ok && isVerb(r.verb, 'say')) assert.equal(r.verb.text, 'hi');
    else assert.fail('expected a say verb');
    assert.equal(validateVerb({ verb: 'nope' }).ok, false);
  });

  it('survives huge and deeply nested payloads', () => {
    const nest = (depth: number) => {
      let deep: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < depth; i++) deep = { d: deep };
      return deep;
    };
    assert.equal(validateVerbs([{ verb: 'tag', data: nest(500) }]).ok, true);
    assert.deepEqual(validateVerbs([{ verb: 'tag', data: nest(100_000) }]), {
      ok: false,
      error: 'malformed jambonz payload: nested too deeply',
    });
    assert.equal(validateVerbs([{ verb: 'gather', say: nest(500) }]).ok, false);
    const many = Array.from({ length: 5000 }, () => ({ verb: 'pause', length: 1 }));
    assert.equal(validateVerbs(many).ok, true);
  });
});
