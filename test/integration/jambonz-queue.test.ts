/**
 * `enqueue` / `dequeue` / `leave` over real SIP with a webhook application: a caller waits in a queue
 * hearing the waitHook's reply (payload: queue_sid, queue_size, 0-based queue_position), an agent call
 * dequeues it and the two hear each other; when the agent hangs up the caller's actionHook gets
 * `queue_result: bridged`; when the caller hangs up the agent's gets `dequeue_result: complete`.
 * Priority (lower first) and dequeue of a specific callSid; a waitHook answering `leave` ends the wait
 * (`queue_result: leave`); a dequeue on an empty queue times out. The REST listing shows the waiting
 * calls. Registries (channels, queues, sessions) end empty.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { silentLogger } from '../../src/lib/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { readBody, type Hit } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('jambonz queues over SIP', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let base = '';
  let manager: ReturnType<typeof createSessionManager>;
  let accountSid = '';
  const unroute: (() => void)[] = [];
  const hits: Hit[] = [];
  /** Extra properties of the next dequeue verb. */
  let dequeueExtra: Record<string, unknown> = {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = (req.url ?? '/').split('?')[0]!;
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path, body });
        let reply: unknown = [];
        const to = String(body['to']);
        if (path === '/call') {
          if (to.startsWith('q-in')) {
            const priority = Number(to.slice(5) || 999);
            reply = [{ verb: 'enqueue', name: 'support', priority, waitHook: '/wait', actionHook: '/enq-done' }];
          } else if (to === 'q-leave') {
            reply = [{ verb: 'enqueue', name: 'sales', waitHook: '/wait-leave', actionHook: '/enq-done' }, { verb: 'hangup' }];
          } else if (to === 'q-agent') {
            reply = [{ verb: 'dequeue', name: 'support', actionHook: '/deq-done', ...dequeueExtra }];
          }
        } else if (path === '/wait') {
          reply = [{ verb: 'play', url: 'tone_stream://%(1000,0,600)' }];
        } else if (path === '/wait-leave') {
          reply = [{ verb: 'pause', length: 0.2 }, { verb: 'leave' }];
        } else if (path === '/enq-done' || path === '/deq-done') {
          reply = [{ verb: 'hangup' }];
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz!.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    });
    const account = srv.server.jambonz!.account;
    accountSid = account.account_sid;
    const app: JambonzApplication = { application_sid: 'queue-app', account_sid: account.account_sid, name: 'queues', call_hook: `${base}/call` };
    unroute.push(srv.server.sw.router.register({ pattern: /^q-/, priority: 1000 }, (channel) => manager.startInbound(channel, app, account)));
  });

  after(async () => {
    for (const off of unroute) off();
    await manager.close();
    await phone.close();
    await srv.close();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  const idle = async (): Promise<void> => {
    await waitIdle(srv.server, until);
    await until('sessions gone', () => manager.size === 0);
    assert.equal(srv.server.sw.queues.size, 0, 'no queue left');
  };
  const bodies = (path: string): Record<string, unknown>[] => hits.filter((h) => h.path === path).map((h) => h.body);
  const sidOf = (call: PhoneCall): string => String(hits.find((h) => h.path === '/call' && h.body['call_id'] === call.dialog.callId)?.body['call_sid']);
  async function call(user: string): Promise<PhoneCall> {
    const r = await phone.call(srv.uri(user));
    assert.ok(r.ok, `${user} answered`);
    return r.call;
  }

  test('enqueue -> waitHook -> dequeue: bridged both ways; agent hangup gives queue_result bridged', async () => {
    hits.length = 0;
    dequeueExtra = {};
    const caller = await call('q-in');
    await until('the wait music', () => caller.receivedLevel() > 500);
    const wait = bodies('/wait')[0]!;
    assert.equal(wait['queue_sid'], `queue:${accountSid}:support`);
    assert.equal(wait['queue_position'], 0);
    assert.equal(wait['queue_size'], 1);
    assert.equal(typeof wait['queue_time'], 'number');
    const listing = manager.queues(accountSid) as { name: string; size: number; members: { call_sid: string; position: number }[] }[];
    assert.deepEqual(listing.map((q) => [q.name, q.size]), [['support', 1]]);
    assert.deepEqual(listing[0]!.members.map((m) => [m.call_sid, m.position]), [[sidOf(caller), 0]]);
    const agent = await call('q-agent');
    await until('bridged', () => srv.server.sw.bridges().length === 1);
    await sleep(200);
    const quiet = caller.received.length;
    await sleep(300);
    assert.ok(caller.received.length > quiet + 5, 'media flows to the caller');
    assert.ok(caller.receivedLevel(quiet) < 100, `the wait music stopped once bridged (${caller.receivedLevel(quiet)})`);
    const from = caller.received.length;
    const agentFrom = agent.received.length;
    await Promise.all([sendPacedTone(caller, 500, { ms: 600 }), sendPacedTone(agent, 900, { ms: 600 })]);
    await sleep(100);
    assert.ok(agent.receivedLevel(agentFrom + 5) > 500, `the agent hears the caller (${agent.receivedLevel(agentFrom + 5)})`);
    assert.ok(caller.receivedLevel(from + 5) > 500, `the caller hears the agent (${caller.receivedLevel(from + 5)})`);
    await agent.hangup();
    await until('the enqueue actionHook', () => bodies('/enq-done').length === 1);
    assert.equal(bodies('/enq-done')[0]!['queue_result'], 'bridged');
    assert.equal(bodies('/enq-done')[0]!['queue_sid'], `queue:${accountSid}:support`);
    await until('BYE to the caller', () => caller.dialog.state === 'terminated');
    await idle();
  });

  test('priority: the lower number is dequeued first; a dequeue names a specific callSid; caller hangup -> complete', async () => {
    hits.length = 0;
    dequeueExtra = {};
    const low = await call('q-in-50');
    await until('first waiting', () => srv.server.sw.queues.list()[0]?.size === 1);
    const urgent = await call('q-in-1');
    await until('two waiting', () => srv.server.sw.queues.list()[0]?.size === 2);
    await until('the urgent caller was told position 0', () => bodies('/wait').some((b) => b['call_sid'] === sidOf(urgent) && b['queue_position'] === 0));
    const agent1 = await call('q-agent');
    await until('bridged', () => srv.server.sw.bridges().length === 1);
    const bridge = srv.server.sw.bridges()[0]!;
    assert.ok([bridge.a.uuid, bridge.b.uuid].includes(sidOf(urgent)), 'the urgent caller goes first');
    await urgent.hangup();
    await until('the dequeue actionHook', () => bodies('/deq-done').length === 1);
    assert.equal(bodies('/deq-done')[0]!['dequeue_result'], 'complete');
    await until('BYE to agent 1', () => agent1.dialog.state === 'terminated');

    dequeueExtra = { callSid: sidOf(low) };
    const agent2 = await call('q-agent');
    await until('bridged to the named caller', () => srv.server.sw.bridgeOf(sidOf(low)) !== undefined);
    await low.hangup();
    await until('BYE to agent 2', () => agent2.dialog.state === 'terminated');
    await idle();
  });

  test('a waitHook answering leave ends the wait; a dequeue on an empty queue times out', async () => {
    hits.length = 0;
    const caller = await call('q-leave');
    await until('the enqueue actionHook', () => bodies('/enq-done').length === 1);
    assert.equal(bodies('/enq-done')[0]!['queue_result'], 'leave');
    await until('BYE to the caller', () => caller.dialog.state === 'terminated');
    dequeueExtra = { timeout: 1 };
    const agent = await call('q-agent');
    await until('the dequeue actionHook', () => bodies('/deq-done').length === 1, 5000);
    assert.equal(bodies('/deq-done')[0]!['dequeue_result'], 'timeout');
    await until('BYE to the agent', () => agent.dialog.state === 'terminated');
    await idle();
  });
});
