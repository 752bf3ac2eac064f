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
import type { PhoneCall, TestPhone } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { sleep } from '../support/wait.ts';
import { jsonWebhook, startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import type { Hit } from '../support/http-body.ts';

describe('jambonz queues over SIP', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let accountSid = '';
  const hits: Hit[] = [];
  /** Extra properties of the next dequeue verb. */
  let dequeueExtra: Record<string, unknown> = {};

  before(async () => {
    fx = await startJambonz({
      webhook: jsonWebhook((hit, res) => {
        const path = hit.path.split('?')[0]!;
        const body = hit.body;
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
      }),
    });
    phone = await fx.phone();
    accountSid = fx.account.account_sid;
    fx.route(/^q-/, { application_sid: 'queue-app', name: 'queues', call_hook: fx.hook('/call') });
  });

  after(() => fx.close());

  const idle = async (): Promise<void> => {
    await fx.idle();
    await until('sessions gone', () => fx.manager.size === 0);
    assert.equal(fx.srv.server.sw.queues.size, 0, 'no queue left');
  };
  const bodies = (path: string): Record<string, unknown>[] => hits.filter((h) => h.path === path).map((h) => h.body);
  const sidOf = (call: PhoneCall): string => String(hits.find((h) => h.path === '/call' && h.body['call_id'] === call.dialog.callId)?.body['call_sid']);
  async function call(user: string): Promise<PhoneCall> {
    const r = await phone.call(fx.srv.uri(user));
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
    const listing = fx.manager.queues(accountSid) as { name: string; size: number; members: { call_sid: string; position: number }[] }[];
    assert.deepEqual(listing.map((q) => [q.name, q.size]), [['support', 1]]);
    assert.deepEqual(listing[0]!.members.map((m) => [m.call_sid, m.position]), [[sidOf(caller), 0]]);
    const agent = await call('q-agent');
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1);
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
    await until('first waiting', () => fx.srv.server.sw.queues.list()[0]?.size === 1);
    const urgent = await call('q-in-1');
    await until('two waiting', () => fx.srv.server.sw.queues.list()[0]?.size === 2);
    await until('the urgent caller was told position 0', () => bodies('/wait').some((b) => b['call_sid'] === sidOf(urgent) && b['queue_position'] === 0));
    const agent1 = await call('q-agent');
    await until('bridged', () => fx.srv.server.sw.bridges().length === 1);
    const bridge = fx.srv.server.sw.bridges()[0]!;
    assert.ok([bridge.a.uuid, bridge.b.uuid].includes(sidOf(urgent)), 'the urgent caller goes first');
    await urgent.hangup();
    await until('the dequeue actionHook', () => bodies('/deq-done').length === 1);
    assert.equal(bodies('/deq-done')[0]!['dequeue_result'], 'complete');
    await until('BYE to agent 1', () => agent1.dialog.state === 'terminated');

    dequeueExtra = { callSid: sidOf(low) };
    const agent2 = await call('q-agent');
    await until('bridged to the named caller', () => fx.srv.server.sw.bridgeOf(sidOf(low)) !== undefined);
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
