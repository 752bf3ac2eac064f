/**
 * The conference verb's member features over real SIP calls on the composed server (specs/jambonz.md
 * §3.A conference, §1.6 / §2.6 conference controls): a supervisor with `speakOnlyTo: 'agent'` is heard
 * by the agent and not by the customer, REST `conferenceParticipantAction` `uncoach` / `coach` switch
 * that; `distributeDtmf` sends the customer's RFC 4733 digit on to the others; a nested `listen` forks
 * the customer's audio to a WebSocket; `conf_hold_status: hold` with a `wait_hook` plays the hook's
 * reply to the held agent round after round until `unhold`; `record` leaves a completed mono WAV of the
 * room in the REST recordings listing; `endConferenceDuration` keeps the room up for its grace time
 * after the endConferenceOnExit member left. Registries end empty.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { decodeReceived, sendPacedTone, sendRfc4733 } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { readBody, type Hit } from '../support/http-body.ts';
import { readWavMono, toneShare } from '../support/wav-analysis.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

const ROOM = 'coached-room';
const GRACE_ROOM = 'grace-room';

describe('jambonz conference: coaching, distributeDtmf, listen, hold music, record, endConferenceDuration', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let sockHttp: HttpServer;
  let wss: WebSocketServer;
  let base = '';
  let wsBase = '';
  const hits: Hit[] = [];
  const fork = { text: [] as string[], bytes: 0, closed: false, protocol: '' };

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
        if (path === '/call') {
          const to = body['to'];
          if (to === '5550401') {
            reply = [{ verb: 'conference', name: ROOM, distributeDtmf: true, record: { path: 'rooms/coached.wav' }, listen: { url: `${wsBase}/conf`, metadata: { who: 'customer' } } }];
          } else if (to === '5550402') {
            reply = [{ verb: 'conference', name: ROOM, memberTag: 'agent' }];
          } else if (to === '5550403') {
            reply = [{ verb: 'conference', name: ROOM, speakOnlyTo: 'agent' }];
          } else if (to === '5550404') {
            reply = [{ verb: 'conference', name: GRACE_ROOM, endConferenceOnExit: true, endConferenceDuration: 1 }];
          } else if (to === '5550405') {
            reply = [{ verb: 'conference', name: GRACE_ROOM, actionHook: '/grace-done' }];
          }
        } else if (path === '/hold-music') {
          reply = [{ verb: 'play', url: 'tone_stream://%(500,0,1300)' }];
        } else if (path === '/grace-done') {
          reply = [{ verb: 'hangup' }];
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    sockHttp = createServer((_req, res) => { res.writeHead(404); res.end(); });
    wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('audio.drachtio.org') ? 'audio.drachtio.org' : false) });
    sockHttp.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        fork.protocol = ws.protocol;
        ws.on('message', (data, isBinary) => {
          if (isBinary) fork.bytes += (data as Buffer).length;
          else fork.text.push(String(data));
        });
        ws.on('close', () => { fork.closed = true; });
      });
    });
    await new Promise<void>((resolve) => sockHttp.listen(0, '127.0.0.1', resolve));
    const saddr = sockHttp.address();
    wsBase = typeof saddr === 'object' && saddr ? `ws://127.0.0.1:${saddr.port}` : '';
    const j = srv.server.jambonz!;
    const app = await rest('POST', 'Applications', { name: 'conf-features', account_sid: j.account.account_sid, call_hook: { url: `${base}/call`, method: 'POST' } });
    for (const number of ['5550401', '5550402', '5550403', '5550404', '5550405']) {
      await rest('POST', 'PhoneNumbers', { number, application_sid: app.body['sid'], account_sid: j.account.account_sid });
    }
  });

  after(async () => {
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    sockHttp.closeAllConnections();
    wss.close();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await new Promise<void>((resolve) => sockHttp.close(() => resolve()));
  });

  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; raw: Buffer }> {
    const j = srv.server.jambonz!;
    const url = path.startsWith('/') ? `${j.baseUrl}${path}` : path.startsWith('Calls/') || path.startsWith('Recordings')
      ? `${j.baseUrl}/v1/Accounts/${j.account.account_sid}/${path}` : `${j.baseUrl}/v1/${path}`;
    const res = await fetch(url, {
      method, headers: { authorization: `Bearer ${j.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {}, raw };
  }

  const sidOf = (call: PhoneCall): string => String(hits.find((h) => h.path === '/call' && h.body['call_id'] === call.dialog.callId)?.body['call_sid']);
  const room = () => srv.server.sw.conference(`${srv.server.jambonz.account.account_sid}:${ROOM}`);
  /** Level each call receives while `sender` sends a tone for 600 ms. */
  async function heard(sender: PhoneCall, calls: PhoneCall[], hz = 700): Promise<number[]> {
    const marks = calls.map((c) => c.received.length);
    await sendPacedTone(sender, hz, { ms: 600 });
    await sleep(100);
    return calls.map((c, i) => c.receivedLevel(marks[i]! + 5));
  }
  async function answered(number: string): Promise<PhoneCall> {
    const r = await phone.call(srv.uri(number));
    assert.ok(r.ok, `${number} answered`);
    return r.call;
  }

  test('coaching, distributeDtmf, nested listen, hold with wait_hook music, room recording', async () => {
    const customer = await answered('5550401');
    await until('the customer in the room', () => room()?.size === 1);
    const agent = await answered('5550402');
    const supervisor = await answered('5550403');
    await until('three members', () => room()?.size === 3);
    await sleep(300);

    const [aHearsS, cHearsS] = await heard(supervisor, [agent, customer]);
    assert.ok(aHearsS! > 500, `the agent hears the supervisor (${aHearsS})`);
    assert.ok(cHearsS! < 100, `the customer does not hear the supervisor (${cHearsS})`);
    const [sHearsC, aHearsC] = await heard(customer, [supervisor, agent]);
    assert.ok(sHearsC! > 500 && aHearsC! > 500, `everyone hears the customer (${sHearsC}, ${aHearsC})`);

    const sSid = sidOf(supervisor);
    assert.equal((await rest('PUT', `Calls/${sSid}`, { conferenceParticipantAction: { action: 'uncoach' } })).status, 202);
    const [cHearsS2] = await heard(supervisor, [customer]);
    assert.ok(cHearsS2! > 500, `uncoached: the customer hears the supervisor (${cHearsS2})`);
    assert.equal((await rest('PUT', `Calls/${sSid}`, { conferenceParticipantAction: { action: 'coach' } })).status, 400, 'coach needs a tag');
    assert.equal((await rest('PUT', `Calls/${sSid}`, { conferenceParticipantAction: { action: 'coach', tag: 'agent' } })).status, 202);
    const [cHearsS3, aHearsS3] = await heard(supervisor, [customer, agent]);
    assert.ok(cHearsS3! < 100 && aHearsS3! > 500, `coached again (${cHearsS3}, ${aHearsS3})`);

    // distributeDtmf: the customer's digit reaches the others as RFC 4733 events.
    const events = (c: PhoneCall, from: number): number[] => c.received.slice(from).filter((p) => p.payloadType === 101).map((p) => p.payload[0]!);
    const aMark = agent.received.length;
    const sMark = supervisor.received.length;
    await sendRfc4733(customer, 5, { ms: 120 });
    await until('the digit reaches the agent and the supervisor', () => events(agent, aMark).includes(5) && events(supervisor, sMark).includes(5));
    const cMark = customer.received.length;
    await sendRfc4733(agent, 7, { ms: 120 });
    await sleep(400);
    assert.ok(!events(customer, cMark).includes(7), 'the agent has no distributeDtmf: its digit stays with it');

    // The nested listen: the customer's fork got the metadata frame and audio.
    await until('listen audio', () => fork.bytes > 8000);
    assert.equal(fork.protocol, 'audio.drachtio.org');
    const meta = JSON.parse(fork.text[0] ?? '{}') as Record<string, unknown>;
    assert.equal(meta['who'], 'customer', 'metadata merged into the first frame');
    assert.equal(meta['callSid'], sidOf(customer));

    // Hold with a wait_hook: the held agent hears the hook's reply round after round, until unhold.
    const aSid = sidOf(agent);
    assert.equal((await rest('PUT', `Calls/${aSid}`, { conf_hold_status: 'hold', wait_hook: `${base}/hold-music` })).status, 202);
    await until('the hold music played twice', () => hits.filter((h) => h.path === '/hold-music').length >= 2, 6000);
    const music = hits.find((h) => h.path === '/hold-music')!.body;
    assert.equal(music['friendly_name'], ROOM);
    assert.equal(music['call_sid'], aSid);
    const mark = agent.received.length;
    await sleep(400);
    const pcm = decodeReceived(agent.received, mark);
    assert.ok(toneShare(pcm, 1300, 8000) > 0.3, `the held agent hears the hold music (${toneShare(pcm, 1300, 8000)})`);
    assert.equal((await rest('PUT', `Calls/${aSid}`, { conf_hold_status: 'unhold' })).status, 202);
    await sleep(700);
    const rounds = hits.filter((h) => h.path === '/hold-music').length;
    await sleep(1200);
    assert.equal(hits.filter((h) => h.path === '/hold-music').length, rounds, 'no more rounds after unhold');
    const [aHearsC2] = await heard(customer, [agent]);
    assert.ok(aHearsC2! > 500, `unheld: the agent hears the room again (${aHearsC2})`);
    assert.equal((await rest('PUT', `Calls/${aSid}`, { conf_hold_status: 'hold', wait_hook: 42 })).status, 400, 'a wait_hook that is no hook');

    const conferenceSid = room()!.id;
    await customer.hangup();
    await until('the fork closed with the customer', () => fork.closed);
    await agent.hangup();
    await supervisor.hangup();
    await waitIdle(srv.server, until);

    let list: Record<string, unknown>[] = [];
    await until('the room recording is listed as completed', async () => {
      list = (await rest('GET', 'Recordings')).body as unknown as Record<string, unknown>[];
      return Array.isArray(list) && list.some((m) => m['conference_sid'] === conferenceSid && m['status'] === 'completed');
    });
    const rec = list.find((m) => m['conference_sid'] === conferenceSid)!;
    assert.deepEqual([rec['friendly_name'], rec['path'], rec['channels'], rec['call_sid']], [ROOM, 'rooms/coached.wav', 1, sidOf(customer)]);
    const wav = await rest('GET', rec['url'] as string);
    assert.equal(wav.status, 200);
    const audio = readWavMono(wav.raw);
    assert.ok(audio.samples.length / audio.rate > 3, `the room recording lasts (${audio.samples.length / audio.rate} s)`);
    assert.ok(toneShare(audio.samples, 700, audio.rate) > 0.05, 'the members\' tones are in the room recording');
  });

  test('endConferenceDuration: the room stays up for its grace time after the ender left', async () => {
    hits.length = 0;
    const grace = () => srv.server.sw.conference(`${srv.server.jambonz.account.account_sid}:${GRACE_ROOM}`);
    const boss = await answered('5550404');
    const guest = await answered('5550405');
    await until('both in the room', () => grace()?.size === 2);
    await boss.hangup();
    await sleep(400);
    assert.equal(grace()?.size, 1, 'still up within the grace time');
    await until('the room ended after the grace time', () => grace() === undefined, 3000);
    await until('the guest goes on with its actionHook (hangup)', () => guest.dialog.state === 'terminated');
    assert.equal(hits.find((h) => h.path === '/grace-done')?.body['leave_reason'], 'ended');
    await waitIdle(srv.server, until);
    assert.equal(srv.server.sw.counts().conferences, 0);
  });
});
