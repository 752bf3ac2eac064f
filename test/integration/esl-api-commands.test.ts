/**
 * API commands of the event socket over real TCP on 127.0.0.1 (specs/esl.md §5): uuid_bridge,
 * uuid_transfer (core routing and inline), uuid_break, uuid_record, uuid_hold, uuid_park,
 * uuid_setvar_multi, uuid_recv_dtmf, sched_hangup, sched_api, eval, expand, reloadxml, module_exists,
 * user_exists, sofia status, show registrations (+ CUSTOM sofia::register), conference. Calls are placed
 * through a fake endpoint with fake media; the switch runs on virtual time.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';

let h: Harness;
let ep: FakeEndpoint;
let esl: EslMount;
let c: EslTestClient;

function eventOf(f: EslFrame): Record<string, string> {
  return Object.fromEntries(parsePlain(f.body).headers);
}

function isEvent(name: string, extra: (e: Record<string, string>) => boolean = () => true): (f: EslFrame) => boolean {
  return (f) => f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === name && extra(eventOf(f));
}

async function parked(): Promise<string> {
  const out = await c.api('originate fake:1000 &park()');
  const id = /^\+OK (\S+)\n$/.exec(out)?.[1];
  assert.ok(id, out);
  await h.flush();
  return id;
}

function mediaOf(uuid: string): (typeof ep.legs)[number]['media'] {
  const leg = ep.legs.find((l) => l.channel.uuid === uuid);
  assert.ok(leg);
  return leg.media;
}

beforeEach(async () => {
  h = createHarness();
  ep = new FakeEndpoint(h.clock, { behaviour: answerAfter(0) });
  h.sw.addEndpoint(ep);
  esl = await mountEsl(h.sw, {
    listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0,
    sofiaProfiles: [{ name: 'internal', url: 'sip:mod_sofia@127.0.0.1:5060' }],
    userExists: (user, domain) => user === '1000' && domain === 'pbx.example',
    directory: { users: [{ user: 'ops', params: { 'esl-password': 'x' } }] },
  });
  c = await EslTestClient.authed(esl.address.port);
});

afterEach(async () => {
  c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl api: legs', () => {
  it('uuid_bridge takes two parked legs out of park and bridges them; one hangs up, so does the other', async () => {
    await c.command('event plain CHANNEL_UNPARK CHANNEL_EXECUTE CHANNEL_BRIDGE');
    const a = await parked();
    const b = await parked();
    assert.equal(await c.api(`uuid_bridge ${a} nope`), '-ERR Invalid uuid\n');
    assert.equal(await c.api(`uuid_bridge ${a} ${b}`), `+OK ${b}\n`);
    assert.equal(h.sw.bridgeOf(a)?.b.uuid, b);
    await c.wait(isEvent('CHANNEL_UNPARK', (e) => e['Unique-ID'] === a));
    await c.wait(isEvent('CHANNEL_UNPARK', (e) => e['Unique-ID'] === b));
    await c.wait(isEvent('CHANNEL_EXECUTE', (e) => e['Application'] === 'uuid_bridge' && e['Unique-ID'] === b));
    assert.equal(eventOf(await c.wait(isEvent('CHANNEL_BRIDGE')))['Bridge-B-Unique-ID'], b);
    await h.flush();
    assert.ok(h.sw.channel(a) && h.sw.channel(b), 'the park apps ending did not hang the legs up');
    await h.sw.channel(b)!.hangup();
    await h.flush();
    assert.equal(h.sw.channel(a), undefined, 'the other leg followed');
  });

  it('uuid_transfer routes the leg again (core routing, or inline apps)', async () => {
    const routed: string[] = [];
    const off = h.sw.router.register({ number: '9999' }, (ch) => { routed.push(ch.uuid); });
    const a = await parked();
    assert.equal(await c.api('uuid_transfer nope 9999'), '-ERR No such channel!\n');
    assert.equal(await c.api(`uuid_transfer ${a} 9999 XML default`), '+OK\n');
    await h.flush();
    assert.deepEqual(routed, [a]);
    assert.ok(h.sw.channel(a), 'still up after leaving park');
    assert.equal(h.sw.channel(a)?.destination, '9999');
    const b = await parked();
    assert.equal(await c.api(`uuid_transfer ${b} set:xfer=yes,hangup:USER_BUSY inline`), '+OK\n');
    await h.flush();
    const cdr = (await h.store.list({})).find((r) => r.uuid === b);
    assert.equal(cdr?.hangupCause, 'USER_BUSY');
    off();
  });

  it('sendmsg xferext runs its application headers as an inline extension', async () => {
    const a = await parked();
    await c.command('event plain CHANNEL_EXECUTE_COMPLETE');
    c.send(`sendmsg ${a}\ncall-command: xferext\napplication: set fruit=kiwi\napplication: hangup CALL_REJECTED\n\n`);
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK');
    const set = eventOf(await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application'] === 'set')));
    assert.equal(set['variable_fruit'], 'kiwi');
    await h.flush();
    assert.equal((await h.store.list({})).find((r) => r.uuid === a)?.hangupCause, 'CALL_REJECTED');
  });

  it('sendevent with a live Unique-ID goes to the divert_events socket of that channel, raw', async () => {
    const a = await parked();
    const d = await EslTestClient.authed(esl.address.port);
    try {
      await d.command(`myevents ${a}`);
      assert.equal((await d.command('divert_events on')).headers['Reply-Text'], '+OK events diverted');
      await c.command('event plain ALL');
      const r = await c.command('sendevent CUSTOM', { 'Event-Subclass': 'app::ping', 'Unique-ID': a, Foo: 'bar' });
      const id = /^\+OK (\S+)$/.exec(r.headers['Reply-Text'] ?? '')?.[1];
      const f = await d.wait((x) => x.headers['Content-Type'] === 'text/event-plain' && x.body.includes('app%3A%3Aping'));
      assert.deepEqual(parsePlain(f.body).headers, [
        ['Command', 'sendevent CUSTOM'], ['Unique-ID', a], ['Foo', 'bar'], ['Event-UUID', id ?? ''], ['Event-Subclass', 'app::ping'],
      ]);
      assert.match(await c.api('uptime'), /^\d+\n$/);
      assert.equal(c.frames.filter((x) => x.body.includes('app%3A%3Aping')).length, 0, 'not broadcast');
    } finally {
      d.close();
    }
  });

  it('a queued sendmsg, once run, fires PRIVATE_COMMAND with the message headers', async () => {
    const a = await parked();
    await c.command('event plain PRIVATE_COMMAND');
    await c.command(`sendmsg ${a}`, { 'call-command': 'execute', 'execute-app-name': 'set', 'execute-app-arg': 'x=1', 'Event-UUID': 'pc-1' });
    const e = eventOf(await c.wait(isEvent('PRIVATE_COMMAND')));
    assert.equal(e['call-command'], 'execute');
    assert.equal(e['Event-UUID'], 'pc-1');
    assert.equal(e['Unique-ID'], a);
  });

  it('uuid_break stops the playback; uuid_record start/stop', async () => {
    const a = await parked();
    assert.equal(await c.api(`uuid_broadcast ${a} /tmp/long.wav`), '+OK Message sent\n');
    await h.flush();
    const media = mediaOf(a);
    assert.equal(media.plays.length, 1);
    assert.equal(await c.api(`uuid_break ${a}`), '+OK\n');
    assert.equal(media.plays[0]!.settled, true);
    assert.equal(await c.api('uuid_break nope'), '-ERR No such channel!\n');

    assert.equal(await c.api('uuid_record nope start /tmp/x.wav'), '-ERR Cannot locate session!\n');
    assert.equal(await c.api(`uuid_record ${a} stop /tmp/x.wav`), '-ERR Cannot stop record session!\n');
    assert.equal(await c.api(`uuid_record ${a} start /tmp/x.wav 30`), '+OK Success\n');
    assert.equal(media.records.length, 1);
    assert.equal(media.records[0]!.spec, '/tmp/x.wav');
    assert.equal(await c.api(`uuid_record ${a} stop all`), '+OK Success\n');
    assert.equal(media.records[0]!.settled, true);
  });

  it('uuid_hold on / toggle / off; uuid_park unbridges and parks', async () => {
    const a = await parked();
    assert.equal(await c.api(`uuid_hold ${a}`), '+OK Success\n');
    assert.equal(h.sw.channel(a)?.held, true);
    assert.equal(await c.api(`uuid_hold toggle ${a}`), '+OK Success\n');
    assert.equal(h.sw.channel(a)?.held, false);
    assert.equal(await c.api('uuid_hold off nope'), '-ERR Operation failed\n');
    const b = await parked();
    await c.api(`uuid_bridge ${a} ${b}`);
    await c.command('event plain CHANNEL_PARK');
    assert.equal(await c.api(`uuid_park ${a}`), '+OK\n');
    assert.equal(h.sw.bridgeOf(a), undefined);
    await c.wait(isEvent('CHANNEL_PARK', (e) => e['Unique-ID'] === a));
    assert.equal(await c.api('uuid_park nope'), '-ERR No such channel!\n');
  });

  it('show channels reports the codec of the leg\'s media', async () => {
    await parked();
    const json = JSON.parse(await c.api('show channels as json')) as { rows: Record<string, string>[] };
    const row = json.rows[0]!;
    assert.deepEqual([row['read_codec'], row['read_rate'], row['read_bit_rate'], row['write_codec'], row['write_rate'], row['write_bit_rate']],
      ['PCMU', '8000', '64000', 'PCMU', '8000', '64000']);
  });

  it('uuid_deflect (REFER), uuid_flush_dtmf, uuid_ring_ready', async () => {
    const a = await parked();
    assert.equal(await c.api(`uuid_deflect ${a} sip:elsewhere@example.com`), '+OK:deflect initiated\n');
    assert.ok(ep.legs.find((l) => l.channel.uuid === a)?.driver.calls.includes('transfer:sip:elsewhere@example.com'));
    assert.equal(await c.api(`uuid_flush_dtmf ${a}`), '+OK\n');
    assert.match(await c.api(`uuid_ring_ready ${a}`), /^-ERR .*inbound/, 'an outbound leg cannot ring');
    assert.equal(await c.api('uuid_ring_ready nope'), '-ERR No such channel!\n');
  });

  it('uuid_setvar_multi, uuid_recv_dtmf', async () => {
    const a = await parked();
    assert.equal(await c.api(`uuid_setvar_multi ${a} x=1;y=two words;z=`), '+OK\n');
    assert.equal(await c.api(`uuid_getvar ${a} y`), 'two words');
    assert.equal(await c.api(`uuid_getvar ${a} x`), '1');
    await c.command('event plain DTMF');
    assert.equal(await c.api(`uuid_recv_dtmf ${a} 1#`), '+OK\n');
    const one = eventOf(await c.wait(isEvent('DTMF')));
    assert.equal(one['DTMF-Digit'], '1');
    assert.equal(one['DTMF-Source'], 'APP');
    assert.equal(eventOf(await c.wait(isEvent('DTMF')))['DTMF-Digit'], '#');
  });
});

describe('esl api: scheduling and expansion', () => {
  it('sched_hangup hangs up later with ALLOTTED_TIMEOUT, dropped when the leg ends first', async () => {
    const a = await parked();
    assert.equal(await c.api(`sched_hangup +5 ${a}`), '+OK\n');
    await h.tick(4000);
    assert.ok(h.sw.channel(a));
    await h.tick(1000);
    assert.equal(h.sw.channel(a), undefined);
    assert.equal((await h.store.list({})).find((r) => r.uuid === a)?.hangupCause, 'ALLOTTED_TIMEOUT');
    const b = await parked();
    assert.equal(await c.api(`sched_hangup +60 ${b} USER_BUSY`), '+OK\n');
    await h.sw.channel(b)!.hangup();
    assert.match(await c.api('sched_hangup soon x'), /^-USAGE: /);
  });

  it('sched_api runs an API later; @ repeats', async () => {
    const a = await parked();
    assert.match(await c.api(`sched_api +2 none uuid_kill ${a}`), /^\+OK Added: \d+\n$/);
    await h.tick(2000);
    assert.equal(h.sw.channel(a), undefined);
    assert.match(await c.api('sched_api @1 none global_setvar tick=x'), /^\+OK Added: \d+\n$/);
    await h.tick(1000);
    assert.equal(await c.api('global_getvar tick'), 'x');
    await c.api('global_setvar tick=y');
    await h.tick(1000);
    assert.equal(await c.api('global_getvar tick'), 'x', 'ran again');
  });

  it('eval and expand', async () => {
    const a = await parked();
    await c.api(`uuid_setvar ${a} color blue`);
    await c.api('global_setvar shade=dark');
    assert.equal(await c.api(`eval uuid:${a} \${color} is $\${shade} \${nothing}.`), 'blue is dark .');
    assert.equal(await c.api('eval ${shade}'), 'dark');
    assert.equal(await c.api('eval uuid:nope ${x}'), '-ERR No such channel!\n');
    assert.equal(await c.api(`expand uuid:${a} uuid_setvar ${a} copy \${color}`), '+OK\n');
    assert.equal(await c.api(`uuid_getvar ${a} copy`), 'blue');
    assert.equal(await c.api(`eval uuid:${a} \${color:1:2}-\${uuid_getvar(${a} color)}-\${nope_api(x)}`), 'lu-blue--ERR nope_api Command not found!');
  });

  it('fsctl: pause refuses new calls until resume, max_sessions / sps set core admission, api_expansion, shutdown refused', async () => {
    const live = await parked();
    assert.equal(await c.api('fsctl pause'), '+OK\n');
    assert.equal(await c.api('fsctl pause_check'), 'true');
    assert.equal(await c.api('fsctl ready_check'), 'false');
    assert.equal(await c.api('originate fake:1000 &park()'), '-ERR SWITCH_CONGESTION\n');
    assert.equal(await c.api(`uuid_exists ${live}`), 'true', 'calls in progress go on');
    assert.equal(await c.api('fsctl max_sessions 7'), '+OK max sessions: 7\n');
    assert.equal(await c.api('originate fake:1000 &park()'), '-ERR SWITCH_CONGESTION\n', 'still paused');
    assert.equal(await c.api('fsctl resume'), '+OK\n');
    assert.equal(await c.api('fsctl pause_check'), 'false');
    assert.equal(h.sw.admission.options.maxSessions, 7);
    assert.match(await c.api('originate fake:1000 &park()'), /^\+OK /);
    assert.match(await c.api('status'), /\n7 session\(s\) max\n/);
    assert.equal(await c.api('fsctl max_sessions'), '+OK max sessions: 7\n');
    assert.equal(await c.api('fsctl sps'), '+OK sessions per second: 0\n');
    assert.equal(await c.api('fsctl sps 30'), '+OK sessions per second: 30\n');
    assert.equal(h.sw.admission.options.sessionsPerSecond, 30);
    assert.equal(await c.api('eval ${global_getvar(nothing)}x${echo(hi)}'), 'xhi');
    assert.equal(await c.api('fsctl api_expansion off'), '+OK api_expansion is off \n');
    assert.equal(await c.api('eval [${echo(hi)}]'), '[]');
    assert.equal(await c.api('fsctl api_expansion on'), '+OK api_expansion is on \n');
    assert.equal(await c.api('eval [${echo(hi)}]'), '[hi]');
    assert.equal(await c.api('fsctl shutdown now'), '-ERR shutdown is not allowed from the event socket\n');
    assert.equal(await c.api('fsctl shutdown_check'), 'false');
    assert.equal(await c.api('fsctl sync_clock'), '+OK clock synchronized\n');
    assert.match(await c.api('fsctl nonsense'), /^-ERR Invalid command\nUSAGE: fsctl \[pause .*\]\n$/);
    assert.match(await c.api('fsctl'), /^-USAGE: \[pause .*\]\n$/);
  });

  it('reloadxml, module_exists, user_exists', async () => {
    await c.command('event plain RELOADXML');
    assert.equal(await c.api('reloadxml'), '+OK [Success]\n');
    await c.wait(isEvent('RELOADXML'));
    assert.equal(await c.api('module_exists mod_event_socket'), 'true');
    assert.equal(await c.api('module_exists mod_nonsense'), 'false');
    assert.equal(await c.api('user_exists id 1000 pbx.example'), 'true');
    assert.equal(await c.api('user_exists id ops anywhere'), 'true', 'directory user');
    assert.equal(await c.api('user_exists id 1001 pbx.example'), 'false');
    assert.equal(await c.api('reload mod_sofia'), '+OK Reloading XML\n+OK\n');
    assert.equal(await c.api('unload -f mod_conference'), '+OK\n');
    assert.equal(await c.api('load mod_nonsense'), '-ERR [module load file routine returned an error]\n');
  });
});

describe('esl api: sofia, registrations, conference', () => {
  it('sofia status table and profile; show registrations and CUSTOM sofia::register follow the bus', async () => {
    const rule = '='.repeat(97);
    assert.equal(await c.api('sofia status'), `${'Name'.padStart(25)}\t   Type\t  ${'Data'.padStart(40)}\tState\n${rule}\n`
      + `${'internal'.padStart(25)}\tprofile\t  ${'sip:mod_sofia@127.0.0.1:5060'.padStart(40)}\tRUNNING (0)\n${rule}\n1 profile 0 aliases\n`);
    assert.match(await c.api('sofia status profile internal'), /\nURL {14}\tsip:mod_sofia@127\.0\.0\.1:5060\n/);
    assert.equal(await c.api('sofia status profile nope'), 'Invalid Profile!\n');
    assert.equal(await c.api('show registrations'), '\n0 total.\n');
    await c.command('event plain CUSTOM sofia::register sofia::unregister');
    const registration = {
      user: '1000', domain: 'pbx.example', aor: 'sip:1000@pbx.example', contact: 'sip:1000@127.0.0.1:5062',
      expiresAt: h.sw.now() + 3_600_000, callId: 'reg-1', networkIp: '127.0.0.1', networkPort: 5062, transport: 'udp',
    };
    h.sw.bus.emit('registration.added', { registration, refreshed: false });
    const reg = eventOf(await c.wait(isEvent('CUSTOM', (e) => e['Event-Subclass'] === 'sofia::register')));
    assert.equal(reg['from-user'], '1000');
    assert.equal(reg['expires'], '3600');
    const shown = await c.api('show registrations');
    assert.equal(shown.split('\n')[0], 'reg_user,realm,token,url,expires,network_ip,network_port,network_proto,hostname,metadata');
    assert.match(shown, /\n1000,pbx\.example,reg-1,sip:1000@127\.0\.0\.1:5062,\d+,127\.0\.0\.1,5062,udp,pbx1,\n\n1 total\.\n$/);
    assert.match(await c.api('sofia status profile internal reg'), /User: {7}\t1000@pbx\.example\n/);
    h.sw.bus.emit('registration.removed', { registration, reason: 'unregistered' });
    await c.wait(isEvent('CUSTOM', (e) => e['Event-Subclass'] === 'sofia::unregister'));
    assert.equal(await c.api('show registrations'), '\n0 total.\n');
  });

  it('originate &conference(room+flags{...}) keeps the leg in the room until it is kicked', async () => {
    const id = /^\+OK (\S+)\n$/.exec(await c.api("originate fake:1000 '&conference(room2@default+flags{mute|moderator})'"))?.[1] ?? '';
    await h.flush();
    const member = h.sw.conference('room2')?.memberByChannel(id);
    assert.ok(member, 'joined');
    assert.equal(member.mute, true);
    assert.equal(member.snapshot().moderator, true);
    assert.ok(h.sw.channel(id), 'still up while in the room');
    assert.equal(await c.api(`conference room2 kick ${member.id}`), `+OK kicked ${member.id}\n`);
    await h.flush();
    assert.equal(h.sw.channel(id), undefined, 'the inline extension ended with the conference app');
  });

  it('conference list / mute / deaf / kick / play / record', async () => {
    assert.equal(await c.api('conference list'), '+OK No active conferences.\n');
    assert.equal(await c.api('conference room1 list'), '-ERR Conference room1 not found\n');
    const a = await parked();
    const b = await parked();
    for (const id of [a, b]) await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'conference', 'execute-app-arg': 'room1' });
    await h.flush();
    assert.equal(h.sw.conference('room1')?.size, 2);
    const [m1, m2] = h.sw.conference('room1')!.members();
    assert.ok(m1 && m2);
    assert.equal(await c.api('conference room1 list'),
      `${m1.id};fake/fake:1000;${a};;;hear|speak;0;0;100\n${m2.id};fake/fake:1000;${b};;;hear|speak;0;0;100\n`);
    assert.match(await c.api('conference list'), /^\+OK Conference room1 \(2 members rate: 8000 flags: running\)\n/);
    assert.equal(await c.api(`conference room1 mute ${m1.id}`), `+OK mute ${m1.id}\n`);
    assert.equal(m1.mute, true);
    assert.equal(await c.api('conference room1 tmute all'), `+OK unmute ${m1.id}\n+OK mute ${m2.id}\n`);
    assert.equal(await c.api(`conference room1 tmute ${m2.id}`), `+OK unmute ${m2.id}\n`);
    assert.equal(await c.api(`conference room1 tmute ${m1.id}`), `+OK mute ${m1.id}\n`);
    assert.equal(await c.api(`conference room1 volume_in ${m1.id} 3`), `+OK Volume IN ${m1.id} = 3\n`);
    assert.equal(await c.api(`conference room1 volume_in ${m1.id} up`), `+OK Volume IN ${m1.id} = 4\n`);
    assert.equal(await c.api(`conference room1 volume_in ${m1.id} up`), `+OK Volume IN ${m1.id} = 4\n`, 'clamped');
    assert.equal(await c.api(`conference room1 volume_out ${m2.id} down`), `+OK Volume OUT ${m2.id} = -1\n`);
    assert.equal(await c.api(`conference room1 volume_out ${m2.id}`), `+OK Volume OUT ${m2.id} = -1\n`);
    assert.equal(m1.volumeIn, 4);
    assert.equal(await c.api('conference room1 volume_in 999 1'), '-ERR Non-Existant ID 999\n');
    assert.equal(await c.api('conference room1 deaf all'), `+OK deaf ${m1.id}\n+OK deaf ${m2.id}\n`);
    assert.equal(await c.api(`conference room1 unmute ${m1.id}`), `+OK unmute ${m1.id}\n`);
    assert.equal(await c.api('conference room1 mute 999'), '-ERR Non-Existant ID 999\n');
    assert.equal(await c.api('conference room1 play /tmp/welcome.wav'), '+OK (play) Playing file /tmp/welcome.wav\n');
    assert.equal(await c.api('conference room1 record /tmp/room1.wav'), '+OK Record file /tmp/room1.wav\n');
    assert.equal(await c.api('conference room1 norecord all'), '+OK Stopped recording file all\n');
    assert.equal(await c.api('conference room1 bogus'), "-ERR Conference command 'bogus' not found.\n");
    assert.equal(await c.api(`conference room1 kick ${m2.id}`), `+OK kicked ${m2.id}\n`);
    await h.flush();
    assert.equal(h.sw.conference('room1')?.size, 1);
    assert.equal(await c.api('conference room1 list count'), '1\n');
  });
});
