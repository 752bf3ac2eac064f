/**
 * The palette's REST nodes against the whole server (startServer) on a live call: a real Node-RED 4
 * runtime in this process runs a small webhook app (a gather that waits) and HTTP-in flows that drive
 * the get-call, list-calls and call-control nodes; the test phone calls the app's number (provisioned
 * over REST). Get and list see the call, tag and whisper are accepted, redirect moves the call to a flow
 * that says goodbye and hangs up (the phone gets BYE), and Switchboard's refusals (unknown call, ended
 * call) come back on the nodes' error output and in their status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';

const PKG = fileURLToPath(new URL('../../packages/node-red-contrib-switchboard/', import.meta.url));
const until = (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => waitUntil(what, check, ms, 20);

interface NodeRed { url: string; stop(): Promise<void> }
interface RuntimeModule {
  startNodeRed(flows: unknown[], credentials?: Record<string, Record<string, string>>, settings?: Record<string, unknown>): Promise<NodeRed>;
  waitForRoute(url: string, probe: unknown, timeoutMs?: number): Promise<void>;
  post(url: string, body: unknown): Promise<{ status: number; type: string; body: unknown }>;
}

function loadRuntime(): RuntimeModule {
  const require = createRequire(import.meta.url);
  try {
    return require(join(PKG, 'dist/test/support/runtime.js')) as RuntimeModule;
  } catch (err) {
    throw new Error(`the palette is not built: run npm ci --prefix packages/node-red-contrib-switchboard (${(err as Error).message})`);
  }
}

interface Entry { kind: string; data: Record<string, unknown> }
interface Reply { payload?: unknown; statusCode?: number; error?: { message?: string; code?: string; statusCode?: number } }

const Z = 'rest.tab';
const tap = (id: string, kind: string, expr: string): Record<string, unknown> => (
  { id, type: 'function', z: Z, name: `tap ${kind}`, func: `global.get('record')(${JSON.stringify(kind)}, ${expr});\nreturn null;`, outputs: 0, wires: [] }
);

/** POST /rest/<name> {sid, ...} -> the REST node -> {payload, statusCode, error}. */
function restRoute(name: string, node: Record<string, unknown>): Record<string, unknown>[] {
  const id = `rest.${name}`;
  return [
    { id: `${id}.in`, type: 'http in', z: Z, url: `/rest/${name}`, method: 'post', wires: [[id]] },
    { ...node, id, z: Z, server: 'rest.server', callSid: 'payload.sid', callSidType: 'msg', wires: [['rest.reply'], ['rest.reply']] },
  ];
}

function flows(serverUrl: string, accountSid: string): unknown[] {
  return [
    { id: Z, type: 'tab', label: 'rest' },
    { id: 'rest.server', type: 'switchboard-server', url: serverUrl, accountSid },
    // The app: a gather that waits for a digit for a long time.
    { id: 'app.in', type: 'webhook in', z: Z, url: '/app', method: 'post', wires: [['app.gather', 'app.tap']] },
    tap('app.tap', 'hook', '{ path: msg.req.path, call: msg.call }'),
    {
      id: 'app.gather', type: 'gather', z: Z, input: '["digits"]', inputType: 'json', actionHook: '/app/done', actionHookType: 'str', say_text: 'Please hold on.',
      say_textType: 'str', numDigits: '1', numDigitsType: 'num', timeout: '30', timeoutType: 'num', wires: [['app.out']],
    },
    { id: 'app.out', type: 'webhook out', z: Z, wires: [] },
    // Where redirect sends the call: say goodbye and hang up.
    { id: 'bye.in', type: 'webhook in', z: Z, url: '/bye', method: 'post', wires: [['bye.say', 'bye.tap']] },
    tap('bye.tap', 'hook', '{ path: msg.req.path, call: msg.call }'),
    { id: 'bye.say', type: 'say', z: Z, text: 'Goodbye.', textType: 'str', wires: [['bye.hangup']] },
    { id: 'bye.hangup', type: 'hangup', z: Z, wires: [['bye.out']] },
    { id: 'bye.out', type: 'webhook out', z: Z, wires: [] },
    ...restRoute('get', { type: 'get_call' }),
    ...restRoute('list', { type: 'get_calls', direction: 'inbound', directionType: 'str' }),
    ...restRoute('tag', { type: 'lcc', action: 'tag', tag: 'payload.tag', tagType: 'msg' }),
    ...restRoute('whisper', { type: 'lcc', action: 'whisper', text: 'A whispered note.', textType: 'str' }),
    ...restRoute('redirect', { type: 'lcc', action: 'redirect', callHook: 'payload.hook', callHookType: 'msg' }),
    ...restRoute('hangup', { type: 'lcc', action: 'hangup' }),
    { id: 'rest.reply', type: 'change', z: Z, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"payload": payload, "statusCode": statusCode, "error": error}', tot: 'jsonata' }], wires: [['rest.res']] },
    { id: 'rest.res', type: 'http response', z: Z, statusCode: '200', wires: [] },
    { id: 'rest.status', type: 'status', z: Z, scope: ['rest.get', 'rest.hangup'], wires: [['rest.tap.status']] },
    tap('rest.tap.status', 'status', '{ source: msg.status.source && msg.status.source.id, text: msg.status.text, fill: msg.status.fill }'),
  ];
}

describe('Node-RED REST nodes against the whole server, on a live call', () => {
  const runtime = loadRuntime();
  let srv: TestServer;
  let nr: NodeRed;
  let phone: TestPhone;
  const records: Entry[] = [];
  const number = '15550002001';

  const rest = async (name: string, body: Record<string, unknown>): Promise<Reply> => (await runtime.post(`${nr.url}/rest/${name}`, body)).body as Reply;
  const statuses = (source: string): Entry['data'][] => records.filter((r) => r.kind === 'status' && r.data['source'] === source).map((r) => r.data);

  async function provision(): Promise<void> {
    const jz = srv.server.jambonz;
    const call = (path: string, body: unknown): Promise<Response> => fetch(`${jz.baseUrl}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${jz.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000),
    });
    const app = await call('/v1/Applications', { name: 'node-red rest', call_hook: `${nr.url}/app` });
    assert.equal(app.status, 201);
    const sid = ((await app.json()) as { sid: string }).sid;
    assert.equal((await call('/v1/PhoneNumbers', { number, application_sid: sid })).status, 201);
  }

  before(async () => {
    srv = await startTestServer();
    const jz = srv.server.jambonz;
    nr = await runtime.startNodeRed(flows(jz.baseUrl, jz.account.account_sid), { 'rest.server': { apiKey: jz.apiKey } }, {
      functionGlobalContext: { record: (kind: string, data: Record<string, unknown>) => records.push({ kind, data: JSON.parse(JSON.stringify(data)) as Record<string, unknown> }) },
    });
    await runtime.waitForRoute(`${nr.url}/rest/get`, { sid: 'probe' });
    await provision();
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone?.close();
    await nr?.stop();
    await srv?.close();
  });

  test('get, list, tag, whisper and redirect a live call; the redirect flow hangs up', async () => {
    records.length = 0;
    const r = await phone.call(srv.uri(number));
    assert.ok(r.ok, 'the app answered');
    const call = r.call;
    await until('the call hook', () => records.some((e) => e.kind === 'hook'));
    const sid = String((records.find((e) => e.kind === 'hook')!.data['call'] as Record<string, unknown>)['call_sid']);

    const got = await rest('get', { sid });
    assert.equal(got.statusCode, 200, JSON.stringify(got));
    const info = got.payload as Record<string, unknown>;
    assert.equal(info['call_sid'], sid);
    assert.equal(info['direction'], 'inbound');
    assert.equal(info['call_status'], 'in-progress');

    const listed = await rest('list', {});
    assert.equal(listed.statusCode, 200);
    assert.deepEqual((listed.payload as { call_sid: string }[]).map((c) => c.call_sid), [sid]);

    assert.equal((await rest('tag', { sid, tag: { customer: 'c-42' } })).statusCode, 202);
    const tagged = await rest('get', { sid });
    assert.deepEqual((tagged.payload as Record<string, unknown>)['customerData'], { customer: 'c-42' });

    assert.equal((await rest('whisper', { sid })).statusCode, 202);

    const moved = await rest('redirect', { sid, hook: `${nr.url}/bye` });
    assert.equal(moved.statusCode, 202, JSON.stringify(moved));
    await until('BYE after the redirect flow', () => call.dialog.state === 'terminated');
    const bye = records.filter((e) => e.kind === 'hook').map((e) => e.data);
    assert.deepEqual(bye.map((h) => h['path']), ['/app', '/bye']);
    assert.equal((bye[1]!['call'] as Record<string, unknown>)['call_sid'], sid);
    await waitIdle(srv.server, until);

    // The call is over: call control is refused and the node shows why.
    const late = await rest('hangup', { sid });
    assert.ok((late.statusCode ?? 0) >= 400, JSON.stringify(late));
    assert.equal(late.error?.code, 'SB_NR_REST_HTTP');
    await until('the hangup node status', () => statuses('rest.hangup').some((s) => s['fill'] === 'red'));
    const text = String(statuses('rest.hangup').find((s) => s['fill'] === 'red')!['text']);
    assert.equal(text, late.error?.message);
  });

  test('an unknown call sid: 404 from Switchboard on the error output and in the get-call status', async () => {
    records.length = 0;
    const missing = await rest('get', { sid: '00000000-0000-4000-8000-000000000000' });
    assert.equal(missing.statusCode, 404, JSON.stringify(missing));
    assert.equal(missing.error?.code, 'SB_NR_REST_HTTP');
    assert.ok(missing.error?.message, 'a message from the server');
    await until('the get-call node status', () => statuses('rest.get').some((s) => s['fill'] === 'red'));
    const noSid = await rest('get', {});
    assert.equal(noSid.error?.code, 'SB_NR_REST_CONFIG');
    assert.equal(srv.server.sw.counts().channels, 0);
  });
});
