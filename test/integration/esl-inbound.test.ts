/**
 * The inbound event socket over real TCP on 127.0.0.1 (specs/esl.md §2): auth, api, bgapi +
 * BACKGROUND_JOB, event subscriptions (plain and json) following a call placed through a fake endpoint,
 * filters, nixevent, sendmsg, myevents, exit and bad input; the switch runs on virtual time.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, refuseAfter, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

let h: Harness;
let ep: FakeEndpoint;
let esl: EslMount;
let clients: EslTestClient[];

async function client(): Promise<EslTestClient> {
  const c = await EslTestClient.authed(esl.address.port);
  clients.push(c);
  return c;
}

function eventOf(f: EslFrame): Record<string, string> {
  if (f.headers['Content-Type'] === 'text/event-json') return JSON.parse(f.body) as Record<string, string>;
  return Object.fromEntries(parsePlain(f.body).headers);
}

function isEvent(name: string, extra: (e: Record<string, string>) => boolean = () => true): (f: EslFrame) => boolean {
  return (f) => (f.headers['Content-Type'] ?? '').startsWith('text/event-') && eventOf(f)['Event-Name'] === name && extra(eventOf(f));
}

beforeEach(async () => {
  h = createHarness();
  ep = new FakeEndpoint(h.clock, { behaviour: answerAfter(0) });
  h.sw.addEndpoint(ep);
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1' });
  clients = [];
});

afterEach(async () => {
  for (const c of clients) c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl inbound: authentication', () => {
  it('sends auth/request, accepts the password, answers api status', async () => {
    const c = await client();
    const status = await c.api('status');
    assert.match(status, /^UP 0 years, 0 days, 0 hours, 0 minutes, \d+ seconds?, \d+ milliseconds?, \d+ microseconds?\n/);
    assert.match(status, /\nFreeSWITCH \(Version .+\) is ready\n/);
    assert.match(status, /\n0 session\(s\) since startup\n0 session\(s\) - peak 0, last 5min 0 \n/);
    assert.match(await c.api('version'), /^FreeSWITCH Version \S+ \(.+\)\n$/);
  });

  it('wrong password: -ERR invalid, disconnect-notice, close', async () => {
    const c = await EslTestClient.open(esl.address.port);
    clients.push(c);
    await c.next('auth/request');
    const r = await c.command('auth nope');
    assert.equal(r.raw, 'Content-Type: command/reply\nReply-Text: -ERR invalid\n\n');
    const bye = await c.next('text/disconnect-notice');
    assert.equal(bye.raw, `Content-Type: text/disconnect-notice\nContent-Length: 67\n\n${GOODBYE}`);
    await c.closed();
  });

  it('a trailing space makes the password wrong', async () => {
    const c = await EslTestClient.open(esl.address.port);
    clients.push(c);
    await c.next('auth/request');
    assert.equal((await c.command('auth ClueCon ')).headers['Reply-Text'], '-ERR invalid');
  });

  it('commands before auth: -ERR command not found, connection stays', async () => {
    const c = await EslTestClient.open(esl.address.port);
    clients.push(c);
    await c.next('auth/request');
    assert.equal((await c.command('api status')).headers['Reply-Text'], '-ERR command not found');
    assert.equal((await c.command('auth ClueCon')).headers['Reply-Text'], '+OK accepted');
  });

  it('exit: +OK bye, then the goodbye, then close', async () => {
    const c = await client();
    c.send('exit\n\n');
    const r = await c.next('command/reply');
    assert.equal(r.headers['Reply-Text'], '+OK bye');
    assert.equal((await c.next('text/disconnect-notice')).body, GOODBYE);
    await c.closed();
  });

  it('unknown commands and APIs', async () => {
    const c = await client();
    assert.equal((await c.command('bogus thing')).raw, 'Content-Type: command/reply\nReply-Text: -ERR command not found\n\n');
    assert.equal(await c.api('nosuchapi 1 2'), '-ERR nosuchapi Command not found!\n');
    assert.equal(await c.api('global_getvar unset_thing'), '-ERR no reply\n');
  });

  it('a huge Content-Length drops the connection', async () => {
    const c = await client();
    c.send('sendevent CUSTOM\nContent-Length: 999999999\n\n');
    await c.closed();
    const d = await client();
    assert.equal((await d.command('event plain HEARTBEAT')).headers['Reply-Text'], '+OK event listener enabled plain');
  });

  it('disconnecting mid-command does no harm', async () => {
    const s = connect({ port: esl.address.port, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    s.resume();
    s.end('auth ClueCon\n\napi sta');
    await new Promise((r) => s.once('close', r));
    const c = await client();
    assert.match(await c.api('uptime'), /^\d+\n$/);
  });
});

describe('esl inbound: api and bgapi', () => {
  it('bgapi replies with Job-UUID and later fires BACKGROUND_JOB with the output as body', async () => {
    const c = await client();
    await c.command('event plain BACKGROUND_JOB');
    const r = await c.command('bgapi status', { 'Job-UUID': 'job-1' });
    assert.equal(r.raw, 'Content-Type: command/reply\nReply-Text: +OK Job-UUID: job-1\nJob-UUID: job-1\n\n');
    const job = await c.wait(isEvent('BACKGROUND_JOB'));
    const e = parsePlain(job.body);
    assert.deepEqual(e.headers.slice(13).map(([n]) => n), ['Job-UUID', 'Job-Command']);
    assert.equal(eventOf(job)['Job-UUID'], 'job-1');
    assert.match(e.body, /^UP /);
  });

  it('bgapi originate: +OK <uuid> in the job body; failure -ERR <CAUSE>', async () => {
    const c = await client();
    await c.command('event json BACKGROUND_JOB');
    const r = await c.command('bgapi originate fake:1000 &park()');
    const id = r.headers['Job-UUID']!;
    const job = eventOf(await c.wait(isEvent('BACKGROUND_JOB', (e) => e['Job-UUID'] === id)));
    assert.equal(job['Job-Command'], 'originate');
    assert.equal(job['Job-Command-Arg'], 'fake:1000 &park()');
    const uuid = /^\+OK (\S+)\n$/.exec(job['_body'] ?? '')?.[1];
    assert.ok(uuid && h.sw.channel(uuid));
    ep.behaviour = refuseAfter(0, 'USER_BUSY', 486);
    assert.equal(await c.api('originate fake:1001 &park()'), '-ERR USER_BUSY\n');
    assert.equal(await c.api('originate nowhere:1 &park()'), '-ERR CHAN_NOT_IMPLEMENTED\n');
    assert.match(await c.api('originate'), /^-USAGE: /);
  });

  it('show channels in CSV and JSON, uuid_* commands, hupall', async () => {
    const c = await client();
    assert.equal(await c.api('show channels'), '\n0 total.\n');
    assert.equal(await c.api('show channels as json'), '{"row_count": 0}\n');
    const uuid = /^\+OK (\S+)\n$/.exec(await c.api("originate {origination_caller_id_number=555}fake:1000 &park()"))?.[1] ?? '';
    const csv = (await c.api('show channels')).split('\n');
    assert.equal(csv[0]!.split(',').length, 38);
    assert.ok(csv[0]!.startsWith('uuid,direction,created,created_epoch,name,state,cid_name,cid_num'));
    assert.ok(csv[1]!.startsWith(`${uuid},outbound,`));
    assert.deepEqual(csv.slice(2), ['', '1 total.', '']);
    const json = JSON.parse(await c.api('show channels as json')) as { row_count: number; rows: Record<string, string>[] };
    assert.equal(json.row_count, 1);
    assert.equal(json.rows[0]?.['uuid'], uuid);
    assert.equal(json.rows[0]?.['callstate'], 'ACTIVE');
    assert.equal(await c.api('show channels count'), '\n1 total.\n');
    assert.match(await c.api('show calls'), /^uuid,direction,.*call_created_epoch\n/);
    assert.equal(await c.api(`uuid_exists ${uuid}`), 'true');
    assert.equal(await c.api('uuid_exists nope'), 'false');
    assert.equal(await c.api(`uuid_setvar ${uuid} foo bar baz`), '+OK\n');
    assert.equal(await c.api(`uuid_getvar ${uuid} foo`), 'bar baz');
    assert.equal(await c.api(`uuid_getvar ${uuid} nothing`), '_undef_');
    assert.equal(await c.api('uuid_getvar nope foo'), '-ERR No such channel!\n');
    const dump = await c.api(`uuid_dump ${uuid}`);
    assert.match(dump, /^Event-Name: CHANNEL_DATA\n[\s\S]*\nvariable_foo: bar%20baz\n/);
    assert.ok(dump.endsWith('\n\n'));
    assert.equal(JSON.parse(await c.api(`uuid_dump ${uuid} json`))['variable_foo'], 'bar baz');
    assert.equal(await c.api(`uuid_send_dtmf ${uuid} 12#`), `+OK ${uuid} sent DTMF 12#.\n`);
    assert.equal(await c.api(`uuid_broadcast ${uuid} /tmp/x.wav`), '+OK Message sent\n');
    assert.equal(await c.api('uuid_broadcast nope /tmp/x.wav'), '-ERR invalid uuid\n');
    assert.equal(await c.api('uuid_kill nope'), '-ERR No such channel!\n');
    assert.equal(await c.api('hupall'), '+OK hangup all channels with cause MANAGER_REQUEST\n');
    await h.flush();
    assert.equal(h.sw.channel(uuid), undefined);
    assert.equal(await c.api('global_setvar x=1'), '+OK');
    assert.equal(await c.api('global_getvar x'), '1');
  });
});

describe('esl inbound: events', () => {
  const LIFECYCLE = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY'];

  for (const format of ['plain', 'json', 'xml'] as const) {
    it(`event ${format}: a call's CHANNEL_CREATE .. CHANNEL_DESTROY in order`, async () => {
      const c = await client();
      const r = await c.command(`event ${format} ${LIFECYCLE.join(' ')}`);
      assert.equal(r.headers['Reply-Text'], `+OK event listener enabled ${format}`);
      const uuid = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1] ?? '';
      assert.equal(await c.api(`uuid_kill ${uuid} USER_BUSY`), '+OK\n');
      const names: string[] = [];
      let last: EslFrame | undefined;
      while (names.length < LIFECYCLE.length) {
        last = await c.wait((f) => (f.headers['Content-Type'] ?? '').startsWith('text/event-'));
        assert.equal(last.headers['Content-Type'], `text/event-${format}`);
        assert.equal(Number(last.headers['Content-Length']), Buffer.byteLength(last.body));
        if (format === 'xml') {
          names.push(/<Event-Name>([A-Z_]+)<\/Event-Name>/.exec(last.body)?.[1] ?? '');
          assert.ok(last.body.includes(`<Unique-ID>${uuid}</Unique-ID>`));
        } else {
          const e = eventOf(last);
          names.push(e['Event-Name'] ?? '');
          assert.equal(e['Unique-ID'], uuid);
          assert.equal(e['Core-UUID']?.length, 36);
          assert.equal(e['FreeSWITCH-Hostname'], 'pbx1');
        }
      }
      assert.deepEqual(names, LIFECYCLE);
      if (format !== 'xml') {
        const destroy = eventOf(last!);
        assert.equal(destroy['Hangup-Cause'], 'USER_BUSY');
        assert.equal(destroy['variable_hangup_cause'], 'USER_BUSY');
        assert.equal(destroy['Call-Direction'], 'outbound');
      }
    });
  }

  it('plain events are URL-encoded; sequence numbers increase', async () => {
    const c = await client();
    await c.command('event plain CHANNEL_CREATE CHANNEL_STATE');
    await c.api('originate fake:1000@example.com &park()');
    const f1 = await c.wait(isEvent('CHANNEL_STATE'));
    const f2 = await c.wait(isEvent('CHANNEL_CREATE'));
    assert.ok(f2.body.includes('Channel-Name: fake/fake%3A1000%40example.com\n'));
    assert.ok(f2.body.startsWith('Event-Name: CHANNEL_CREATE\nCore-UUID: '));
    assert.equal(Number(eventOf(f2)['Event-Sequence']), Number(eventOf(f1)['Event-Sequence']) + 1);
  });

  it('filter / filter delete / nixevent / noevents', async () => {
    const c = await client();
    await c.command('event json CHANNEL_CREATE HEARTBEAT');
    const ok = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1 &park()'))?.[1] ?? '';
    await c.wait(isEvent('CHANNEL_CREATE'));
    assert.equal((await c.command('filter Caller-Destination-Number fake:2')).headers['Reply-Text'],
      '+OK filter added. [Caller-Destination-Number]=[fake:2]');
    await c.api('originate fake:1 &park()');
    const second = /^\+OK (\S+)\n$/.exec(await c.api('originate {x=1}fake:2 &park()'))?.[1] ?? '';
    const e = eventOf(await c.wait(isEvent('CHANNEL_CREATE')));
    assert.notEqual(e['Unique-ID'], ok);
    assert.equal(e['Unique-ID'], second);
    h.clock.advance(20_000);
    await h.flush();
    assert.equal((await c.command('filter delete Caller-Destination-Number fake:2')).headers['Reply-Text'],
      '+OK filter deleted. [Caller-Destination-Number][fake:2]');
    assert.equal((await c.command('filter Unique-ID')).headers['Reply-Text'], '-ERR invalid syntax');
    assert.equal((await c.command('filter delete')).headers['Reply-Text'], '-ERR invalid syntax');
    h.clock.advance(20_000);
    const hb = eventOf(await c.wait(isEvent('HEARTBEAT')));
    assert.equal(hb['Event-Info'], 'System Ready');
    assert.ok(c.frames.filter(isEvent('HEARTBEAT')).length === 0, 'the filtered heartbeat was not delivered');
    assert.equal((await c.command('nixevent CHANNEL_CREATE')).headers['Reply-Text'], '+OK events nixed');
    await c.api('originate fake:3 &park()');
    assert.equal((await c.command('noevents')).headers['Reply-Text'], '+OK no longer listening for events');
    assert.equal((await c.command('noevents')).headers['Reply-Text'], '-ERR not listening for events');
    assert.equal(c.frames.filter(isEvent('CHANNEL_CREATE')).length, 0);
    assert.equal((await c.command('event json NOTANEVENT')).headers['Reply-Text'], '-ERR no keywords supplied');
  });

  it('sendmsg execute + hangup, CHANNEL_EXECUTE_COMPLETE with Application-UUID', async () => {
    const c = await client();
    await c.command('event json CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE PLAYBACK_START PLAYBACK_STOP CHANNEL_HANGUP');
    const uuid = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1 &park()'))?.[1] ?? '';
    assert.equal((await c.command('sendmsg nope')).headers['Reply-Text'], '-ERR invalid session id [nope]');
    const r = await c.command(`sendmsg ${uuid}`, {
      'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': '/tmp/a.wav', 'Event-UUID': 'app-1',
    });
    assert.equal(r.headers['Reply-Text'], '+OK');
    const exec = eventOf(await c.wait(isEvent('CHANNEL_EXECUTE', (e) => e['Application'] === 'playback')));
    assert.equal(exec['Application'], 'playback');
    assert.equal(exec['Application-UUID'], 'app-1');
    await c.wait(isEvent('PLAYBACK_START'));
    ep.legs[0]!.media.plays[0]!.finish();
    const stop = eventOf(await c.wait(isEvent('PLAYBACK_STOP')));
    assert.equal(stop['Playback-Status'], 'done');
    const done = eventOf(await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application'] === 'playback')));
    assert.equal(done['Application-Response'], 'FILE PLAYED');
    assert.equal(done['Application-UUID'], 'app-1');
    await c.command(`sendmsg ${uuid}`, { 'call-command': 'hangup', 'hangup-cause': 'CALL_REJECTED' });
    assert.equal(eventOf(await c.wait(isEvent('CHANNEL_HANGUP')))['Hangup-Cause'], 'CALL_REJECTED');
  });

  it('myevents binds to one channel and closes the socket when it hangs up', async () => {
    const c = await client();
    const a = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1 &park()'))?.[1] ?? '';
    const b = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:2 &park()'))?.[1] ?? '';
    assert.equal((await c.command('myevents nope json')).headers['Reply-Text'], '-ERR invalid uuid');
    assert.equal((await c.command(`myevents ${a} json`)).headers['Reply-Text'], '+OK Events Enabled');
    assert.equal((await c.command(`myevents ${a}`)).headers['Reply-Text'], '-ERR aready enabled.');
    await c.api(`uuid_kill ${b}`);
    await c.api(`uuid_kill ${a}`);
    const hup = eventOf(await c.wait(isEvent('CHANNEL_HANGUP')));
    assert.equal(hup['Unique-ID'], a);
    const bye = await c.next('text/disconnect-notice');
    assert.equal(bye.headers['Controlled-Session-UUID'], a);
    assert.equal(bye.headers['Content-Disposition'], 'disconnect');
    await c.closed();
  });

  it('sendevent reaches subscribers with the client headers first', async () => {
    const c = await client();
    const d = await client();
    await d.command('event json CUSTOM my::thing');
    c.send('sendevent CUSTOM\nEvent-Subclass: my::thing\nX-Foo: bar\nContent-Length: 5\n\nhello\n\n');
    const r = await c.next('command/reply');
    assert.match(r.headers['Reply-Text'] ?? '', /^\+OK [0-9a-f-]{36}$/);
    const f = await d.wait(isEvent('CUSTOM'));
    const keys = Object.keys(JSON.parse(f.body) as object);
    assert.deepEqual(keys.slice(0, 5), ['Event-Subclass', 'Command', 'X-Foo', 'Event-UUID', 'Event-Name']);
    assert.equal(eventOf(f)['_body'], 'hello');
  });

  it('rejects peers outside the ACL with the rude-rejection text', async () => {
    await esl.close();
    esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', acl: ['10.0.0.0/8'] });
    const c = await EslTestClient.open(esl.address.port);
    clients.push(c);
    const f = await c.next('text/rude-rejection');
    assert.equal(f.raw, 'Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n');
    assert.equal((await c.next('text/disconnect-notice')).body, GOODBYE);
    await c.closed();
  });

  it('refuses a non-loopback bind with the default password', async () => {
    await assert.rejects(mountEsl(h.sw, { listen: '0.0.0.0:0' }), { code: 'ESL_INSECURE_BIND' });
  });
});
