/**
 * The built-in default application of the whole server: a number that no application and no demo
 * destination claims reaches the demo IVR (a jambonz app answered in-process). The caller hears the
 * greeting, presses 4, enters digits ending with # and hears them read back; pressing 1 transfers the
 * caller with REFER to the demo `echo` destination, which echoes what the phone sends. The demo
 * dialplan's own numbers keep priority.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { demoIvrReply, demoTarget, newDemoIvrState, spokenDigits } from '../../src/api/jambonz/index.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => waitUntil(what, check, ms, 20);

/** One RFC 4733 digit (0-9, 10 = *, 11 = #): three event packets then three end packets, one timestamp. */
async function sendDigit(call: PhoneCall, event: number): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const payload = Buffer.from([event, (i >= 3 ? 0x80 : 0) | 10, 0, 0]);
    payload.writeUInt16BE(Math.min(3, i + 1) * 160, 2);
    call.send(101, payload, i === 0, i === 5 ? 960 : 0);
    await sleep(20);
  }
}

/** Waits for a prompt to be heard (the gather around it listens during the prompt: DTMF barges in). */
async function heardPrompt(call: PhoneCall, from: number): Promise<void> {
  await until('speech', () => call.receivedLevel(from) > 200);
}

describe('the built-in default application (demo IVR)', () => {
  let srv: TestServer;
  let phone: TestPhone;

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone.close();
    await srv.close();
  });

  test('the app itself: menu, digits read back, transfer targets built from the dialed URI', () => {
    const s = newDemoIvrState();
    const first = demoIvrReply(s, 'session:new', 'builtin:demo', { sip: { uri: 'sip:5551234@10.0.0.5:5080;transport=udp' } });
    assert.equal(first.at(-1)?.['verb'], 'gather');
    assert.equal(s.serverUri, 'sip:5551234@10.0.0.5:5080;transport=udp');
    assert.equal(demoTarget(s.serverUri, 'echo'), 'sip:echo@10.0.0.5:5080');
    const refer = demoIvrReply(s, 'verb:hook', '/menu', { reason: 'dtmfDetected', digits: '1' });
    assert.deepEqual(refer[1], { verb: 'sip:refer', referTo: 'sip:echo@10.0.0.5:5080', actionHook: '/transfer?to=echo' });
    assert.equal(spokenDigits('12*#'), '1 2 star pound');
    const back = demoIvrReply(s, 'verb:hook', '/digits', { reason: 'dtmfDetected', digits: '42' });
    assert.match(String((back[0]?.['say'] as { text: string }).text), /You entered 4 2\./);
    assert.deepEqual(demoIvrReply(s, 'verb:hook', '/transfer?to=echo', { refer_status: 202 }), [{ verb: 'hangup' }]);
    assert.equal(demoIvrReply(s, 'verb:hook', '/transfer?to=echo', { refer_status: 500 })[0]?.['verb'], 'gather');
    demoIvrReply(s, 'verb:hook', '/menu', { reason: 'timeout' });
    assert.deepEqual(demoIvrReply(s, 'verb:hook', '/menu', { reason: 'timeout' }).at(-1), { verb: 'hangup' });
  });

  test('DTMF 4: the digits entered are read back in synthesized speech', async () => {
    const r = await phone.call(srv.uri('5550123'));
    assert.ok(r.ok, 'answered by the demo');
    await heardPrompt(r.call, 0);
    await sendDigit(r.call, 4);
    await heardPrompt(r.call, r.call.received.length);
    await sendDigit(r.call, 7);
    await sendDigit(r.call, 3);
    await sendDigit(r.call, 11);
    const mark = r.call.received.length;
    await until('the digits read back', () => r.call.receivedLevel(mark) > 200);
    const session = srv.server.jambonz.sessions.list(srv.server.jambonz.account.account_sid)[0];
    assert.ok(session, 'a jambonz session runs the call');
    await r.call.hangup();
    await waitIdle(srv.server, until);
  });

  test('DTMF 1: REFER to the demo echo destination, which echoes the phone', async () => {
    const r = await phone.call(srv.uri('5550124'));
    assert.ok(r.ok);
    let transferred: PhoneCall | undefined;
    let referTo = '';
    r.call.dialog.on('refer', (refer) => {
      const u = refer.referTo.uri;
      referTo = `sip:${u.user ?? ''}@${u.host}${u.port ? `:${u.port}` : ''}`;
      refer.accept();
      void phone.call(referTo).then((next) => {
        if (next.ok) transferred = next.call;
        void refer.notify(next.ok ? 200 : next.status);
      });
    });
    await heardPrompt(r.call, 0);
    await sendDigit(r.call, 1);
    await until('the transferred call', () => transferred !== undefined);
    assert.equal(referTo, srv.uri('echo'));
    await until('BYE on the first call', () => r.call.dialog.state === 'terminated');
    await transferred!.sendIndexed(25);
    await until('echoed packets', () => transferred!.echoedIndices().size >= 15);
    await transferred!.hangup();
    await waitIdle(srv.server, until);
  });

  test('the demo destinations keep priority over the default application', async () => {
    const r = await phone.call(srv.uri('echo'));
    assert.ok(r.ok);
    await r.call.sendIndexed(20);
    await until('echoed packets', () => r.call.echoedIndices().size >= 10);
    assert.equal(srv.server.jambonz.sessions.list(srv.server.jambonz.account.account_sid).length, 0, 'no jambonz session');
    await r.call.hangup();
    await waitIdle(srv.server, until);
  });
});
