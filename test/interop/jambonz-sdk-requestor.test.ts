/**
 * Interop of the hook requestors (specs/jambonz.md §1, §2, §7) with the real application SDKs from npm,
 * unchanged: `@jambonz/node-client-ws` and `@jambonz/sdk/websocket` receive our `session:new`, and their
 * verbs arrive as the ack data; hook replies, commands and notifications round-trip; the webhook
 * signature passes `@jambonz/sdk`'s own verifier.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { createEndpoint as createSdkEndpoint } from '@jambonz/sdk/websocket';
import { WebhookResponse } from '@jambonz/sdk/webhook';
import { freePort } from '../support/ports.ts';
import type { AppCommand, JambonzAccount, Requestor } from '../../src/api/jambonz/contract.ts';
import { makeRequestorFactory } from '../../src/api/jambonz/requestor/index.ts';

interface ClientWsSession extends EventEmitter {
  call_sid: string;
  from: string;
  say(opts: Record<string, unknown>): ClientWsSession;
  hangup(opts?: Record<string, unknown>): ClientWsSession;
  gather(opts: Record<string, unknown>): ClientWsSession;
  send(opts?: { execImmediate?: boolean }): void;
  reply(): void;
}
type MakeService = (opts: { path: string }) => EventEmitter;
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: Server }): MakeService;
};

const account: JambonzAccount = { account_sid: 'acc-1', name: 'default', webhook_secret: 'wh-secret' };
const factory = makeRequestorFactory({ retryDelay: () => 20 });
const session = {
  callSid: 'call-sdk-1',
  direction: 'inbound',
  from: '1000',
  to: '2000',
  callStatus: 'trying',
  sipStatus: 100,
};

let server: Server;
let port = 0;
let keepAlive: NodeJS.Timeout | undefined;
const requestors: Requestor[] = [];

beforeEach(async () => {
  keepAlive = setInterval(() => {}, 1000);
  port = await freePort();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterEach(async () => {
  clearInterval(keepAlive);
  for (const r of requestors.splice(0)) await r.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function until(pred: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('@jambonz/node-client-ws as the application', () => {
  it('answers session:new with its verbs, replies to a hook, pushes commands, gets call:status', async () => {
    const makeService = createEndpoint({ server });
    const svc = makeService({ path: '/app' });
    const statuses: unknown[] = [];
    let seen: ClientWsSession | undefined;
    svc.on('session:new', (s: ClientWsSession) => {
      seen = s;
      s.on('/digits', (evt: { digits: string }) => {
        s.say({ text: `you pressed ${evt.digits}` }).hangup().reply();
        // a later send() is a `command: redirect` (queued with execImmediate false)
        s.say({ text: 'pushed' }).send({ execImmediate: false });
      });
      s.on('call:status', (evt: unknown) => statuses.push(evt));
      s.gather({ input: ['digits'], numDigits: 1, actionHook: '/digits' }).send();
    });
    const url = `ws://127.0.0.1:${port}/app`;
    const r = factory(url, { account, callSid: session.callSid });
    requestors.push(r);
    const commands: AppCommand[] = [];
    r.on('command', (c) => commands.push(c));

    const app = await r.request('session:new', url, session);
    assert.deepEqual(app, [{ verb: 'gather', input: ['digits'], numDigits: 1, actionHook: '/digits' }]);
    assert.equal(seen?.call_sid, 'call-sdk-1');
    assert.equal(seen?.from, '1000');

    const reply = await r.request('verb:hook', '/digits', { ...session, reason: 'dtmfDetected', digits: '5' });
    assert.deepEqual(reply, [{ verb: 'say', text: 'you pressed 5' }, { verb: 'hangup' }]);
    await until(() => commands.length === 1);
    assert.equal(commands[0]!.command, 'redirect');
    assert.equal(commands[0]!.queueCommand, true);
    assert.deepEqual(commands[0]!.data, [{ verb: 'say', text: 'pushed' }]);

    r.notify('call:status', undefined, { ...session, callStatus: 'completed', sipStatus: 200 });
    await until(() => statuses.length === 1);
    assert.equal((statuses[0] as { call_status: string }).call_status, 'completed');

    // a hook the app has no listener for is acked empty by the SDK
    assert.equal(await r.request('verb:hook', '/nobody', session), undefined);
  });
});

describe('@jambonz/sdk websocket as the application', () => {
  it('answers session:new and a verb:hook', async () => {
    const makeService = createSdkEndpoint({ server });
    const svc = makeService({ path: '/sdk' });
    svc.on('session:new', (s) => {
      s.on('/done', () => s.hangup().reply());
      s.say({ text: `hello ${s.from}` }).send();
    });
    const url = `ws://127.0.0.1:${port}/sdk`;
    const r = factory(url, { account, callSid: session.callSid });
    requestors.push(r);
    assert.deepEqual(await r.request('session:new', url, session), [{ verb: 'say', text: 'hello 1000' }]);
    assert.deepEqual(await r.request('verb:hook', '/done', session), [{ verb: 'hangup' }]);
  });
});

describe('@jambonz/sdk webhook signature verifier', () => {
  it('accepts our Jambonz-Signature and rejects a tampered body', async () => {
    const verify = WebhookResponse.verifySignature(account.webhook_secret);
    const outcomes: string[] = [];
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const check = (b: unknown) =>
          new Promise<string>((resolve) => {
            verify({ headers: req.headers, body: b } as never, {} as never, (err?: unknown) => resolve(err ? 'rejected' : 'ok'));
          });
        void (async () => {
          outcomes.push(await check(body), await check({ ...body, from: 'evil' }));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(new WebhookResponse().say({ text: 'signed' }).toJSON()));
        })();
      });
    });
    const url = `http://127.0.0.1:${port}/hook`;
    const r = factory(url, { account, callSid: session.callSid });
    requestors.push(r);
    const verbs = await r.request('session:new', url, { ...session, customerData: { someKey: 1 } });
    assert.deepEqual(verbs, [{ verb: 'say', text: 'signed' }]);
    assert.deepEqual(outcomes, ['ok', 'rejected']);
  });
});
