/**
 * Coaching (`speakOnlyTo`, specs/jambonz.md §3.A conference; `conf:participant-action` coach / uncoach
 * §1.6) on a server whose media runs in two worker threads, so the room lives in one worker and legs of
 * the other join it through an RTP trunk: the coach is heard by the tagged agent only, a member tagged
 * later over REST hears it too, uncoach makes everyone hear it.
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
const ROOM = 'coach-workers';

describe('jambonz conference coaching with media workers', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  const hits: Hit[] = [];

  before(async () => {
    srv = await startTestServer({ mediaWorkers: 2 });
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        let body: Record<string, unknown> = {};
        try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
        hits.push({ path: req.url ?? '/', body });
        const member = { '5550411': {}, '5550412': { memberTag: 'agent' }, '5550413': { speakOnlyTo: 'agent' } }[String(body['to'])];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/call' && member ? [{ verb: 'conference', name: ROOM, ...member }] : []));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    const j = srv.server.jambonz!;
    const app = await rest('POST', 'Applications', { name: 'coach', account_sid: j.account.account_sid, call_hook: { url: `${base}/call`, method: 'POST' } });
    for (const number of ['5550411', '5550412', '5550413']) {
      await rest('POST', 'PhoneNumbers', { number, application_sid: app.body['sid'], account_sid: j.account.account_sid });
    }
  });

  after(async () => {
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  async function rest(method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const j = srv.server.jambonz!;
    const url = path.startsWith('Calls/') ? `${j.baseUrl}/v1/Accounts/${j.account.account_sid}/${path}` : `${j.baseUrl}/v1/${path}`;
    const res = await fetch(url, { method, headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const sidOf = (call: PhoneCall): string => String(hits.find((h) => h.path === '/call' && h.body['call_id'] === call.dialog.callId)?.body['call_sid']);
  async function heard(sender: PhoneCall, calls: PhoneCall[]): Promise<number[]> {
    const marks = calls.map((c) => c.received.length);
    await sendPacedTone(sender, 700, { ms: 600 });
    await sleep(100);
    return calls.map((c, i) => c.receivedLevel(marks[i]! + 5));
  }

  test('the coach is heard by the tagged members only; tag and uncoach over REST', async () => {
    const calls: PhoneCall[] = [];
    for (const number of ['5550411', '5550412', '5550413']) {
      const r = await phone.call(srv.uri(number));
      assert.ok(r.ok, `${number} answered`);
      calls.push(r.call);
    }
    const [customer, agent, coach] = calls as [PhoneCall, PhoneCall, PhoneCall];
    await until('three members', () => srv.server.sw.conference(`${srv.server.jambonz.account.account_sid}:${ROOM}`)?.size === 3);
    const placed = srv.server.media.workers?.workers.map((w) => w.placed) ?? [];
    assert.ok(placed.length === 2 && placed.every((n) => n > 0), `legs in both workers, so some join through a trunk (${placed.join(', ')})`);
    await sleep(300);
    const [aHears, cHears] = await heard(coach, [agent, customer]);
    assert.ok(aHears! > 500 && cHears! < 100, `only the agent hears the coach (${aHears}, ${cHears})`);
    const [kHears] = await heard(customer, [coach]);
    assert.ok(kHears! > 500, `the coach hears the room (${kHears})`);

    assert.equal((await rest('PUT', `Calls/${sidOf(customer)}`, { conferenceParticipantAction: { action: 'tag', tag: 'agent' } })).status, 202);
    const [cTagged] = await heard(coach, [customer]);
    assert.ok(cTagged! > 500, `a member tagged agent later hears the coach (${cTagged})`);
    assert.equal((await rest('PUT', `Calls/${sidOf(customer)}`, { conferenceParticipantAction: { action: 'untag' } })).status, 202);
    assert.equal((await rest('PUT', `Calls/${sidOf(coach)}`, { conferenceParticipantAction: { action: 'uncoach' } })).status, 202);
    const [cAll] = await heard(coach, [customer]);
    assert.ok(cAll! > 500, `uncoached: everyone hears the coach (${cAll})`);

    for (const c of calls) await c.hangup();
    await waitIdle(srv.server, until);
    assert.equal(srv.server.sw.counts().conferences, 0);
  });
});
