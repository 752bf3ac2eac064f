/**
 * The `conference` verb over real SIP, on the composed server's own runtime (an application and two
 * numbers provisioned over REST): a participant (`startConferenceOnEnter: false`) hears the waitHook's
 * reply until the moderator joins; three members each hear the others and not themselves; REST
 * `PUT .../Calls/:sid` mutes a member (`conferenceParticipantAction`), holds one (`conf_hold_status`),
 * mutes all non-moderators (`conf_mute_status`) and kicks one (the kicked call goes on with the
 * actionHook's reply); the statusHook sees join / leave with member counts; a conference update for a
 * call that left is 422, not a crash. Registries end empty.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { readBody, type Hit } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

const ROOM = 'team-room';

describe('jambonz conference over SIP with REST member control', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let base = '';
  const hits: Hit[] = [];

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = req.url ?? '/';
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path, body });
        let reply: unknown = [];
        if (path === '/call' && (body['to'] === '5550203' || body['to'] === '5550204')) {
          const first = body['to'] === '5550203';
          reply = [{
            verb: 'conference', name: 'room-two', beep: true, actionHook: '/conf-done',
            ...(first ? { joinMuted: true, memberTag: 'listener', maxParticipants: 2, enterHook: '/enter' } : { endConferenceOnExit: true }),
          }];
        } else if (path === '/enter') {
          reply = [{ verb: 'play', url: 'tone_stream://%(400,0,500)' }];
        } else if (path === '/call') {
          const participant = body['to'] === '5550202';
          reply = [{
            verb: 'conference', name: ROOM, startConferenceOnEnter: !participant, statusHook: '/conf-status', statusEvents: ['join', 'leave'],
            actionHook: '/conf-done', ...(participant ? { waitHook: '/wait' } : {}),
          }];
        } else if (path === '/wait') {
          reply = [{ verb: 'play', url: 'tone_stream://%(2000,0,700)' }];
        } else if (path === '/conf-done') {
          reply = [{ verb: 'hangup' }];
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    const j = srv.server.jambonz!;
    const app = await rest('POST', 'Applications', { name: 'conf', account_sid: j.account.account_sid, call_hook: { url: `${base}/call`, method: 'POST' } });
    for (const number of ['5550201', '5550202', '5550203', '5550204']) {
      await rest('POST', 'PhoneNumbers', { number, application_sid: app.body['sid'], account_sid: j.account.account_sid });
    }
  });

  after(async () => {
    await phone.close();
    await srv.close();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  async function rest(method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const j = srv.server.jambonz!;
    const url = path.startsWith('Calls/') ? `${j.baseUrl}/v1/Accounts/${j.account.account_sid}/${path}` : `${j.baseUrl}/v1/${path}`;
    const res = await fetch(url, {
      method, headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** The call sid of a phone call (from the call hook's body, matched by SIP Call-ID). */
  const sidOf = (call: PhoneCall): string => String(hits.find((h) => h.path === '/call' && h.body['call_id'] === call.dialog.callId)?.body['call_sid']);
  const room = () => srv.server.sw.conference(`${srv.server.jambonz.account.account_sid}:${ROOM}`);
  /** Level each call receives while `sender` sends a tone for 600 ms. */
  async function heard(sender: PhoneCall, calls: PhoneCall[]): Promise<number[]> {
    const marks = calls.map((c) => c.received.length);
    await sendPacedTone(sender, 700, { ms: 600 });
    await sleep(100);
    return calls.map((c, i) => c.receivedLevel(marks[i]! + 5));
  }

  test('wait for the moderator, three members hear each other, REST mute / hold / mute-all / kick', async () => {
    const p = await phone.call(srv.uri('5550202'));
    assert.ok(p.ok, 'the participant is answered');
    const participant = p.call;
    await until('the waitHook music', () => participant.receivedLevel() > 500);
    assert.equal(room(), undefined, 'no conference before the moderator');
    const m = await phone.call(srv.uri('5550201'));
    assert.ok(m.ok);
    const moderator = m.call;
    await until('both in the room', () => room()?.size === 2);
    const t = await phone.call(srv.uri('5550201'));
    assert.ok(t.ok);
    const third = t.call;
    await until('three members', () => room()?.size === 3);

    const [mSelf, pHears, tHears] = await heard(moderator, [moderator, participant, third]);
    assert.ok(pHears! > 500 && tHears! > 500, `the others hear the moderator (${pHears}, ${tHears})`);
    assert.ok(mSelf! < 100, `the moderator does not hear itself (${mSelf})`);

    const mSid = sidOf(moderator);
    const pSid = sidOf(participant);
    const tSid = sidOf(third);
    assert.equal((await rest('PUT', `Calls/${mSid}`, { conferenceParticipantAction: { action: 'mute' } })).status, 202);
    const [pMuted] = await heard(moderator, [participant]);
    assert.ok(pMuted! < 100, `a muted member is not heard (${pMuted})`);
    assert.equal((await rest('PUT', `Calls/${mSid}`, { conferenceParticipantAction: { action: 'unmute' } })).status, 202);

    assert.equal((await rest('PUT', `Calls/${tSid}`, { conf_hold_status: 'hold' })).status, 202);
    const [pHears2, tHeld] = await heard(moderator, [participant, third]);
    assert.ok(pHears2! > 500, `unmuted again (${pHears2})`);
    assert.ok(tHeld! < 100, `a held member hears nothing (${tHeld})`);
    assert.equal((await rest('PUT', `Calls/${tSid}`, { conf_hold_status: 'unhold' })).status, 202);

    assert.equal((await rest('PUT', `Calls/${mSid}`, { conf_mute_status: 'mute' })).status, 202);
    const [mHearsP] = await heard(participant, [moderator]);
    assert.ok(mHearsP! < 100, `the participant (not a moderator) is muted by mute-all (${mHearsP})`);
    const [pHearsM] = await heard(moderator, [participant]);
    assert.ok(pHearsM! > 500, `moderators keep talking (${pHearsM})`);
    assert.equal((await rest('PUT', `Calls/${mSid}`, { conf_mute_status: 'unmute' })).status, 202);

    assert.equal((await rest('PUT', `Calls/${tSid}`, { conferenceParticipantAction: { action: 'kick' } })).status, 202);
    await until('the kicked call is hung up by its actionHook reply', () => third.dialog.state === 'terminated');
    const done = hits.find((h) => h.path === '/conf-done')?.body;
    assert.equal(done?.['friendly_name'], ROOM);
    assert.equal(done?.['leave_reason'], 'kick');
    assert.equal(room()?.size, 2);
    assert.equal((await rest('PUT', `Calls/${tSid}`, { conf_hold_status: 'hold' })).status, 404, 'a call that is gone');
    assert.equal((await rest('PUT', `Calls/${pSid}`, { conferenceParticipantAction: { action: 'dance' } })).status, 400);

    const joins = hits.filter((h) => h.path === '/conf-status' && h.body['event'] === 'join');
    assert.ok(joins.some((h) => h.body['members'] === 3), 'a join event with three members');
    assert.ok(hits.some((h) => h.path === '/conf-status' && h.body['event'] === 'leave'), 'a leave event');

    const j = srv.server.jambonz!;
    const queues = await fetch(`${j.baseUrl}/v1/Accounts/${j.account.account_sid}/Queues`, { headers: { authorization: `Bearer ${j.apiKey}` } });
    assert.equal(queues.status, 200);
    assert.deepEqual(await queues.json(), [], 'the REST queue listing answers (no queue here)');

    await moderator.hangup();
    await participant.hangup();
    await waitIdle(srv.server, until);
    assert.equal(srv.server.sw.counts().conferences, 0);
  });

  test('enterHook, beep, joinMuted + memberTag, maxParticipants, endConferenceOnExit', async () => {
    hits.length = 0;
    const two = () => srv.server.sw.conference(`${srv.server.jambonz.account.account_sid}:room-two`);
    const a = await phone.call(srv.uri('5550203'));
    assert.ok(a.ok);
    await until('the enterHook', () => hits.some((h) => h.path === '/enter'));
    await until('the enterHook reply is heard', () => a.call.receivedLevel() > 500);
    await until('a joined', () => two()?.size === 1);
    const member = two()!.members()[0]!;
    assert.deepEqual([member.mute, member.tag], [true, 'listener'], 'joinMuted and memberTag');
    const beforeBeep = a.call.received.length;
    const b = await phone.call(srv.uri('5550204'));
    assert.ok(b.ok);
    await until('b joined', () => two()?.size === 2);
    await until('the beep for b is heard by a', () => a.call.receivedLevel(beforeBeep) > 500);
    await sleep(500);
    const [bHearsA] = await heard(a.call, [b.call]);
    assert.ok(bHearsA! < 100, `a joined muted (${bHearsA})`);
    const [aHearsB] = await heard(b.call, [a.call]);
    assert.ok(aHearsB! > 500, `b is heard (${aHearsB})`);

    const c = await phone.call(srv.uri('5550203'));
    assert.ok(c.ok, 'answered before joining');
    await until('the full room refuses c: its app ends and hangs up', () => c.call.dialog.state === 'terminated');
    assert.equal(two()?.size, 2);

    await b.call.hangup();
    await until('the room ended with b (endConferenceOnExit)', () => two() === undefined);
    await until('a goes on with its actionHook reply (hangup)', () => a.call.dialog.state === 'terminated');
    const done = hits.filter((h) => h.path === '/conf-done').map((h) => h.body['leave_reason']);
    assert.deepEqual(done, ['ended']);
    await waitIdle(srv.server, until);
  });
});
