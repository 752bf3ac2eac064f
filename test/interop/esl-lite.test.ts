/**
 * Interop with the npm client `esl-lite@3` (specs/esl.md §8.4), unchanged, against the whole server on
 * loopback with sipp (a UAS, test/support/sipp-peer.ts) as the far end of the calls it originates.
 * esl-lite has no `api` and no `filter` method: it runs every API through `bgapi` (lowercase `job-uuid`
 * header, result matched by Job-UUID from the BACKGROUND_JOB JSON `_body`), and the filter commands go
 * through its own protected `send` from a subclass. Checked: bgapi results and errors, concurrent jobs
 * matched to the right caller, JSON events of an originated call in order, a Unique-ID filter hiding
 * another call, sendmsg playback (EXECUTE_COMPLETE matched by Application-UUID) and hangup.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FreeSwitchClient, type FreeSwitchEventData } from 'esl-lite';
import { startEslServer, type EslTestServer } from '../support/esl-server.ts';
import { requireSipp, startSippUas, type SippUas } from '../support/sipp-peer.ts';
import { waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

requireSipp();

/** esl-lite's client with the `filter` commands it does not expose, sent through its own `send`. */
class FilteringClient extends FreeSwitchClient {
  filter(header: string, value: string): ReturnType<FreeSwitchClient['bgapi']> {
    return this.send(`filter ${header} ${value}`, {}, undefined, 2000);
  }

  filterDeleteAll(): ReturnType<FreeSwitchClient['bgapi']> {
    return this.send('filter delete all', {}, undefined, 2000);
  }
}

function ok(res: unknown): FreeSwitchEventData {
  if (res instanceof Error) throw res;
  return res as FreeSwitchEventData;
}

const TRACKED = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY'] as const;

describe('interop: npm esl-lite@3 with sipp as the called party', () => {
  let srv: EslTestServer;
  let uas: SippUas;
  let client: FilteringClient;
  const seen: { name: string; uuid: string; app: string }[] = [];

  before(async () => {
    srv = await startEslServer();
    uas = await startSippUas(2);
    client = new FilteringClient({ port: srv.eslPort, logger: pino({ level: 'silent' }) });
    for (const name of TRACKED) {
      client.on(name, (ev) => seen.push({ name, uuid: ev.body.uniqueID ?? '', app: String(ev.body.data['Application'] ?? '') }));
    }
  });

  after(async () => {
    client?.end();
    await srv?.close();
  });

  it('bgapi returns the job output, and an unknown API its error text', async () => {
    const status = ok(await client.bgapi('status', 3000));
    assert.equal(status.body.eventName, 'BACKGROUND_JOB');
    assert.match(String(status.body.response), /^UP 0 years, 0 days/);
    const bad = ok(await client.bgapi('no_such_api', 3000));
    assert.equal(bad.body.response, '-ERR no_such_api Command not found!\n');
  });

  it('concurrent bgapi jobs are matched to their callers by Job-UUID', async () => {
    const order: string[] = [];
    const slow = client.bgapi('msleep 300', 3000).then((r) => { order.push('msleep'); return ok(r); });
    const fast = client.bgapi('create_uuid', 3000).then((r) => { order.push('create_uuid'); return ok(r); });
    const [s, f] = await Promise.all([slow, fast]);
    assert.equal(s.body.response, '+OK');
    assert.match(String(f.body.response), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(s.body.jobUUID, f.body.jobUUID);
    assert.deepEqual(order, ['create_uuid', 'msleep']);
  });

  it('originate to sipp: a Unique-ID filter shows one call only, its events in order; playback and hangup by sendmsg', async () => {
    const a = '4a0b5c1d-0000-4000-8000-00000000a11e';
    const b = '4a0b5c1d-0000-4000-8000-00000000b11e';
    // Accept filters are ORed: the call's own events, and the BACKGROUND_JOBs esl-lite waits for.
    ok(await client.filter('Unique-ID', a));
    ok(await client.filter('Event-Name', 'BACKGROUND_JOB'));
    const ra = ok(await client.bgapi(`originate {origination_uuid=${a}}${uas.dialString()} &park()`, 5000));
    assert.equal(ra.body.response, `+OK ${a}\n`);
    const rb = ok(await client.bgapi(`originate {origination_uuid=${b}}${uas.dialString()} &park()`, 5000));
    assert.equal(rb.body.response, `+OK ${b}\n`);

    const played = ok(await client.command_uuid(a, 'playback', 'tone_stream://%(400,0,440)', 5000));
    assert.equal(played.body.data['Application-Response'], 'FILE PLAYED');
    ok(await client.hangup_uuid(a, 'NORMAL_CLEARING', 3000));
    ok(await client.bgapi(`uuid_kill ${b}`, 3000));
    await until('call A destroyed', () => seen.some((e) => e.name === 'CHANNEL_DESTROY'), 5000);
    await waitIdle(srv.server, until);

    assert.ok(seen.every((e) => e.uuid === a), `only call A: ${JSON.stringify(seen.filter((e) => e.uuid !== a))}`);
    assert.deepEqual(seen.map((e) => (e.app ? `${e.name}:${e.app}` : e.name)), [
      'CHANNEL_CREATE',
      'CHANNEL_ANSWER',
      'CHANNEL_EXECUTE:park',
      'CHANNEL_EXECUTE:playback',
      'CHANNEL_EXECUTE_COMPLETE:playback',
      'CHANNEL_HANGUP',
      'CHANNEL_EXECUTE_COMPLETE:park',
      'CHANNEL_HANGUP_COMPLETE',
      'CHANNEL_DESTROY',
    ]);
    ok(await client.filterDeleteAll());
    const sipp = await uas.done;
    assert.equal(sipp.successful, 2, sipp.stdout.slice(-1500));
    assert.equal(sipp.failed, 0);
  });
});
