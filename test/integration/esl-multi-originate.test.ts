/**
 * Multi-leg dial strings over real TCP on 127.0.0.1 (specs/esl.md §5 dial-string syntax): `,` rings at
 * once and the first answer wins (the others LOSE_RACE), `|` tries the next step after a failure, `:_:`
 * runs groups at once; all failing reports the most telling cause; the bridge app takes the same
 * strings. Fake endpoint legs behave by target; the switch runs on virtual time.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import {
  FakeEndpoint, answerAfter, createHarness, refuseAfter, ringForever, type Behaviour, type Harness,
} from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';

let h: Harness;
let ep: FakeEndpoint;
let esl: EslMount;
let c: EslTestClient;

const BEHAVIOURS: Readonly<Record<string, Behaviour>> = {
  'fake:busy': refuseAfter(0, 'USER_BUSY', 486),
  'fake:slow': answerAfter(5000),
  'fake:fast': answerAfter(1000),
  'fake:never': ringForever(),
};

const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);

/** bgapi originate, advancing virtual time until the job is done; the job body. */
async function originate(args: string, stepMs = 500, maxMs = 10_000): Promise<string> {
  const r = await c.command(`bgapi originate ${args}`);
  const id = r.headers['Job-UUID'];
  const isJob = (f: EslFrame): boolean => f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Job-UUID'] === id;
  for (let t = 0; t <= maxMs; t += stepMs) {
    const done = c.frames.find(isJob);
    if (done) return parsePlain(done.body).body;
    await h.tick(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return (await c.wait(isJob)).body;
}

async function causeOf(target: string): Promise<string | undefined> {
  await h.flush();
  const leg = ep.legs.find((l) => l.channel.destination === target || l.channel.name.endsWith(target));
  if (!leg) return undefined;
  return (await h.store.list({})).find((r) => r.uuid === leg.channel.uuid)?.hangupCause ?? leg.channel.hangupCause;
}

beforeEach(async () => {
  h = createHarness();
  ep = new FakeEndpoint(h.clock, { behaviour: (req, e) => (BEHAVIOURS[req.target] ?? answerAfter(0))(req, e) });
  h.sw.addEndpoint(ep);
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0 });
  c = await EslTestClient.authed(esl.address.port);
  await c.command('event plain BACKGROUND_JOB');
});

afterEach(async () => {
  c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl originate: multi-leg dial strings', () => {
  it(', rings at once: the first answer wins, the other loses the race', async () => {
    const body = await originate('fake:slow,fake:fast &park()');
    const uuid = /^\+OK (\S+)\n$/.exec(body)?.[1];
    assert.ok(uuid, body);
    assert.equal(h.sw.channel(uuid)?.name, 'fake/fake:fast');
    assert.equal(await causeOf('fake:slow'), 'LOSE_RACE');
    assert.equal(h.sw.channels().length, 1);
  });

  it('| tries the next step after a failure', async () => {
    const body = await originate('fake:busy|fake:fast &park()');
    const uuid = /^\+OK (\S+)\n$/.exec(body)?.[1] ?? '';
    assert.equal(h.sw.channel(uuid)?.name, 'fake/fake:fast');
    assert.equal(await causeOf('fake:busy'), 'USER_BUSY');
  });

  it('all failing: the refusal is reported over NO_ANSWER', async () => {
    assert.equal(await originate('{originate_timeout=3}fake:never,fake:busy &park()'), '-ERR USER_BUSY\n');
    assert.equal(await originate('{originate_timeout=2}fake:never &park()'), '-ERR NO_ANSWER\n');
  });

  it(':_: runs groups at once; per-group and per-leg variables reach the legs', async () => {
    const body = await originate('{a=1}<g=x>fake:never:_:<g=y>[l=2]fake:fast &park()');
    const uuid = /^\+OK (\S+)\n$/.exec(body)?.[1] ?? '';
    const winner = h.sw.channel(uuid);
    assert.equal(winner?.name, 'fake/fake:fast');
    assert.deepEqual([winner?.getVariable('a'), winner?.getVariable('g'), winner?.getVariable('l')], ['1', 'y', '2']);
    assert.equal(await causeOf('fake:never'), 'LOSE_RACE');
  });

  it('the bridge app takes the same dial strings', async () => {
    const a = /^\+OK (\S+)\n$/.exec(await originate('fake:1000 &park()'))?.[1] ?? '';
    await c.command('event plain CHANNEL_BRIDGE CHANNEL_EXECUTE_COMPLETE');
    await c.command(`sendmsg ${a}`, { 'call-command': 'execute', 'execute-app-name': 'bridge', 'execute-app-arg': 'fake:busy|fake:fast' });
    for (let t = 0; t < 10 && !c.frames.some((f) => eventOf(f)['Event-Name'] === 'CHANNEL_BRIDGE'); t++) await h.tick(500);
    const bridge = eventOf(await c.wait((f) => eventOf(f)['Event-Name'] === 'CHANNEL_BRIDGE'));
    assert.equal(bridge['Bridge-A-Unique-ID'], a);
    assert.equal(h.sw.channel(bridge['Bridge-B-Unique-ID'] ?? '')?.name, 'fake/fake:fast');
  });
});
