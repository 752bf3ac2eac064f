import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import restNode from '../src/nodes/rest';
import { helper, nextMessage, nextStatus, useHelper } from './support/helper';
import { startStub, type StubServer } from './support/stub-server';

useHelper();

let stub: StubServer;
before(async () => {
  stub = await startStub();
});
after(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
});

const ACCOUNT = 'AC-123';

function serverNode(url: string): Record<string, unknown> {
  return { id: 's1', type: 'switchboard-server', url, accountSid: ACCOUNT };
}

/** Loads one REST node wired to `ok` and `err` helpers, sends msg, resolves with the output reached. */
async function run(
  type: string,
  config: Record<string, unknown>,
  msg: Record<string, unknown> = {},
  url = stub.url,
): Promise<{ port: 'ok' | 'err'; msg: Record<string, unknown> }> {
  await helper.load(
    restNode,
    [serverNode(url), { id: 'n1', type, server: 's1', wires: [['ok'], ['err']], ...config }, { id: 'ok', type: 'helper' }, { id: 'err', type: 'helper' }],
    { s1: { apiKey: 'key-1' } },
  );
  const ok = nextMessage('ok', 3000).then((m) => ({ port: 'ok' as const, msg: m }));
  const err = nextMessage('err', 3000).then((m) => ({ port: 'err' as const, msg: m }));
  ok.catch(() => undefined);
  err.catch(() => undefined);
  helper.getNode('n1').receive(msg);
  return Promise.any([ok, err]);
}

const call = { call_sid: 'CA-9', from: '15083084809', to: '16174000000' };

describe('create call node', () => {
  it('posts the call with Bearer auth and returns the new sid', async () => {
    stub.reply({ status: 201, body: { sid: 'CA-new', callId: 'abc@host' } });
    const out = await run(
      'create-call',
      {
        from: '{{call.to}}', fromType: 'str',
        toType: 'sip', to_value: 'sip:bob@127.0.0.1:5090', to_valueType: 'str',
        to_auth_username: 'bob', to_auth_usernameType: 'str',
        call_hook: '{"url":"http://127.0.0.1:1880/outbound","method":"POST"}', call_hookType: 'json',
        app_json: '', app_jsonType: 'json',
        timeout: '30', timeoutType: 'num',
        tag: '{"origin":"{{call.call_sid}}"}', tagType: 'json',
        callerName: '', callerNameType: 'str',
      },
      { call },
    );
    assert.equal(out.port, 'ok');
    assert.deepEqual(out.msg.payload, { sid: 'CA-new', callId: 'abc@host' });
    assert.equal(out.msg.statusCode, 201);
    assert.equal(out.msg.callSid, 'CA-new');
    assert.equal(stub.requests.length, 1);
    const req = stub.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, `/v1/Accounts/${ACCOUNT}/Calls`);
    assert.equal(req.authorization, 'Bearer key-1');
    assert.match(req.contentType ?? '', /application\/json/);
    assert.deepEqual(req.body, {
      from: '16174000000',
      to: { type: 'sip', sipUri: 'sip:bob@127.0.0.1:5090', auth: { username: 'bob' } },
      call_hook: { url: 'http://127.0.0.1:1880/outbound', method: 'POST' },
      timeout: 30,
      tag: { origin: 'CA-9' },
    });
  });

  it('sends app_json as a string of verbs and a phone target', async () => {
    stub.reply({ status: 201, body: { sid: 'CA-2' } });
    await run('create-call', {
      from: '100', fromType: 'str', toType: 'phone', to_value: '200', to_valueType: 'str', to_trunk: 'carrier-a', to_trunkType: 'str',
      app_json: '[{"verb":"say","text":"hi"}]', app_jsonType: 'json',
    });
    assert.deepEqual(stub.requests[0]!.body, {
      from: '100',
      to: { type: 'phone', number: '200', trunk: 'carrier-a' },
      app_json: '[{"verb":"say","text":"hi"}]',
    });
  });

  it('shows a validation error from the server on the status and sends it to output 2', async () => {
    stub.reply({ status: 400, body: { msg: 'missing required property: from' } });
    await helper.load(
      restNode,
      [serverNode(stub.url), { id: 'n1', type: 'create-call', server: 's1', wires: [['ok'], ['err']], toType: 'phone', to_value: '1', to_valueType: 'str' }, { id: 'ok', type: 'helper' }, { id: 'err', type: 'helper' }],
      { s1: { apiKey: 'key-1' } },
    );
    const status = nextStatus('n1');
    const err = nextMessage('err');
    helper.getNode('n1').receive({});
    assert.deepEqual(await status, { fill: 'red', shape: 'ring', text: '400: missing required property: from' });
    const m = await err;
    assert.equal(m.statusCode, 400);
    assert.deepEqual(m.error, { message: '400: missing required property: from', code: 'SB_NR_REST_HTTP', statusCode: 400, body: { msg: 'missing required property: from' } });
  });
});

describe('live call control node', () => {
  const CASES: Array<{ action: string; config?: Record<string, unknown>; body: unknown; status?: number }> = [
    { action: 'hangup', body: { call_status: 'completed' } },
    { action: 'cancel', body: { call_status: 'no-answer' } },
    { action: 'redirect', config: { callHook: 'http://127.0.0.1:1880/next', callHookType: 'str' }, body: { call_hook: 'http://127.0.0.1:1880/next' } },
    { action: 'mute', body: { mute_status: 'mute' } },
    { action: 'unmute', body: { mute_status: 'unmute' } },
    { action: 'whisper', config: { text: 'You have one minute', textType: 'str', synthesizer_voice: 'v1', synthesizer_voiceType: 'str' }, body: { whisper: { verb: 'say', text: 'You have one minute', synthesizer: { voice: 'v1' } } } },
    { action: 'pause', body: { listen_status: 'pause' } },
    { action: 'resume', body: { listen_status: 'resume' } },
    {
      action: 'sip_request',
      config: { sipMethod: 'INFO', sipMethodType: 'str', sipContentType: 'application/json', sipContentTypeType: 'str', sipBody: '{{payload}}', sipBodyType: 'str' },
      body: { sip_request: { method: 'INFO', content_type: 'application/json', content: 'hello' } },
      status: 200,
    },
    { action: 'send_dtmf', config: { dtmf: '12#', dtmfType: 'str', dtmfDuration: '200', dtmfDurationType: 'num' }, body: { dtmf: { digit: '12#', duration: 200 } } },
    { action: 'tag', config: { tag: '{"vip":true}', tagType: 'json' }, body: { tag: { vip: true } } },
    {
      action: 'start_call_recording',
      config: { recordingID: 'rec-1', recordingIDType: 'str', siprecServerURL: 'sip:rec@127.0.0.1', siprecServerURLType: 'str' },
      body: { record: { action: 'startCallRecording', recordingID: 'rec-1', siprecServerURL: 'sip:rec@127.0.0.1' } },
    },
    { action: 'stop_call_recording', body: { record: { action: 'stopCallRecording' } } },
  ];

  for (const c of CASES) {
    it(`${c.action} sends ${JSON.stringify(c.body)}`, async () => {
      stub.reply({ status: c.status ?? 202, body: c.status === 200 ? { status: 200, reason: 'OK' } : undefined });
      const out = await run('lcc', { action: c.action, callSid: 'call.call_sid', callSidType: 'msg', ...c.config }, { call, payload: 'hello' });
      assert.equal(out.port, 'ok');
      assert.equal(out.msg.statusCode, c.status ?? 202);
      const req = stub.requests[0]!;
      assert.equal(req.method, 'PUT');
      assert.equal(req.url, `/v1/Accounts/${ACCOUNT}/Calls/CA-9`);
      assert.equal(req.authorization, 'Bearer key-1');
      assert.deepEqual(req.body, c.body);
    });
  }

  it('reports "call session is gone" (422) from the server', async () => {
    stub.reply({ status: 422, body: { msg: 'call session is gone' } });
    const out = await run('lcc', { action: 'hangup', callSid: 'CA-gone', callSidType: 'str' });
    assert.equal(out.port, 'err');
    assert.equal((out.msg.error as { message: string }).message, '422: call session is gone');
  });

  it('rejects a whisper without text before any request', async () => {
    const out = await run('lcc', { action: 'whisper', callSid: 'CA-1', callSidType: 'str' });
    assert.equal(out.port, 'err');
    assert.match((out.msg.error as { message: string }).message, /whisper needs text/);
    assert.equal(stub.requests.length, 0);
  });

  it('fails without a call sid', async () => {
    const out = await run('lcc', { action: 'hangup', callSid: 'call.call_sid', callSidType: 'msg' }, {});
    assert.equal(out.port, 'err');
    assert.match((out.msg.error as { message: string }).message, /no call sid/);
  });
});

describe('get call and list calls nodes', () => {
  it('gets one call', async () => {
    stub.reply({ status: 200, body: { call_sid: 'CA-9', call_status: 'in-progress' } });
    const out = await run('get_call', { callSid: 'call.call_sid', callSidType: 'msg' }, { call });
    assert.equal(out.port, 'ok');
    assert.deepEqual(out.msg.payload, { call_sid: 'CA-9', call_status: 'in-progress' });
    assert.equal(stub.requests[0]!.method, 'GET');
    assert.equal(stub.requests[0]!.url, `/v1/Accounts/${ACCOUNT}/Calls/CA-9`);
    assert.equal(stub.requests[0]!.body, undefined);
  });

  it('lists calls with filters in the query string', async () => {
    stub.reply({ status: 200, body: [{ call_sid: 'a' }, { call_sid: 'b' }] });
    const out = await run('get_calls', { direction: 'inbound', directionType: 'str', callStatus: 'in-progress', callStatusType: 'str', from: '', fromType: 'str' });
    assert.equal(out.port, 'ok');
    assert.equal((out.msg.payload as unknown[]).length, 2);
    assert.equal(stub.requests[0]!.url, `/v1/Accounts/${ACCOUNT}/Calls?direction=inbound&callStatus=in-progress`);
  });

  it('reports a 404 with a plain-text body', async () => {
    stub.reply({ status: 404, raw: 'call not found' });
    const out = await run('get_call', { callSid: 'nope', callSidType: 'str' });
    assert.equal(out.port, 'err');
    assert.equal((out.msg.error as { message: string }).message, '404: call not found');
  });

  it('reports a server that cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const out = await run('get_calls', {}, {}, `http://127.0.0.1:${port}`);
    assert.equal(out.port, 'err');
    const error = out.msg.error as { message: string; code: string };
    assert.equal(error.code, 'SB_NR_REST_NETWORK');
    assert.match(error.message, /cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('reports a missing API key without sending anything', async () => {
    await helper.load(restNode, [serverNode(stub.url), { id: 'n1', type: 'get_calls', server: 's1', wires: [['ok'], ['err']] }, { id: 'ok', type: 'helper' }, { id: 'err', type: 'helper' }]);
    const err = nextMessage('err');
    helper.getNode('n1').receive({});
    assert.match(((await err).error as { message: string }).message, /no API key configured/);
    assert.equal(stub.requests.length, 0);
  });
});
