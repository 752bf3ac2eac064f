/**
 * The Node-RED palette (packages/node-red-contrib-switchboard) end to end: a real Node-RED 4 runtime
 * in this process loads the palette's example IVR flow plus a few test flows; the whole server
 * (startServer) runs applications provisioned over its REST API with the account and API key it
 * created, whose call hooks are the flows' webhook URLs; sipp (Debian `sip-tester`) places the calls.
 * - IVR: the caller hears the menu (non-silent PCMU on the test's socket), presses 1 (RFC 2833 from a
 *   pcap), the flow answers the gather's action hook with say + hangup, and the caller gets BYE; pressing
 *   9 then 2 takes the flow's redirect back to the menu first. The flow's webhook nodes saw each hook.
 * - Outbound: the create-call node places a call to a sipp UAS; it is answered, the flow's call hook
 *   runs (say + hangup) and the UAS gets BYE.
 * - Bad input: a flow that builds an invalid verb (pause without length) gets the call refused with 480
 *   and Switchboard's validation message in X-Reason; a create-call node with app_json that is not an
 *   array shows Switchboard's 400 message in its status; both sides keep serving.
 * Every sipp run is bounded by a call count (-m 1) and a hard timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable, type SippResult } from '../support/sipp.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { parseRtp } from '../support/test-phone.ts';
import { ULAW_DECODE_TABLE } from '../../src/media/index.ts';

if (!sippAvailable()) {
  throw new Error('sipp is not installed (Debian package sip-tester); run .ci/run or apt-get install sip-tester');
}

const PKG = fileURLToPath(new URL('../../packages/node-red-contrib-switchboard/', import.meta.url));
const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));
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

interface Record_ { kind: string; data: Record<string, unknown> }

/** A function node that hands `expr` to the test's record() (functionGlobalContext). */
function tap(id: string, z: string, kind: string, expr: string): Record<string, unknown> {
  return { id, type: 'function', z, name: `tap ${kind}`, func: `global.get('record')(${JSON.stringify(kind)}, ${expr});\nreturn null;`, outputs: 0, wires: [] };
}

/** The example flow with a tap on each webhook, and the test flows (outbound, bad input, REST). */
function flows(serverUrl: string, accountSid: string): unknown[] {
  const example = JSON.parse(readFileSync(join(PKG, 'examples', 'IVR menu.json'), 'utf8')) as { id: string; type: string; wires?: string[][]; z?: string }[];
  const webhooks = example.filter((n) => n.type === 'webhook in');
  assert.ok(webhooks.length >= 2, 'the example has its webhook nodes');
  for (const n of webhooks) n.wires![0]!.push('t.tap.hook');
  const z = 't.tab';
  return [
    ...example,
    tap('t.tap.hook', webhooks[0]!.z!, 'hook', '{ path: msg.req.path, call: msg.call }'),
    { id: z, type: 'tab', label: 'tests' },
    { id: 't.server', type: 'switchboard-server', name: 'switchboard', url: serverUrl, accountSid },
    // Outbound: POST /dial {to, hook} -> create call; the call hook says goodbye and hangs up.
    { id: 't.dial', type: 'http in', z, url: '/dial', method: 'post', wires: [['t.cc']] },
    {
      id: 't.cc', type: 'create-call', z, server: 't.server', from: '4155550199', fromType: 'str', toType: 'sip', to_value: 'payload.to',
      to_valueType: 'msg', call_hook: 'payload.hook', call_hookType: 'msg', wires: [['t.reply'], ['t.reply']],
    },
    { id: 't.reply', type: 'change', z, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"payload": payload, "statusCode": statusCode, "error": error}', tot: 'jsonata' }], wires: [['t.res']] },
    { id: 't.res', type: 'http response', z, statusCode: '200', wires: [] },
    { id: 't.out.in', type: 'webhook in', z, url: '/outbound', method: 'post', wires: [['t.out.say', 't.tap.out']] },
    tap('t.tap.out', z, 'hook', '{ path: msg.req.path, call: msg.call }'),
    { id: 't.out.say', type: 'say', z, text: 'Hello from Node-RED.', textType: 'str', wires: [['t.out.hangup']] },
    { id: 't.out.hangup', type: 'hangup', z, wires: [['t.out.res']] },
    { id: 't.out.res', type: 'webhook out', z, wires: [] },
    // Bad input 1: a pause verb without its length.
    { id: 't.bad.in', type: 'webhook in', z, url: '/bad', method: 'post', wires: [['t.bad.pause', 't.tap.bad']] },
    tap('t.tap.bad', z, 'hook', '{ path: msg.req.path, call: msg.call }'),
    { id: 't.bad.pause', type: 'pause', z, length: '', lengthType: 'num', wires: [['t.bad.tap.verbs', 't.bad.res']] },
    tap('t.bad.tap.verbs', z, 'verbs', '{ verbs: msg.jambonz }'),
    { id: 't.bad.res', type: 'webhook out', z, wires: [] },
    // Bad input 2: create call with app_json that is an object, not an array of verbs.
    { id: 't.dialbad', type: 'http in', z, url: '/dial-bad', method: 'post', wires: [['t.ccbad']] },
    {
      id: 't.ccbad', type: 'create-call', z, server: 't.server', from: '4155550199', fromType: 'str', toType: 'sip', to_value: 'sip:nobody@127.0.0.1:9',
      to_valueType: 'str', app_json: '{"verb":"pause"}', app_jsonType: 'json', wires: [['t.reply'], ['t.reply']],
    },
    { id: 't.status', type: 'status', z, scope: ['t.ccbad'], wires: [['t.tap.status']] },
    tap('t.tap.status', z, 'status', '{ source: msg.status.source && msg.status.source.id, text: msg.status.text, fill: msg.status.fill }'),
  ];
}

/** A UDP socket standing in for the caller's RTP port: keeps the PCMU samples it receives. */
class CallerEar {
  readonly socket: Socket;
  samples: number[] = [];
  packets = 0;
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('message', (buf) => {
      const rtp = parseRtp(buf);
      if (!rtp || rtp.payloadType !== 0) return;
      this.packets++;
      for (const b of rtp.payload) this.samples.push(ULAW_DECODE_TABLE[b]!);
    });
  }
  static async open(port: number): Promise<CallerEar> {
    const socket = createSocket('udp4');
    await new Promise<void>((ok, fail) => {
      socket.once('error', fail);
      socket.bind(port, '127.0.0.1', () => ok());
    });
    return new CallerEar(socket);
  }
  get port(): number { return this.socket.address().port; }
  /** RMS of the loudest 200 ms window heard (of the last `lastMs` of audio when given). */
  loudest(lastMs?: number): number {
    const from = lastMs === undefined ? 0 : Math.max(0, this.samples.length - lastMs * 8);
    let best = 0;
    for (let start = from; start + 1600 <= this.samples.length; start += 800) {
      let sum = 0;
      for (let i = start; i < start + 1600; i++) sum += this.samples[i]! * this.samples[i]!;
      best = Math.max(best, Math.sqrt(sum / 1600));
    }
    return best;
  }
  close(): Promise<void> { return new Promise((ok) => this.socket.close(() => ok())); }
}

describe('Node-RED palette against the whole server, calls placed by sipp', () => {
  const runtime = loadRuntime();
  let srv: TestServer;
  let nr: NodeRed;
  const records: Record_[] = [];
  const numbers = { ivr: '15550001001', bad: '15550001002' };

  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const jz = srv.server.jambonz;
    const res = await fetch(`${jz.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${jz.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as Record<string, unknown> : {} };
  }

  async function provision(name: string, hookPath: string, number: string): Promise<void> {
    const app = await rest('POST', '/v1/Applications', { name, call_hook: { url: `${nr.url}${hookPath}`, method: 'POST' } });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const num = await rest('POST', '/v1/PhoneNumbers', { number, application_sid: app.body['sid'] });
    assert.equal(num.status, 201, JSON.stringify(num.body));
  }

  const hooks = (): { path: string; call: Record<string, unknown> }[] =>
    records.filter((r) => r.kind === 'hook').map((r) => r.data as { path: string; call: Record<string, unknown> });

  /** A sipp working directory with first.pcap linked to the bundled RFC 2833 pcap of `digit`. */
  function digitDir(digit: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'sb-nodered-sipp-'));
    symlinkSync(`/usr/share/sip-tester/dtmf_2833_${digit}.pcap`, join(dir, 'first.pcap'));
    return dir;
  }

  async function callIvr(file: string, digit: string, waitMs: number): Promise<{ res: SippResult; ear: CallerEar }> {
    // sipp binds -mp and -mp+2; the SDP names -mp+1, where the test listens.
    const mp = await freePort('127.0.0.1', 4);
    const ear = await CallerEar.open(mp + 1);
    const dir = digitDir(digit);
    try {
      const res = await runSipp({
        cwd: dir,
        args: [`127.0.0.1:${srv.port}`, '-sf', scenario(file), '-s', numbers.ivr, '-i', '127.0.0.1', '-p', String(await freePort()),
          '-mp', String(mp), '-cp', String(await freePort()), '-d', String(waitMs), '-m', '1'],
        timeoutMs: 40_000,
      });
      return { res, ear };
    } finally {
      await ear.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  before(async () => {
    srv = await startTestServer();
    const jz = srv.server.jambonz;
    nr = await runtime.startNodeRed(flows(jz.baseUrl, jz.account.account_sid), { 't.server': { apiKey: jz.apiKey } }, {
      functionGlobalContext: { record: (kind: string, data: Record<string, unknown>) => records.push({ kind, data: JSON.parse(JSON.stringify(data)) as Record<string, unknown> }) },
    });
    await runtime.waitForRoute(`${nr.url}/bad`, { call_sid: 'probe' });
    records.length = 0;
    await provision('node-red ivr', '/ivr', numbers.ivr);
    await provision('node-red bad', '/bad', numbers.bad);
  });
  after(async () => {
    await nr?.stop();
    await srv?.close();
  });

  test('IVR example: the menu is heard, 1 is pressed, the sales message plays and the caller gets BYE', async () => {
    const { res, ear } = await callIvr('node-red-ivr-call.xml', '1', 4000);
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000) + res.stderr.slice(-1000));
    assert.equal(res.successful, 1);
    assert.equal(res.failed, 0);
    assert.ok(ear.packets > 50, `caller got ${ear.packets} PCMU packets`);
    assert.ok(ear.loudest() > 300, `the menu prompt is audible (loudest 200 ms RMS ${ear.loudest().toFixed(0)})`);
    // The call ends right after the sales message: the last audio before BYE is speech.
    assert.ok(ear.loudest(1500) > 300, `the sales message is audible (loudest 200 ms RMS of the last 1.5 s ${ear.loudest(1500).toFixed(0)})`);
    const seen = hooks();
    assert.deepEqual(seen.map((h) => h.path), ['/ivr', '/ivr/menu']);
    assert.equal(seen[0]!.call['from'], '4155550100');
    assert.equal(seen[0]!.call['direction'], 'inbound');
    assert.equal(seen[1]!.call['digits'], '1');
    assert.equal(seen[1]!.call['reason'], 'dtmfDetected');
    assert.equal(seen[1]!.call['call_sid'], seen[0]!.call['call_sid']);
    await waitIdle(srv.server, until);
  });

  test('IVR example: 9 is not understood and the redirect plays the menu again, until the caller hangs up', async () => {
    records.length = 0;
    const { res, ear } = await callIvr('node-red-ivr-caller-hangs-up.xml', '9', 4000);
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000) + res.stderr.slice(-1000));
    assert.equal(res.successful, 1);
    assert.ok(ear.loudest() > 300, `audible prompts (loudest 200 ms RMS ${ear.loudest().toFixed(0)})`);
    const seen = hooks();
    assert.deepEqual(seen.map((h) => h.path), ['/ivr', '/ivr/menu', '/ivr']);
    assert.equal(seen[1]!.call['digits'], '9');
    assert.equal(new Set(seen.map((h) => h.call['call_sid'])).size, 1, 'one call throughout');
    await waitIdle(srv.server, until);
  });

  test('create-call node: an outbound call to a sipp UAS is answered, runs the flow and ends', async () => {
    records.length = 0;
    const uasPort = await freePort();
    const uas = runSipp({
      args: ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-mp', String(await freePort('127.0.0.1', 4)), '-cp', String(await freePort()), '-m', '1'],
      timeoutMs: 30_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    const made = await runtime.post(`${nr.url}/dial`, { to: `sip:uas@127.0.0.1:${uasPort}`, hook: `${nr.url}/outbound` });
    const reply = made.body as { payload?: { sid?: string }; statusCode?: number; error?: unknown };
    assert.equal(reply.statusCode, 201, JSON.stringify(reply));
    assert.match(reply.payload?.sid ?? '', /^[0-9a-f-]{36}$/);
    const res = await uas;
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000) + res.stderr.slice(-1000));
    assert.equal(res.successful, 1, 'the UAS answered and got BYE');
    const seen = hooks();
    assert.deepEqual(seen.map((h) => h.path), ['/outbound']);
    assert.equal(seen[0]!.call['call_sid'], reply.payload?.sid);
    assert.equal(seen[0]!.call['direction'], 'outbound');
    await waitIdle(srv.server, until);
  });

  test('bad input: an invalid verb from the flow refuses the call with the validation error in X-Reason', async () => {
    records.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'sb-nodered-bad-'));
    try {
      const res = await runSipp({
        cwd: dir,
        args: [`127.0.0.1:${srv.port}`, '-sf', scenario('node-red-rejected-call.xml'), '-s', numbers.bad, '-i', '127.0.0.1', '-p', String(await freePort()),
          '-mp', String(await freePort('127.0.0.1', 4)), '-cp', String(await freePort()), '-trace_logs', '-m', '1'],
        timeoutMs: 20_000,
      });
      assert.equal(res.exitCode, 0, res.stdout.slice(-2000) + res.stderr.slice(-1000));
      assert.equal(res.successful, 1);
      const log = readdirSync(dir).find((f) => f.endsWith('_logs.log'));
      const text = log ? readFileSync(join(dir, log), 'utf8') : '';
      assert.match(text, /X-Reason: .*pause: missing value for length/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(records.filter((r) => r.kind === 'verbs').map((r) => r.data['verbs']), [[{ verb: 'pause' }]]);
    await waitIdle(srv.server, until);
    // Both sides still serve: Node-RED answers the menu hook, the server its REST API.
    const again = await runtime.post(`${nr.url}/ivr`, { call_sid: 'x', from: '1' });
    assert.equal(again.status, 200);
    assert.equal((again.body as { verb: string }[])[0]?.verb, 'gather');
    assert.equal((await rest('GET', '/v1/Applications')).status, 200);
  });

  test('bad input: a create-call node with app_json that is not an array shows the server\'s error in its status', async () => {
    records.length = 0;
    const made = await runtime.post(`${nr.url}/dial-bad`, {});
    const reply = made.body as { statusCode?: number; error?: { message?: string; code?: string } };
    assert.equal(reply.statusCode, 400);
    assert.equal(reply.error?.code, 'SB_NR_REST_HTTP');
    assert.match(reply.error?.message ?? '', /app_json.*must be a JSON array/);
    await until('the status node to report', () => records.some((r) => r.kind === 'status' && r.data['fill'] === 'red'));
    const red = records.find((r) => r.kind === 'status' && r.data['fill'] === 'red')!;
    assert.equal(red.data['source'], 't.ccbad');
    assert.match(String(red.data['text']), /app_json.*must be a JSON array/);
    assert.equal(srv.server.sw.counts().channels, 0, 'no call was placed');
  });
});
