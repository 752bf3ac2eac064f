/**
 * Dialplan applications that act on real SIP legs, through the event socket of the running server
 * (specs/esl.md §6): respond and redirect on an unanswered inbound call from the test phone,
 * record_session / stop_record_session, gentones, endless_playback, sched_transfer and limit on calls
 * originated to it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);
const isEvent = (name: string, more: (e: Record<string, string>) => boolean = () => true) => (f: EslFrame): boolean =>
  f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Name'] === name && more(eventOf(f));

describe('esl signalling and background apps on SIP legs', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let c: EslTestClient;
  const answered: PhoneCall[] = [];
  const held: string[] = [];
  let offRoute: () => void = () => {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    phone.answerCalls(answered);
    // Inbound calls to "esl-hold" stay unanswered, waiting for an application.
    offRoute = srv.server.sw.router.register({ name: 'esl-hold', number: 'esl-hold' }, async (ch) => { held.push(ch.uuid); });
    c = await EslTestClient.authed(srv.server.esl!.address.port);
    await c.command('event plain CHANNEL_EXECUTE_COMPLETE RECORD_START RECORD_STOP CHANNEL_HANGUP PLAYBACK_START');
  });

  after(async () => {
    c.close();
    offRoute();
    for (const ch of srv.server.sw.channels()) void ch.hangup();
    await phone.close();
    await srv.close();
  });

  const exec = async (id: string, app: string, arg: string): Promise<Record<string, string>> => {
    const r = await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': app, 'execute-app-arg': arg });
    assert.equal(r.headers['Reply-Text'], '+OK');
    return eventOf(await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application'] === app && e['Unique-ID'] === id), 5000));
  };

  const heldCall = async (): Promise<{ id: string; result: ReturnType<TestPhone['call']> }> => {
    const count = held.length;
    const result = phone.call(srv.uri('esl-hold'));
    await until('the inbound call to be routed', () => held.length > count);
    return { id: held.at(-1)!, result };
  };

  const parkedCall = async (): Promise<{ id: string; call: PhoneCall }> => {
    const n = answered.length;
    const out = await c.api(`originate sip:phone@127.0.0.1:${phone.port} &park()`);
    const id = /^\+OK (\S+)\n$/.exec(out)?.[1];
    assert.ok(id, out);
    await until('the phone to answer', () => answered.length > n);
    return { id, call: answered.at(-1)! };
  };

  it('respond 486 <reason> rejects the inbound INVITE with that status', async () => {
    const { id, result } = await heldCall();
    const done = await exec(id, 'respond', '486 Gone Fishing');
    assert.equal(done['Application-Response'], '_none_');
    const r = await result;
    assert.equal(r.ok, false);
    assert.equal(r.ok ? 0 : r.status, 486);
    assert.equal(r.ok ? '' : r.result.ok ? '' : r.result.reason, 'Gone Fishing');
    await waitIdle(srv.server, until);
  });

  it('respond 180 rings; redirect answers 302 with the Contact', async () => {
    const { id, result } = await heldCall();
    assert.equal((await exec(id, 'respond', '180'))['Application-Response'], '_none_');
    await exec(id, 'redirect', 'sip:2000@127.0.0.1:5999');
    const r = await result;
    assert.equal(r.ok ? 0 : r.status, 302);
    const contact = r.ok || r.result.ok ? undefined : r.result.response?.headers.get('contact');
    assert.match(contact ?? '', /<sip:2000@127\.0\.0\.1:5999>/);
    await waitIdle(srv.server, until);
  });

  it('record_session records the leg in the background until stop_record_session', async () => {
    const { id, call } = await parkedCall();
    const path = join(srv.dataDir, 'session.wav');
    assert.equal((await exec(id, 'record_session', `${path} +20`))['Application-Response'], '_none_');
    const start = eventOf(await c.wait(isEvent('RECORD_START', (e) => e['Unique-ID'] === id), 5000));
    assert.equal(start['Record-File-Path'], path);
    await call.sendTone(500, 400);
    assert.equal((await exec(id, 'stop_record_session', 'all'))['Application-Response'], '_none_');
    const stop = eventOf(await c.wait(isEvent('RECORD_STOP', (e) => e['Unique-ID'] === id), 5000));
    assert.equal(stop['Record-File-Path'], path);
    assert.equal((await exec(id, 'stop_record_session', path))['Application-Response'], '-ERR', 'nothing left to stop');
    await until('the recording on disk', () => existsSync(path) && statSync(path).size > 44 + 8 * 200 * 2);
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('gentones plays the TGML to the far end', async () => {
    const { id, call } = await parkedCall();
    const from = call.received.length;
    const done = await exec(id, 'gentones', '%(300,0,800)|2');
    assert.equal(done['Application-Response'], '_none_');
    assert.ok(call.received.length - from >= 20, `packets during the tones: ${call.received.length - from}`);
    assert.ok(call.receivedLevel(from) > 500, 'the tones are audible');
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('endless_playback plays the file again until uuid_break', async () => {
    const { id, call } = await parkedCall();
    const from = call.received.length;
    const r = await c.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': 'endless_playback', 'execute-app-arg': 'tone_stream://%(100,0,600)' });
    assert.equal(r.headers['Reply-Text'], '+OK');
    await c.wait(isEvent('PLAYBACK_START', (e) => e['Unique-ID'] === id), 5000);
    await c.wait(isEvent('PLAYBACK_START', (e) => e['Unique-ID'] === id), 5000);
    await c.wait(isEvent('PLAYBACK_START', (e) => e['Unique-ID'] === id), 5000);
    assert.match(await c.api(`uuid_break ${id}`), /^\+OK/);
    const done = eventOf(await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application'] === 'endless_playback' && e['Unique-ID'] === id), 5000));
    assert.equal(done['Application-Response'], 'FILE PLAYED');
    assert.ok(call.receivedLevel(from) > 300, 'the tone reached the phone');
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('sched_transfer routes the parked call again after the delay', async () => {
    const { id, call } = await parkedCall();
    const count = held.length;
    assert.equal((await exec(id, 'sched_transfer', '+1 esl-hold'))['Application-Response'], '_none_');
    assert.equal(held.length, count, 'not before the delay');
    await until('the transfer', () => held.length > count, 4000);
    assert.equal(held.at(-1), id);
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('limit hash: the second call over max 1 hangs up with the ! cause; the hold is released at hangup', async () => {
    const a = await parkedCall();
    const b = await parkedCall();
    await exec(a.id, 'limit', 'hash test trunk 1 !USER_BUSY');
    await c.command(`sendmsg ${b.id}`, { 'call-command': 'execute', 'execute-app-name': 'limit', 'execute-app-arg': 'hash test trunk 1 !USER_BUSY' });
    const hangup = eventOf(await c.wait(isEvent('CHANNEL_HANGUP', (e) => e['Unique-ID'] === b.id), 5000));
    assert.equal(hangup['Hangup-Cause'], 'USER_BUSY');
    assert.equal(hangup['variable_limit_usage'], '1');
    await a.call.hangup();
    await until('the first call to end', () => srv.server.sw.channel(a.id) === undefined);
    const d = await parkedCall();
    const ok = await exec(d.id, 'limit', 'hash test trunk 1 !USER_BUSY');
    assert.equal(ok['variable_limit_usage'], '1');
    assert.equal(srv.server.sw.channel(d.id)?.ended, false);
    await d.call.hangup();
    await waitIdle(srv.server, until);
  });
});
