/**
 * Dialplan applications run through sendmsg over real TCP on 127.0.0.1 (specs/esl.md §6): read,
 * play_and_get_digits, transfer, sched_hangup, multiset, event, hold / unhold, log (seen as log/data).
 * Legs come from a fake endpoint with fake media; the switch runs on virtual time.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { mountEsl, type EslMount, type SpeechRequest } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { until } from '../support/wait.ts';

let h: Harness;
let ep: FakeEndpoint;
let esl: EslMount;
let c: EslTestClient;
let spoken: SpeechRequest[];

/** A valid 8 kHz mono 16-bit WAV of 10 ms of silence. */
function tinyWav(): Buffer {
  const data = Buffer.alloc(160);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8); h.write('fmt ', 12);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34); h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);
const isComplete = (app: string) => (f: EslFrame): boolean =>
  f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === 'CHANNEL_EXECUTE_COMPLETE' && eventOf(f)['Application'] === app;

async function parked(): Promise<string> {
  const id = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1];
  assert.ok(id);
  await h.flush();
  return id;
}

async function exec(id: string, app: string, arg: string): Promise<void> {
  const r = await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': app, 'execute-app-arg': arg });
  assert.equal(r.headers['Reply-Text'], '+OK');
  await h.flush();
}

function media(id: string): (typeof ep.legs)[number]['media'] {
  const leg = ep.legs.find((l) => l.channel.uuid === id);
  assert.ok(leg);
  return leg.media;
}

function press(id: string, digits: string): void {
  for (const d of digits) h.sw.channel(id)!.dtmf(d, 100, 'rfc4733');
}

beforeEach(async () => {
  const out = new PassThrough();
  out.resume();
  const root = pino({ level: 'debug' }, out);
  h = createHarness({}, root.child({ room: 'core' }));
  ep = new FakeEndpoint(h.clock, { behaviour: answerAfter(0) });
  h.sw.addEndpoint(ep);
  spoken = [];
  esl = await mountEsl(h.sw, {
    listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0, log: root,
    synthesize: async (r) => {
      spoken.push(r);
      return `/tmp/tts-${spoken.length}.wav`;
    },
  });
  c = await EslTestClient.authed(esl.address.port);
  await c.command('event plain CHANNEL_EXECUTE_COMPLETE CUSTOM my::thing');
});

afterEach(async () => {
  c.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl dialplan apps', () => {
  it('read: a digit interrupts the prompt and counts; # ends; timeout without digits', async () => {
    const id = await parked();
    await exec(id, 'read', '1 4 /tmp/prompt.wav digits 3000 #');
    const m = media(id);
    assert.equal(m.plays.at(-1)?.spec, '/tmp/prompt.wav');
    press(id, '1');
    await h.flush();
    assert.equal(m.plays.at(-1)?.settled, true, 'the prompt stopped on the first digit');
    press(id, '23#');
    const done = eventOf(await c.wait(isComplete('read')));
    assert.deepEqual([done['variable_digits'], done['variable_read_result'], done['variable_read_terminator_used']], ['123', 'success', '#']);

    await exec(id, 'read', '2 4 silence nothing 1000 #');
    await h.tick(1000);
    const late = eventOf(await c.wait(isComplete('read')));
    assert.equal(late['variable_read_result'], 'timeout');
    assert.equal(late['variable_nothing'], undefined);
  });

  it('play_and_get_digits: a bad try plays the invalid file, the next good one is kept', async () => {
    const id = await parked();
    await exec(id, 'play_and_get_digits', '2 3 2 2000 # /tmp/p.wav /tmp/bad.wav pin \\d+');
    const m = media(id);
    m.plays.at(-1)!.finish();
    await h.flush();
    press(id, '1#');
    await h.flush();
    assert.equal(m.plays.at(-1)?.spec, '/tmp/bad.wav');
    m.plays.at(-1)!.finish();
    await h.flush();
    assert.equal(m.plays.at(-1)?.spec, '/tmp/p.wav', 'second try');
    press(id, '42#');
    const done = eventOf(await c.wait(isComplete('play_and_get_digits')));
    assert.equal(done['variable_pin'], '42');
    assert.equal(done['variable_pin_invalid'], '1');
  });

  it('transfer routes the leg again; sched_hangup ends it later', async () => {
    const routed: string[] = [];
    const off = h.sw.router.register({ number: '7777' }, (ch) => { routed.push(ch.uuid); });
    const id = await parked();
    await exec(id, 'transfer', '7777 XML default');
    assert.deepEqual(routed, [id]);
    off();
    await exec(id, 'sched_hangup', '+3 USER_BUSY');
    await h.tick(2999);
    assert.ok(h.sw.channel(id));
    await h.tick(1);
    assert.equal((await h.store.list({})).find((r) => r.uuid === id)?.hangupCause, 'USER_BUSY');
  });

  it('multiset, event, hold / unhold', async () => {
    const id = await parked();
    await exec(id, 'multiset', '^^;a=1;b=two words');
    assert.deepEqual([h.sw.channel(id)?.getVariable('a'), h.sw.channel(id)?.getVariable('b')], ['1', 'two words']);
    await exec(id, 'event', 'Event-Subclass=my::thing,Foo=bar\\,baz');
    const e = eventOf(await c.wait((f) => eventOf(f)['Event-Subclass'] === 'my::thing'));
    assert.equal(e['Event-Name'], 'CUSTOM');
    assert.equal(e['Foo'], 'bar,baz');
    assert.equal(e['Unique-ID'], id);
    await exec(id, 'hold', '');
    assert.equal(h.sw.channel(id)?.held, true);
    await exec(id, 'unhold', '');
    assert.equal(h.sw.channel(id)?.held, false);
  });

  it('app arguments are ${}-expanded (channel, then global; $${} global; substrings; ${api(args)}) unless app_disable_expand_variables', async () => {
    const id = await parked();
    await c.api('global_setvar shade=dark');
    await exec(id, 'set', 'color=blue');
    await exec(id, 'set', 'said=${color}/${shade}/$${shade}/${missing}.');
    const done = eventOf(await c.wait((f) => isComplete('set')(f) && eventOf(f)['variable_said'] !== undefined));
    assert.equal(done['Application-Data'], 'said=blue/dark/dark/.');
    assert.equal(h.sw.channel(id)?.getVariable('said'), 'blue/dark/dark/.');
    await exec(id, 'set', `got=\${uuid_getvar(${id} color)}:\${color:0:2}:\${global_getvar(shade)}`);
    assert.equal(h.sw.channel(id)?.getVariable('got'), 'blue:bl:dark');
    await exec(id, 'set', '%[color=red,tone=low]scoped=${color}/${tone}');
    assert.equal(h.sw.channel(id)?.getVariable('scoped'), 'red/low', '%[...] variables hold during the app');
    assert.equal(h.sw.channel(id)?.getVariable('color'), 'blue', 'and are gone after it');
    assert.equal(h.sw.channel(id)?.getVariable('tone'), undefined);
    await exec(id, 'set', '%[color=red]color=green');
    assert.equal(h.sw.channel(id)?.getVariable('color'), 'green', 'what the app set stays');
    await exec(id, 'set', 'app_disable_expand_variables=true');
    await exec(id, 'set', 'raw=${color}');
    assert.equal(h.sw.channel(id)?.getVariable('raw'), '${color}');
  });

  it('speak: engine|voice|text, or the tts_engine / tts_voice variables; the speech plays', async () => {
    const id = await parked();
    await exec(id, 'speak', 'espeak|en-us|Hello there|friend');
    assert.deepEqual(spoken.at(-1), { text: 'Hello there|friend', engine: 'espeak', voice: 'en-us' });
    assert.equal(media(id).plays.at(-1)?.spec, '/tmp/tts-1.wav');
    media(id).plays.at(-1)!.finish();
    await c.wait(isComplete('speak'));
    await exec(id, 'multiset', 'tts_engine=espeak tts_voice=en-gb');
    await exec(id, 'speak', 'Good day');
    assert.deepEqual(spoken.at(-1), { text: 'Good day', engine: 'espeak', voice: 'en-gb' });
  });

  it('say: the words of the type and method, spoken in the module language; bad arguments answer -ERR', async () => {
    const id = await parked();
    await exec(id, 'say', 'en number pronounced 1,015');
    assert.deepEqual(spoken.at(-1), { text: 'one thousand fifteen', language: 'en' });
    assert.equal(media(id).plays.at(-1)?.spec, '/tmp/tts-1.wav');
    media(id).plays.at(-1)!.finish();
    assert.equal(eventOf(await c.wait(isComplete('say')))['Application-Response'], '_none_');
    await exec(id, 'set', 'tts_voice=en-gb');
    await exec(id, 'say', 'en:us currency pronounced $2.50');
    assert.deepEqual(spoken.at(-1), { text: 'two dollars and fifty cents', language: 'en-us', voice: 'en-gb' });
    media(id).plays.at(-1)!.finish();
    await c.wait(isComplete('say'));
    await exec(id, 'say', 'en weather pronounced 12');
    assert.equal(eventOf(await c.wait(isComplete('say')))['Application-Response'], '-ERR invalid say type');
    await exec(id, 'say', 'en number');
    assert.equal(eventOf(await c.wait(isComplete('say')))['Application-Response'], '-ERR usage');
    assert.equal(spoken.length, 2);
  });

  it('say with recorded prompts under sound_prefix: the files in sequence (rate folder first), TTS when one is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-say-'));
    try {
      const wav = tinyWav();
      mkdirSync(join(dir, 'digits', '8000'), { recursive: true });
      mkdirSync(join(dir, 'currency'), { recursive: true });
      writeFileSync(join(dir, 'digits', '20.wav'), wav);
      writeFileSync(join(dir, 'digits', '1.wav'), wav);
      writeFileSync(join(dir, 'digits', '8000', '1.wav'), wav);
      writeFileSync(join(dir, 'currency', 'dollar.wav'), wav);
      const id = await parked();
      const m = media(id);
      await exec(id, 'set', `sound_prefix=${dir}`);
      await exec(id, 'say', 'en number pronounced 21');
      await until('the prompts to play', () => m.plays.length === 1);
      assert.equal(m.plays[0]!.spec, `file_string://${join(dir, 'digits', '20.wav')}!${join(dir, 'digits', '8000', '1.wav')}`);
      m.plays[0]!.finish();
      assert.equal(eventOf(await c.wait(isComplete('say')))['Application-Response'], '_none_');
      await exec(id, 'say', 'en currency pronounced $1');
      await until('the currency prompts', () => m.plays.length === 2);
      assert.equal(m.plays[1]!.spec, `file_string://${join(dir, 'digits', '8000', '1.wav')}!${join(dir, 'currency', 'dollar.wav')}`);
      m.plays[1]!.finish();
      await c.wait(isComplete('say'));
      assert.equal(spoken.length, 0, 'no TTS while every file is there');
      // digits/2.wav is missing: the whole phrase goes to TTS.
      await exec(id, 'say', 'en currency pronounced $2');
      await until('the spoken phrase', () => spoken.length === 1);
      assert.deepEqual(spoken[0], { text: 'two dollars', language: 'en' });
      await until('the TTS playback', () => m.plays.length === 3);
      m.plays[2]!.finish();
      await c.wait(isComplete('say'));
      // The global sound_prefix is used when the channel has none.
      await exec(id, 'unset', 'sound_prefix');
      assert.equal(await c.api(`global_setvar sound_prefix=${dir}`), '+OK');
      await exec(id, 'say', 'en number iterated 1');
      await until('the iterated prompt', () => m.plays.length === 4);
      assert.equal(m.plays[3]!.spec, `file_string://${join(dir, 'digits', '8000', '1.wav')}`);
      m.plays[3]!.finish();
      await c.wait(isComplete('say'));
      assert.equal(spoken.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uuid_displace start/stop (limit in seconds, l loops) and displace_session / stop_displace_session; start_dtmf / stop_dtmf', async () => {
    const id = await parked();
    const m = media(id);
    const n = m.plays.length;
    assert.equal(await c.api(`uuid_displace ${id} start /tmp/d.wav 2`), '+OK Success\n');
    assert.deepEqual([m.plays[n]!.spec, m.plays[n]!.options], ['/tmp/d.wav', {}]);
    await h.tick(1999);
    assert.equal(m.plays[n]!.settled, false);
    await h.tick(1);
    assert.equal(m.plays[n]!.settled, true, 'the limit stopped it');
    assert.equal(await c.api(`uuid_displace ${id} stop /tmp/d.wav`), '-ERR Cannot stop displace session!\n');
    assert.equal(await c.api(`uuid_displace ${id} start /tmp/e.wav 0 lmux`), '+OK Success\n');
    assert.deepEqual(m.plays[n + 1]!.options, { loops: 0 });
    assert.equal(await c.api(`uuid_displace ${id} stop /tmp/e.wav`), '+OK Success\n');
    assert.equal(m.plays[n + 1]!.settled, true);
    assert.equal(await c.api('uuid_displace nope start /tmp/e.wav'), '-ERR Cannot locate session!\n');
    assert.equal(await c.api(`uuid_displace ${id} start`), '-USAGE: <uuid> [start|stop] <path> [<limit>] [mux]\n');
    assert.equal(await c.api(`uuid_displace ${id} pause /tmp/e.wav`), '-USAGE: <uuid> [start|stop] <path> [<limit>] [mux]\n');
    await exec(id, 'displace_session', '/tmp/f.wav l +500');
    assert.equal(eventOf(await c.wait(isComplete('displace_session')))['Application-Response'], '_none_');
    assert.deepEqual([m.plays[n + 2]!.spec, m.plays[n + 2]!.options], ['/tmp/f.wav', { loops: 0 }]);
    await exec(id, 'stop_displace_session', '/tmp/f.wav');
    assert.equal(eventOf(await c.wait(isComplete('stop_displace_session')))['Application-Response'], '_none_');
    assert.equal(m.plays[n + 2]!.settled, true);
    await exec(id, 'stop_displace_session', '/tmp/f.wav');
    assert.equal(eventOf(await c.wait(isComplete('stop_displace_session')))['Application-Response'], '-ERR');
    await exec(id, 'stop_dtmf', '');
    assert.equal(h.sw.channel(id)?.getVariable('inband_dtmf_requested'), 'false');
    await exec(id, 'start_dtmf', '');
    assert.equal(eventOf(await c.wait(isComplete('start_dtmf')))['variable_inband_dtmf_requested'], 'true');
  });

  it('sendmsg loops: n times; -1 repeats while an iteration lasts 0.5 s or more, until hangup', async () => {
    const id = await parked();
    const completions = (app: string): number => c.frames.filter(isComplete(app)).length;
    await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'set', 'execute-app-arg': 'x=1', loops: '3' });
    await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'unset', 'execute-app-arg': 'x', loops: '-1' });
    assert.match(await c.api('uptime'), /^\d+\n$/);
    await h.flush();
    assert.match(await c.api('uptime'), /^\d+\n$/);
    assert.equal(completions('set'), 3);
    assert.equal(completions('unset'), 1, 'an instant iteration ends a forever loop');
    await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': '/tmp/a.wav', loops: '-1' });
    const m = media(id);
    for (let i = 0; i < 3; i++) {
      await h.tick(600);
      m.plays.at(-1)!.finish();
      await h.flush();
    }
    assert.equal(m.plays.length, 4, 'three long iterations, the fourth running');
    await h.sw.channel(id)!.hangup();
    await h.flush();
    assert.equal(m.plays.length, 4);
  });

  it('sendmsg lead-frames waits n frames, hold-bleg plays hold music to the partner, event-lock holds the queue', async () => {
    const a = await parked();
    const b = await parked();
    assert.match(await c.api(`uuid_bridge ${a} ${b}`), /^\+OK/);
    await c.api(`uuid_setvar ${b} hold_music /tmp/moh.wav`);
    await h.flush();
    const ma = media(a);
    const mb = media(b);
    const before = { a: ma.plays.length, b: mb.plays.length };
    await c.command(`sendmsg ${a}`, {
      'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': '/tmp/a.wav',
      'event-lock': 'true', 'hold-bleg': 'true', 'lead-frames': '10',
    });
    await c.command(`sendmsg ${a}`, { 'call-command': 'execute', 'execute-app-name': 'set', 'execute-app-arg': 'after=1' });
    await h.flush();
    await h.tick(199);
    assert.equal(ma.plays.length, before.a, 'nothing before 10 frames of 20 ms');
    await h.tick(1);
    assert.equal(ma.plays.length, before.a + 1);
    const hold = mb.plays.slice(before.b);
    assert.deepEqual(hold.map((p) => [p.spec, p.options]), [['/tmp/moh.wav', { loops: 0 }]]);
    assert.equal(h.sw.channel(a)?.getVariable('after'), undefined, 'the next message waits for the locked one');
    ma.plays.at(-1)!.finish();
    await h.flush();
    assert.equal(hold[0]!.settled, true, 'hold music stops with the app');
    assert.equal(h.sw.channel(a)?.getVariable('after'), '1');
    await c.command(`sendmsg ${a}`, { 'call-command': 'execute', 'execute-app-name': 'set', 'execute-app-arg': 'x=2', 'hold-bleg': 'true', 'lead-frames': 'junk' });
    await h.flush();
    assert.equal(h.sw.channel(a)?.getVariable('x'), '2', 'a bad lead-frames count is ignored');
    assert.equal(mb.plays.length, before.b + 2, 'hold music again for the second held app');
  });

  it('log writes to the server log (seen as log/data)', async () => {
    const id = await parked();
    await c.command('log 7');
    await exec(id, 'log', 'WARNING careful now');
    const f = await c.wait((x) => x.headers['Content-Type'] === 'log/data' && x.body.includes('careful now'));
    assert.equal(f.headers['Log-Level'], '4');
    assert.equal(f.headers['User-Data'], id);
  });

  it('sendmsg event-lock-pri: the message runs right after the running app, before the ordinary ones waiting', async () => {
    const id = await parked();
    await exec(id, 'sleep', '1000');
    await exec(id, 'set', 'first=1');
    await exec(id, 'set', 'second=2');
    const r = await c.command(`sendmsg ${id}`, {
      'call-command': 'execute', 'execute-app-name': 'set', 'execute-app-arg': 'urgent=3', 'event-lock-pri': 'true',
    });
    assert.equal(r.headers['Reply-Text'], '+OK');
    await h.flush();
    assert.equal(h.sw.channel(id)!.getVariable('urgent'), undefined, 'waits for the running sleep');
    await h.tick(1000);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const e = eventOf(await c.wait((f) => isComplete('sleep')(f) || isComplete('set')(f)));
      order.push(`${e['Application']} ${e['Application-Data'] ?? ''}`.trim());
    }
    assert.deepEqual(order, ['sleep 1000', 'set urgent=3', 'set first=1', 'set second=2']);
  });
});
