/**
 * detect_speech / play_and_detect_speech through the event socket (specs/esl.md §6, §4.4
 * DETECTED_SPEECH): the test phone's voice goes to a local speech-to-text server of the jambonz
 * "custom" vendor protocol (the recognizer the server uses for jambonz gather), and its results come
 * back as DETECTED_SPEECH events with the NLSML body, and as detect_speech_result. Without a recognizer
 * (the server's own event socket, no recognizer configured) both apps answer -ERR and complete.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { startCustomStt, type CustomStt } from '../support/jambonz-fixture.ts';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

const eventOf = (f: EslFrame): { headers: Record<string, string>; body: string } => {
  const p = parsePlain(f.body);
  return { headers: Object.fromEntries(p.headers), body: p.body };
};
const isEvent = (name: string, more: (e: Record<string, string>) => boolean = () => true) => (f: EslFrame): boolean =>
  f.headers['Content-Type'] === 'text/event-plain' && eventOf(f).headers['Event-Name'] === name && more(eventOf(f).headers);

describe('esl detect_speech with a custom-vendor recognizer', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let stt: CustomStt;
  let esl: EslMount;
  let c: EslTestClient;
  const answered: PhoneCall[] = [];

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    phone.answerCalls(answered);
    stt = await startCustomStt((count, stream) => `word ${count} of ${stream}`);
    esl = await mountEsl(srv.server.sw, { listen: '127.0.0.1:0', heartbeatMs: 0, recognizer: stt.provider });
    c = await EslTestClient.authed(esl.address.port);
    await c.command('event plain CHANNEL_EXECUTE_COMPLETE DETECTED_SPEECH');
  });

  after(async () => {
    c.close();
    for (const ch of srv.server.sw.channels()) void ch.hangup();
    await esl.close();
    await stt.close();
    await phone.close();
    await srv.close();
  });

  const send = async (client: EslTestClient, id: string, app: string, arg: string): Promise<void> => {
    const r = await client.command(`sendmsg ${id}`, { 'call-command': 'execute', 'execute-app-name': app, 'execute-app-arg': arg });
    assert.equal(r.headers['Reply-Text'], '+OK');
  };
  const completed = async (client: EslTestClient, id: string, app: string): Promise<Record<string, string>> =>
    eventOf(await client.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application'] === app && e['Unique-ID'] === id), 8000)).headers;

  const parkedCall = async (client: EslTestClient): Promise<{ id: string; call: PhoneCall }> => {
    const n = answered.length;
    const out = await client.api(`originate sip:phone@127.0.0.1:${phone.port} &park()`);
    const id = /^\+OK (\S+)\n$/.exec(out)?.[1];
    assert.ok(id, out);
    await until('the phone to answer', () => answered.length > n);
    return { id, call: answered.at(-1)! };
  };

  it('detect_speech: begin-speaking, detected-speech with the NLSML result, closed on stop', async () => {
    const { id, call } = await parkedCall(c);
    await send(c, id, 'detect_speech', 'unimrcp yesno builtin:grammar/boolean');
    assert.equal((await completed(c, id, 'detect_speech'))['Application-Response'], '_none_');
    await until('the recognizer stream', () => stt.events.starts >= 1);
    await call.sendTone(300, 800);
    const begin = eventOf(await c.wait(isEvent('DETECTED_SPEECH', (e) => e['Unique-ID'] === id), 8000));
    assert.equal(begin.headers['Speech-Type'], 'begin-speaking');
    const detected = eventOf(await c.wait(isEvent('DETECTED_SPEECH', (e) => e['Unique-ID'] === id && e['Speech-Type'] === 'detected-speech'), 8000));
    assert.match(detected.body, /^<\?xml version="1\.0"\?>\n<result grammar="yesno">/);
    assert.match(detected.body, /<input mode="speech" confidence="0\.90">word 1 of \d+<\/input>/);
    assert.equal(detected.headers['Channel-Call-UUID'] !== undefined, true);
    await send(c, id, 'detect_speech', 'stop');
    assert.equal((await completed(c, id, 'detect_speech'))['Application-Response'], '_none_');
    const closed = eventOf(await c.wait(isEvent('DETECTED_SPEECH', (e) => e['Unique-ID'] === id && e['Speech-Type'] === 'closed'), 8000));
    assert.equal(closed.body, '');
    await until('the recognizer stream to close', () => stt.events.closes >= stt.events.starts);
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('play_and_detect_speech sets detect_speech_result', async () => {
    const { id, call } = await parkedCall(c);
    await send(c, id, 'play_and_detect_speech', 'silence_stream://3000 detect:unimrcp menu');
    await until('the recognizer stream', () => stt.events.starts > stt.events.closes);
    await call.sendTone(300, 800);
    const done = await completed(c, id, 'play_and_detect_speech');
    assert.equal(done['Application-Response'], '_none_');
    assert.match(done['variable_detect_speech_result'] ?? '', /<result grammar="menu">[\s\S]*<instance>word 1 of \d+<\/instance>/);
    await call.hangup();
    await waitIdle(srv.server, until);
  });

  it('without a recognizer both apps answer -ERR and complete', async () => {
    const plain = await EslTestClient.authed(srv.server.esl!.address.port);
    try {
      await plain.command('event plain CHANNEL_EXECUTE_COMPLETE');
      const { id, call } = await parkedCall(plain);
      await send(plain, id, 'detect_speech', 'unimrcp yesno builtin:grammar/boolean');
      assert.equal((await completed(plain, id, 'detect_speech'))['Application-Response'], '-ERR no speech recognizer');
      await send(plain, id, 'play_and_detect_speech', 'silence_stream://200 detect:unimrcp yesno');
      assert.equal((await completed(plain, id, 'play_and_detect_speech'))['Application-Response'], '-ERR no speech recognizer');
      await call.hangup();
      await waitIdle(srv.server, until);
    } finally {
      plain.close();
    }
  });
});
