/**
 * Events over real TCP on 127.0.0.1 (specs/esl.md §4.4): the originate order (CHANNEL_OUTGOING, STATE
 * CS_INIT, CREATE, ORIGINATE), park (CHANNEL_PARK, then on hangup CHANNEL_HANGUP, CHANNEL_UNPARK, the
 * park app's EXECUTE_COMPLETE), PLAYBACK_START/STOP and RECORD_START/STOP around sendmsg apps, and
 * HEARTBEAT with RE_SCHEDULE every 20 s. The switch runs on virtual time with fake media.
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

const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);
const isEvent = (name: string) => (f: EslFrame): boolean =>
  f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === name;

/** Event names received so far (and drops them from the backlog). */
function drain(): string[] {
  return c.frames.splice(0).filter((f) => f.headers['Content-Type'] === 'text/event-plain').map((f) => {
    const e = eventOf(f);
    return e['Event-Name'] === 'CHANNEL_STATE' ? `STATE ${e['Channel-State']}` : e['Event-Name'] ?? '';
  });
}

beforeEach(async () => {
  h = createHarness();
  ep = new FakeEndpoint(h.clock, { behaviour: answerAfter(0) });
  h.sw.addEndpoint(ep);
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1' });
  c = await EslTestClient.authed(esl.address.port);
});

afterEach(async () => {
  c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl events', () => {
  it('originate &park(): OUTGOING, STATE CS_INIT, CREATE, ORIGINATE ... PARK; hangup: HANGUP, UNPARK, EXECUTE_COMPLETE', async () => {
    await c.command('event plain CHANNEL_OUTGOING CHANNEL_STATE CHANNEL_CREATE CHANNEL_ORIGINATE CHANNEL_ANSWER CHANNEL_EXECUTE '
      + 'CHANNEL_EXECUTE_COMPLETE CHANNEL_PARK CHANNEL_UNPARK CHANNEL_HANGUP');
    const id = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1] ?? '';
    await c.wait((f) => isEvent('CHANNEL_PARK')(f) && eventOf(f)['Unique-ID'] === id).then((f) => c.frames.push(f));
    const start = drain();
    assert.deepEqual(start.slice(0, 4), ['CHANNEL_OUTGOING', 'STATE CS_INIT', 'CHANNEL_CREATE', 'CHANNEL_ORIGINATE']);
    assert.ok(start.indexOf('CHANNEL_ANSWER') > 3);
    assert.ok(start.indexOf('CHANNEL_EXECUTE') < start.indexOf('CHANNEL_PARK'));
    assert.equal(await c.api(`uuid_kill ${id}`), '+OK\n');
    await c.wait((f) => isEvent('CHANNEL_EXECUTE_COMPLETE')(f) && eventOf(f)['Application'] === 'park').then((f) => c.frames.push(f));
    const tail = drain();
    assert.ok(tail.indexOf('CHANNEL_HANGUP') >= 0 && tail.indexOf('CHANNEL_HANGUP') < tail.indexOf('CHANNEL_UNPARK'), tail.join(','));
    assert.ok(tail.indexOf('CHANNEL_UNPARK') < tail.indexOf('CHANNEL_EXECUTE_COMPLETE'), tail.join(','));
  });

  it('originate with origination_uuid: CHANNEL_UUID (Old-Unique-ID first, CS_NEW) before OUTGOING; none without it', async () => {
    await c.command('event plain CHANNEL_UUID CHANNEL_OUTGOING CHANNEL_CREATE');
    const forced = '0b6f2c1e-5a43-4f7e-9d0a-2f6a1c9e7b11';
    assert.equal(await c.api(`originate {origination_uuid=${forced}}fake:1000 &park()`), `+OK ${forced}\n`);
    await c.wait((f) => isEvent('CHANNEL_CREATE')(f) && eventOf(f)['Unique-ID'] === forced).then((f) => c.frames.push(f));
    const frames = c.frames.filter((f) => f.headers['Content-Type'] === 'text/event-plain').map((f) => parsePlain(f.body).headers);
    c.frames.length = 0;
    assert.deepEqual(frames.map((hs) => Object.fromEntries(hs)['Event-Name']),
      ['CHANNEL_UUID', 'CHANNEL_OUTGOING', 'CHANNEL_CREATE']);
    const renamed = frames[0]!;
    const at = renamed.findIndex(([n]) => n === 'Event-Sequence') + 1;
    assert.equal(renamed[at]![0], 'Old-Unique-ID', 'first after the standard headers');
    assert.equal(renamed[at + 1]![0], 'Channel-State');
    assert.match(renamed[at]![1], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(renamed[at]![1], forced);
    const fields = Object.fromEntries(renamed);
    assert.equal(fields['Unique-ID'], forced);
    assert.equal(fields['Channel-State'], 'CS_NEW');
    const plain = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1001 &park()'))?.[1] ?? '';
    await c.wait((f) => isEvent('CHANNEL_CREATE')(f) && eventOf(f)['Unique-ID'] === plain);
    assert.equal(c.frames.filter(isEvent('CHANNEL_UUID')).length, 0);
  });

  it('PLAYBACK_START/STOP and RECORD_START/STOP around the apps', async () => {
    const id = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1] ?? '';
    await c.command('event plain PLAYBACK_START PLAYBACK_STOP RECORD_START RECORD_STOP');
    await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': 'tone_stream://%(100,0,440)' });
    const start = eventOf(await c.wait(isEvent('PLAYBACK_START')));
    assert.equal(start['Playback-File-Type'], 'tone_stream');
    assert.equal(start['Playback-File-Path'], 'tone_stream://%(100,0,440)');
    ep.legs[0]!.media.plays[0]!.finish();
    assert.equal(eventOf(await c.wait(isEvent('PLAYBACK_STOP')))['Playback-Status'], 'done');
    await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'record', 'execute-app-arg': '/tmp/r.wav 5' });
    assert.equal(eventOf(await c.wait(isEvent('RECORD_START')))['Record-File-Path'], '/tmp/r.wav');
    ep.legs[0]!.media.records[0]!.finish();
    assert.equal(eventOf(await c.wait(isEvent('RECORD_STOP')))['Record-File-Path'], '/tmp/r.wav');
  });

  it('HEARTBEAT and RE_SCHEDULE every 20 s', async () => {
    await c.command('event plain HEARTBEAT RE_SCHEDULE');
    await h.tick(19_999);
    assert.deepEqual(drain(), []);
    await h.tick(1);
    const hb = eventOf(await c.wait(isEvent('HEARTBEAT')));
    assert.equal(hb['Event-Info'], 'System Ready');
    const rs = eventOf(await c.wait(isEvent('RE_SCHEDULE')));
    assert.equal(rs['Task-Desc'], 'heartbeat');
    assert.equal(rs['Task-Group'], 'core');
    assert.equal(Number(rs['Task-Runtime']), Math.floor((h.sw.now() + 20_000) / 1000));
    assert.equal(hb['Session-Per-Sec'], '30', 'no sps limit: the original default');
    assert.equal(hb['Session-Per-Sec-Last'], '0');
    assert.equal(await c.api('fsctl sps 12'), '+OK sessions per second: 12\n');
    await h.tick(20_000);
    assert.equal(eventOf(await c.wait(isEvent('HEARTBEAT')))['Session-Per-Sec'], '12');
  });
});
