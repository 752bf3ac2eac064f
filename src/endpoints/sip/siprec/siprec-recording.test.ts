import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { VirtualClock, silentLogger } from '../../../lib/index.ts';
import { MediaClock, MediaSession, PortPool, UdpRtpTransport } from '../../../media/index.ts';
import { SipStack, type Dialog, type IncomingInvite } from '../../../sip/index.ts';
import { Switch, type Channel, type ChannelDriver } from '../../../core/index.ts';
import { freePort } from '../../../../test/support/ports.ts';
import { until } from '../../../../test/support/wait.ts';
import { SessionChannelMedia } from '../session-channel-media.ts';
import type { LegMediaSettings } from '../sip-leg.ts';
import { startSiprec, type SiprecDeps } from './siprec-recording.ts';

const ANSWER = ['v=0', 'o=srs 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 7000 RTP/AVP 0', 'a=recvonly', 'm=audio 7002 RTP/AVP 0', 'a=recvonly', ''].join('\r\n');

const driver: ChannelDriver = {
  ring: async () => ({ ok: true }), progress: async () => ({ ok: true }), answer: async () => ({ ok: true }), hangup: async () => {},
};

let pool: PortPool;
let client: SipStack;
let srs: SipStack;
let srsPort = 0;
/** Where the client sends: a relay to the server that hides `Require: siprec` (the stack answers it 420). */
let relayPort = 0;
let relay: Socket;
let onInvite: (invite: IncomingInvite) => void = (i) => i.reject(500);
const sw = new Switch();
const media: { settings: LegMediaSettings; clock: MediaClock } = {} as never;
let deps: SiprecDeps;

before(async () => {
  const base = await freePort('127.0.0.1', 12);
  const low = base + (base & 1);
  pool = await PortPool.start({ address: '127.0.0.1', portMin: low, portMax: low + 9, prebind: 5 });
  const clock = new MediaClock({ clock: new VirtualClock(0) });
  media.clock = clock;
  media.settings = { pool, clock, advertisedAddress: '127.0.0.1', codecs: ['PCMU', 'PCMA'], sources: {} };
  client = await SipStack.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: await freePort() }], flood: false, t1: 50 });
  srsPort = await freePort();
  srs = await SipStack.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: srsPort }], flood: false, t1: 50 });
  srs.handle({ onInvite: (i) => onInvite(i) });
  relayPort = await freePort();
  relay = createSocket('udp4');
  let clientAt: { address: string; port: number } | undefined;
  relay.on('message', (m, from) => {
    if (from.port === srsPort) {
      if (clientAt) relay.send(m, clientAt.port, clientAt.address);
      return;
    }
    clientAt = { address: from.address, port: from.port };
    relay.send(Buffer.from(m.toString('latin1').replace(/^Require: siprec\r\n/im, 'X-Required: siprec\r\n'), 'latin1'), srsPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => relay.bind(relayPort, '127.0.0.1', resolve));
  deps = { sip: client, media: media.settings, log: silentLogger(), fromHost: '127.0.0.1' };
});

after(async () => {
  await sw.close();
  await client.close();
  await srs.close();
  await pool.close();
  relay.close();
});

function call(): Channel {
  const session = new MediaSession({
    port: UdpRtpTransport.open(pool), clock: media.clock,
    config: { codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 }, ptime: 20, direction: 'sendrecv' },
  });
  return sw.createChannel({
    direction: 'inbound', endpoint: 'sip', driver, media: new SessionChannelMedia(session, {}, silentLogger()),
    caller: { number: '100' }, callee: { number: '200' }, variables: { sip_call_id: 'call-1@test' },
  });
}

const uri = (): string => `sip:srs@127.0.0.1:${relayPort}`;
const freeAfter = async (free: number): Promise<void> => until('RTP ports back in the pool', () => pool.free === free, 2000);

test('refused, unanswered and unusable answers fail with their codes; the ports go back; the call is untouched', async () => {
  const ch = call();
  const free = pool.free;
  onInvite = (i) => i.reject(488);
  const refused = startSiprec(ch, { serverUri: uri() }, deps);
  assert.ok(refused.ok);
  assert.deepEqual(await refused.recording.started, { ok: false, code: 'SIPREC_REFUSED', reason: 'recording server: 488 Not Acceptable Here (rejected)', sipStatus: 488 });
  assert.equal(refused.recording.state, 'failed');
  assert.equal((await refused.recording.ended).reason, 'failed');
  await freeAfter(free);

  onInvite = () => {};
  const silent = startSiprec(ch, { serverUri: uri(), timeoutMs: 200 }, deps);
  assert.ok(silent.ok);
  const t = await silent.recording.started;
  assert.ok(!t.ok && t.code === 'SIPREC_TIMEOUT', JSON.stringify(t));
  await freeAfter(free);

  let byes = 0;
  onInvite = (i) => {
    void i.accept({ body: ANSWER.replace(/RTP\/AVP 0/g, 'RTP/AVP 18'), contentType: 'application/sdp' }).then((d) => d.on('terminated', () => byes++));
  };
  const unusable = startSiprec(ch, { serverUri: uri() }, deps);
  assert.ok(unusable.ok);
  const u = await unusable.recording.started;
  assert.ok(!u.ok && u.code === 'SIPREC_ANSWER', JSON.stringify(u));
  await until('BYE to the server', () => byes === 1, 2000);
  await freeAfter(free);
  assert.equal(ch.ended, false);

  const bad = startSiprec(ch, { serverUri: 'http://srs' }, deps);
  assert.ok(!bad.ok && bad.code === 'SIPREC_BAD_URI');
  await ch.hangup();
  const gone = startSiprec(ch, { serverUri: uri() }, deps);
  assert.ok(!gone.ok && gone.code === 'SIPREC_NO_MEDIA');
});

test('answered: pause / resume by re-INVITE, the server BYE ends it; a call hangup sends BYE; a stop before the answer CANCELs', async () => {
  const ch = call();
  const free = pool.free;
  let dialog: Dialog | undefined;
  const offers: string[] = [];
  const headers: string[] = [];
  onInvite = (i) => {
    headers.push(`${i.request.headers.get('x-required')}|${i.request.headers.get('contact')}|${i.request.headers.get('x-app')}`);
    void i.accept({ body: ANSWER, contentType: 'application/sdp' }).then((d) => {
      dialog = d;
      d.on('reinvite', (ev) => {
        offers.push(ev.offer?.body.toString() ?? '');
        ev.accept({ body: ANSWER, contentType: 'application/sdp' });
      });
    });
  };
  const r = startSiprec(ch, { serverUri: uri(), headers: { 'X-App': 'yes' } }, deps);
  assert.ok(r.ok);
  const rec = r.recording;
  assert.equal(rec.state, 'starting');
  assert.equal((await rec.pause()).ok, false, 'no pause before the answer');
  assert.deepEqual(await rec.started, { ok: true });
  assert.equal(rec.state, 'recording');
  assert.match(headers[0]!, /^siprec\|<sip:[^>]+>;\+sip\.src\|yes$/);
  assert.deepEqual(await rec.pause(), { ok: true });
  assert.equal(rec.state, 'paused');
  assert.deepEqual(await rec.pause(), { ok: true }, 'pausing twice is fine');
  assert.deepEqual(await rec.resume(), { ok: true });
  assert.equal(rec.state, 'recording');
  assert.equal(offers.length, 2);
  assert.equal((offers[0]!.match(/a=inactive/g) ?? []).length, 2);
  assert.equal((offers[1]!.match(/a=sendonly/g) ?? []).length, 2);
  await dialog!.bye();
  assert.deepEqual(await rec.ended, { reason: 'remote' });
  assert.equal(rec.state, 'stopped');
  assert.equal((await rec.resume()).ok, false);
  await freeAfter(free);

  let ended = 0;
  onInvite = (i) => {
    void i.accept({ body: ANSWER, contentType: 'application/sdp' }).then((d) => d.on('terminated', (e) => { if (e.remote) ended++; }));
  };
  const second = startSiprec(ch, { serverUri: uri() }, deps);
  assert.ok(second.ok);
  assert.ok((await second.recording.started).ok);

  const cancelled: string[] = [];
  onInvite = (i) => {
    i.on('cancel', () => cancelled.push('cancel'));
  };
  const third = startSiprec(ch, { serverUri: uri() }, deps);
  assert.ok(third.ok);
  await new Promise((r) => setTimeout(r, 100));
  await third.recording.stop();
  const s = await third.recording.started;
  assert.ok(!s.ok && s.code === 'SIPREC_STATE');
  assert.equal(third.recording.state, 'stopped');

  await ch.hangup();
  assert.deepEqual(await second.recording.ended, { reason: 'hangup' });
  await until('BYE at the server', () => ended === 1, 2000);
  await until('CANCEL at the server', () => cancelled.length === 1, 2000);
  await second.recording.stop();
  assert.equal(client.dialogs.counts.dialogs, 0);
});
