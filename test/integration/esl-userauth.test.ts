/**
 * `userauth` against a user directory over real TCP on 127.0.0.1 (specs/esl.md §2.2 userauth, §0 reply
 * frame, §1.4 reply texts, §10 least privilege): the accepted frame with Allowed-Events / Allowed-API /
 * Allowed-LOG, wrong password / unknown user / missing domain closing the connection, and the
 * esl-allowed-events, esl-allowed-api (through bgapi) and esl-allowed-log restrictions.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain } from '../support/esl-client.ts';

let h: Harness;
let esl: EslMount;
let clients: EslTestClient[];

async function open(): Promise<EslTestClient> {
  const c = await EslTestClient.open(esl.address.port);
  clients.push(c);
  await c.next('auth/request');
  return c;
}

beforeEach(async () => {
  h = createHarness();
  h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
  esl = await mountEsl(h.sw, {
    listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0,
    directory: {
      domains: { 'pbx.example': { 'esl-allowed-log': 'false' } },
      users: [
        { user: 'admin', domain: 'pbx.example', params: { 'esl-password': 'adm', 'esl-allowed-log': 'true' } },
        {
          user: 'mon', domain: 'pbx.example',
          params: { 'esl-password': 'mon', 'esl-allowed-events': 'CHANNEL_CREATE BACKGROUND_JOB API', 'esl-allowed-api': 'status bgapi show' },
        },
      ],
    },
  });
  clients = [];
});

afterEach(async () => {
  for (const c of clients) c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl userauth', () => {
  it('accepts a directory user: +OK accepted with the Allowed-* headers; everything allowed by default', async () => {
    const c = await open();
    const r = await c.command('userauth admin@pbx.example:adm');
    assert.equal(r.raw, 'Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n');
    assert.match(await c.api('status'), /^UP /);
    assert.equal((await c.command('event plain ALL')).headers['Reply-Text'], '+OK event listener enabled plain');
    assert.equal((await c.command('log 7')).headers['Reply-Text'], '+OK log level 7 [7]');
  });

  for (const [label, line] of [
    ['wrong password', 'userauth admin@pbx.example:nope'],
    ['unknown user', 'userauth ghost@pbx.example:adm'],
    ['other domain', 'userauth admin@else.example:adm'],
    ['missing domain', 'userauth admin:adm'],
  ] as const) {
    it(`${label}: -ERR invalid, then the goodbye and close`, async () => {
      const c = await open();
      assert.equal((await c.command(line)).headers['Reply-Text'], '-ERR invalid');
      await c.next('text/disconnect-notice');
      await c.closed();
    });
  }

  it('a restricted user: allowed events and APIs only (also inside bgapi), no log', async () => {
    const c = await open();
    const r = await c.command('userauth mon@pbx.example:mon');
    assert.equal(r.headers['Allowed-Events'], 'CHANNEL_CREATE BACKGROUND_JOB API');
    assert.equal(r.headers['Allowed-API'], 'status bgapi show');
    assert.equal(r.headers['Allowed-LOG'], 'false', 'domain param');
    assert.equal((await c.command('event plain CHANNEL_HANGUP')).headers['Reply-Text'], '-ERR permission denied');
    assert.equal((await c.command('log 7')).headers['Reply-Text'], '-ERR permission denied');
    assert.match(await c.api('status'), /^UP /);
    c.send('api originate fake:1000 &park()\n\n');
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '-ERR permission denied');
    assert.equal(h.sw.channels().length, 0, 'nothing was originated');
    assert.equal((await c.command('bgapi originate fake:1000 &park()')).headers['Reply-Text'], '-ERR permission denied');
    assert.equal((await c.command('event plain ALL')).headers['Reply-Text'], '+OK event listener enabled plain');
    const job = await c.command('bgapi show channels');
    const id = job.headers['Job-UUID'];
    const done = await c.wait((f) => f.headers['Content-Type'] === 'text/event-plain' && parsePlain(f.body).headers.some(([n, v]) => n === 'Job-UUID' && v === id));
    assert.equal(parsePlain(done.body).body, '\n0 total.\n');
    // Events not in the list are never delivered, even with ALL: an admin originate shows only CHANNEL_CREATE.
    const admin = await open();
    await admin.command('userauth admin@pbx.example:adm');
    assert.match(await admin.api('originate fake:1000 &park()'), /^\+OK /);
    const names = (): string[] => c.frames.filter((f) => f.headers['Content-Type'] === 'text/event-plain')
      .map((f) => parsePlain(f.body).headers.find(([n]) => n === 'Event-Name')?.[1] ?? '');
    await c.wait((f) => f.headers['Content-Type'] === 'text/event-plain' && f.body.startsWith('Event-Name: CHANNEL_CREATE'));
    for (const ch of h.sw.channels()) await ch.hangup();
    await h.flush();
    assert.deepEqual([...new Set(names())].filter((n) => !['API', 'BACKGROUND_JOB'].includes(n)), []);
  });
});
