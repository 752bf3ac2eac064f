/**
 * End to end in a real Node-RED runtime: the package is installed into a temporary user
 * directory, the IVR example flow is loaded, and webhooks are POSTed as the server would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, post, startNodeRed, waitForRoute, type Runtime } from './support/runtime';
import { startStub, type StubServer } from './support/stub-server';

const example = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'IVR menu.json'), 'utf8')) as Array<Record<string, unknown>>;

/** Extra test flow on its own tab: registration hook, GET hook. */
const extra = [
  { id: 't2', type: 'tab', label: 'extra' },
  { id: 'r-in', type: 'webhook in', z: 't2', url: '/register', method: 'post', wires: [['r-auth']] },
  { id: 'r-auth', type: 'user auth', z: 't2', password: 's3cret', passwordType: 'str', expires: '300', expiresType: 'num', wires: [['r-out']] },
  { id: 'r-out', type: 'webhook out', z: 't2', wires: [] },
  { id: 'g-in', type: 'webhook in', z: 't2', url: 'get-hook', method: 'get', wires: [['g-say']] },
  { id: 'g-say', type: 'say', z: 't2', text: 'GET from {{call.from}}', textType: 'str', wires: [['g-out']] },
  { id: 'g-out', type: 'webhook out', z: 't2', wires: [] },
];

/** A REST node driven by an http in route, its result answered by http response. */
const restFlow = (stubUrl: string): unknown[] => [
  { id: 's1', type: 'switchboard-server', url: stubUrl, accountSid: 'AC-1' },
  { id: 'x-in', type: 'http in', z: 't2', url: '/rest', method: 'post', wires: [['x-cc']] },
  {
    id: 'x-cc', type: 'create-call', z: 't2', server: 's1', from: 'payload.from', fromType: 'msg', toType: 'user', to_value: 'payload.to', to_valueType: 'msg',
    app_json: '[{"verb":"say","text":"hi {{payload.to}}"}]', app_jsonType: 'json', wires: [['x-res'], ['x-res']],
  },
  { id: 'x-res', type: 'change', z: 't2', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"result": payload, "statusCode": statusCode, "error": error.message}', tot: 'jsonata' }], wires: [['x-out']] },
  { id: 'x-out', type: 'http response', z: 't2', wires: [] },
];

const CALL = {
  call_sid: 'b6f48929-8e86-4d62-ae3b-64fb574d91f6',
  direction: 'inbound',
  from: '15083084809',
  to: '16174000000',
  call_id: '7fb2e8e4@127.0.0.1',
  sip_status: 100,
  call_status: 'trying',
  account_sid: 'AC-1',
  application_sid: 'AP-1',
  sip: { headers: { 'X-Test': '1' } },
};

let rt: Runtime;
let stub: StubServer;

before(async () => {
  stub = await startStub();
  rt = await startNodeRed([...example, ...extra, ...restFlow(stub.url)], { s1: { apiKey: 'key-from-credentials' } });
  await waitForRoute(`${rt.url}/ivr`, CALL);
});
after(async () => {
  await rt?.stop();
  await stub?.close();
});

describe('IVR example flow in a real Node-RED runtime', () => {
  it('answers the initial call hook with the menu verbs', async () => {
    const res = await post(`${rt.url}/ivr`, CALL);
    assert.equal(res.status, 200);
    assert.match(res.type, /application\/json/);
    assert.deepEqual(res.body, [
      {
        verb: 'gather',
        input: ['digits'],
        actionHook: '/ivr/menu',
        say: { text: 'Hello 15083084809. For sales press 1. For support press 2.' },
        numDigits: 1,
        timeout: 10,
        dtmfBargein: true,
      },
    ]);
  });

  it('branches on the gathered digit', async () => {
    const sales = await post(`${rt.url}/ivr/menu`, { ...CALL, call_status: 'in-progress', reason: 'dtmfDetected', digits: '1' });
    assert.deepEqual(sales.body, [{ verb: 'say', text: 'You chose sales. Thank you for calling.' }, { verb: 'hangup' }]);
    const support = await post(`${rt.url}/ivr/menu`, { ...CALL, reason: 'dtmfDetected', digits: '2' });
    assert.deepEqual(support.body, [{ verb: 'say', text: 'You chose support. Thank you for calling.' }, { verb: 'hangup' }]);
    const timeout = await post(`${rt.url}/ivr/menu`, { ...CALL, reason: 'timeout' });
    assert.deepEqual(timeout.body, [{ verb: 'say', text: 'Sorry, I did not get that.' }, { verb: 'redirect', actionHook: '/ivr' }]);
  });

  it('accepts a form-encoded hook body and query parameters', async () => {
    const res = await post(`${rt.url}/ivr/menu?digits=2`, 'from=alice&reason=dtmfDetected', 'application/x-www-form-urlencoded');
    assert.deepEqual(res.body, [{ verb: 'say', text: 'You chose support. Thank you for calling.' }, { verb: 'hangup' }]);
  });

  it('answers broken JSON with 400 and keeps serving', async () => {
    const bad = await post(`${rt.url}/ivr`, '{"call_sid": ');
    assert.equal(bad.status, 400);
    assert.match(String((bad.body as { error: string }).error), /invalid JSON body/);
    const good = await post(`${rt.url}/ivr`, CALL);
    assert.equal(good.status, 200);
  });

  it('answers a registration hook through user auth', async () => {
    // RFC 2617-style digest for alice / s3cret, computed separately (MD5, qop auth).
    const authRequest = {
      method: 'REGISTER', realm: 'example.test', username: 'alice', expires: 3600, nonce: 'abc123',
      uri: 'sip:example.test', algorithm: 'MD5', qop: 'auth', cnonce: 'xyz', nc: '00000001',
      response: 'b525228e01b7ca369c7cec247b97f67d',
    };
    const ok = await post(`${rt.url}/register`, authRequest);
    assert.deepEqual(ok.body, { status: 'ok', expires: 300 });
    const fail = await post(`${rt.url}/register`, { ...authRequest, response: '0'.repeat(32) });
    assert.deepEqual(fail.body, { status: 'fail', msg: 'incorrect password' });
  });

  it('lists the IVR example where the editor imports examples from', async () => {
    const modules = (await (await fetch(`${rt.url}/admin/library/examples/flows/`)).json()) as string[];
    assert.ok(modules.includes('node-red-contrib-switchboard'));
    const flow = (await (await fetch(`${rt.url}/admin/library/examples/flows/node-red-contrib-switchboard/IVR%20menu`)).json()) as unknown[];
    assert.deepEqual(flow, example);
  });

  it('runs a REST node with the API key from the credentials file and reports the server\'s validation error', async () => {
    stub.reply({ status: 201, body: { sid: 'CA-7', callId: 'x@y' } });
    const ok = await post(`${rt.url}/rest`, { from: '100', to: 'alice' });
    assert.deepEqual(ok.body, { result: { sid: 'CA-7', callId: 'x@y' }, statusCode: 201 });
    const req = stub.requests.at(-1)!;
    assert.equal(req.authorization, 'Bearer key-from-credentials');
    assert.equal(req.url, '/v1/Accounts/AC-1/Calls');
    assert.deepEqual(req.body, { from: '100', to: { type: 'user', name: 'alice' }, app_json: '[{"verb":"say","text":"hi alice"}]' });
    stub.reply({ status: 400, body: { msg: 'invalid verb: sayy' } });
    const bad = await post(`${rt.url}/rest`, { from: '100', to: 'alice' });
    assert.deepEqual(bad.body, { result: { from: '100', to: 'alice' }, statusCode: 400, error: '400: invalid verb: sayy' });
  });

  it('serves a GET hook from the query string', async () => {
    const res = await fetch(`${rt.url}/get-hook?from=bob&call_sid=x`, { signal: AbortSignal.timeout(5000) });
    assert.deepEqual(await res.json(), [{ verb: 'say', text: 'GET from bob' }]);
  });
  it('removes webhook routes when the flow is redeployed without them (runs last)', async () => {
    const kept = [...example.filter((n) => n.id !== 'sb.ivr.in2')];
    const res = await fetch(`${rt.url}/admin/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(kept),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(res.status, 204);
    // The full deploy restarts every node: once /ivr is back, /ivr/menu must be gone.
    await waitForRoute(`${rt.url}/ivr`, CALL);
    assert.equal((await post(`${rt.url}/ivr`, CALL)).status, 200);
    assert.equal((await post(`${rt.url}/ivr/menu`, { digits: '1' })).status, 404);
  });
});
