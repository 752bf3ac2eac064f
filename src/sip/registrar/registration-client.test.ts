import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { DigestVerifier, parseDigestCredentials } from '../auth/index.ts';
import { type SipRequest, type SipResponse, createResponse } from '../message/index.ts';
import { MemoryBindingsStore } from './memory-bindings-store.ts';
import { handleRegister } from './register-handler.ts';
import { Registrar } from './registrar.ts';
import { RegistrationClient, type RegistrationClientOptions, refreshDelayMs } from './registration-client.ts';

const SECRET = 'a-test-secret-of-32-characters!!';
const CONTACT = '<sip:1001@192.0.2.50:5060>';

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

interface Sent {
  at: number;
  req: SipRequest;
}

/** A provider: the real registrar behind Digest auth, on the same virtual clock. */
function provider(clock: VirtualClock, options: { password?: string; maxExpires?: number; nonceLifetimeMs?: number } = {}) {
  const store = new MemoryBindingsStore({ clock });
  const registrar = new Registrar({ store, clock, ...(options.maxExpires ? { maxExpires: options.maxExpires } : {}) });
  const verifier = new DigestVerifier({ secret: SECRET, clock, algorithms: ['SHA-256', 'MD5'], nonceLifetimeMs: options.nonceLifetimeMs ?? 300_000 });
  const sent: Sent[] = [];
  const send = async (req: SipRequest): Promise<SipResponse> => {
    sent.push({ at: clock.now(), req });
    return handleRegister(req, { transport: 'udp', address: '192.0.2.50', port: 5060 }, {
      registrar,
      auth: { verifier, lookup: async (u) => (u === '1001' ? { password: options.password ?? 'secret' } : undefined) },
    });
  };
  return { store, registrar, send, sent };
}

function client(clock: VirtualClock, send: RegistrationClientOptions['send'], extra: Partial<RegistrationClientOptions> = {}) {
  const c = new RegistrationClient({
    send, clock, registrar: 'sip:provider.example', aor: 'sip:1001@provider.example', contact: CONTACT,
    credentials: { username: '1001', password: 'secret' }, ...extra,
  });
  const events: string[] = [];
  c.on('registered', (e) => events.push(`registered ${e.expires}`));
  c.on('failed', (e) => events.push(`failed ${e.status ?? '-'} ${e.reason} retry=${e.retryInMs}`));
  c.on('unregistered', (e) => events.push(`unregistered ${e.status ?? '-'}`));
  return { c, events };
}

test('refresh delay: expires minus max(5 s, 10%)', () => {
  assert.deepEqual([3600, 600, 60, 30, 4].map(refreshDelayMs), [3_240_000, 540_000, 54_000, 25_000, 0]);
});

test('401 answered, refreshed before expiry with the same Call-ID and a higher CSeq, unregistered on stop', async () => {
  const clock = new VirtualClock(0);
  const p = provider(clock, { nonceLifetimeMs: 4_000_000 });
  const { c, events } = client(clock, p.send);
  c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(events, ['registered 3600']);
  assert.equal(c.state, 'registered');
  assert.equal(p.sent.length, 2);
  const [first, second] = p.sent.map((s) => s.req);
  assert.equal(first!.headers.get('authorization'), undefined);
  const cr = parseDigestCredentials(second!.headers.get('authorization')!);
  assert.deepEqual([cr.username, cr.algorithm, cr.uri, cr.nc], ['1001', 'SHA-256', 'sip:provider.example', '00000001']);
  assert.deepEqual(p.sent.map((s) => [s.req.callId, s.req.cseq.seq, s.req.expires]), [[c.callId, 1, 3600], [c.callId, 2, 3600]]);
  assert.equal((await p.registrar.lookup('sip:1001@provider.example')).length, 1);

  clock.advance(3_239_999);
  await flush();
  assert.equal(p.sent.length, 2);
  clock.advance(1);
  await flush();
  assert.equal(p.sent.length, 3, 'the refresh authorizes pre-emptively (nc 2) and is accepted at once');
  assert.equal(p.sent[2]!.at, 3_240_000);
  assert.equal(p.sent[2]!.req.cseq.seq, 3);
  assert.equal(parseDigestCredentials(p.sent[2]!.req.headers.get('authorization')!).nc, '00000002');
  assert.deepEqual(events, ['registered 3600', 'registered 3600']);

  await c.stop();
  assert.equal(p.sent.at(-1)!.req.expires, 0);
  assert.equal(p.sent.at(-1)!.req.callId, c.callId);
  assert.deepEqual(events.at(-1), 'unregistered 200');
  assert.equal(c.state, 'stopped');
  assert.deepEqual(await p.registrar.lookup('sip:1001@provider.example'), []);
  await c.stop();
  await p.store.close();
  assert.equal(clock.pending, 0);
});

test('stale nonce on refresh is answered without a failure', async () => {
  const clock = new VirtualClock(0);
  const p = provider(clock);
  const { c, events } = client(clock, p.send, { expires: 600 });
  c.start();
  clock.advance(0);
  await flush();
  clock.advance(540_000); // past the 300 s nonce lifetime: the pre-emptive answer is stale
  await flush();
  assert.deepEqual(events, ['registered 600', 'registered 600']);
  const last = p.sent.slice(-2).map((s) => parseDigestCredentials(s.req.headers.get('authorization')!));
  assert.notEqual(last[0]!.nonce, last[1]!.nonce);
  c.close();
  await p.store.close();
});

test('granted expiry comes from the 200 (registrar clamps to its max)', async () => {
  const clock = new VirtualClock(0);
  const p = provider(clock, { maxExpires: 120 });
  const { c, events } = client(clock, p.send);
  c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(events, ['registered 120']);
  clock.advance(108_000);
  await flush();
  assert.equal(p.sent.at(-1)!.at, 108_000);
  c.close();
  await p.store.close();
});

test('wrong password: the same nonce challenged again is a failure, with back-off', async () => {
  const clock = new VirtualClock(0);
  const p = provider(clock, { password: 'other' });
  const { c, events } = client(clock, p.send);
  c.start();
  clock.advance(0);
  await flush();
  assert.equal(p.sent.length, 2, 'a second non-stale challenge after credentials is a refusal, even with a new nonce');
  assert.deepEqual(events, ['failed 401 credentials rejected retry=30000']);
  clock.advance(30_000);
  await flush();
  assert.deepEqual(events.at(-1), 'failed 401 credentials rejected retry=60000');
  assert.equal(c.state, 'failed');
  c.close();
  await p.store.close();
});

/** A scripted registrar: answers each REGISTER with the next scripted response. */
function scripted(clock: VirtualClock, script: Array<(req: SipRequest) => SipResponse | Error>) {
  const sent: Sent[] = [];
  const send = async (req: SipRequest): Promise<SipResponse> => {
    sent.push({ at: clock.now(), req });
    const step = script[Math.min(sent.length - 1, script.length - 1)]!;
    const out = step(req);
    if (out instanceof Error) throw out;
    return out;
  };
  return { send, sent };
}

const reply = (status: number, headers: Array<[string, string]> = []) => (req: SipRequest) => {
  const res = createResponse(req, status);
  for (const [n, v] of headers) res.headers.append(n, v);
  return res;
};

test('423 Interval Too Brief: retried at once with the Min-Expires', async () => {
  const clock = new VirtualClock(0);
  const s = scripted(clock, [reply(423, [['Min-Expires', '7200']]), reply(200, [['Contact', `${CONTACT};expires=7200`]])]);
  const { c, events } = client(clock, s.send, { expires: 60 });
  c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(s.sent.map((x) => [x.req.expires, x.req.cseq.seq]), [[60, 1], [7200, 2]]);
  assert.deepEqual(events, ['registered 7200']);
  assert.equal(c.expires, 7200);
  c.close();
});

test('failures back off 30 s doubling to the cap, then recover', async () => {
  const clock = new VirtualClock(0);
  let fail = true;
  const s = scripted(clock, [(req) => (fail ? reply(503)(req) : reply(200)(req))]);
  const { c, events } = client(clock, s.send, { maxRetryMs: 120_000 });
  c.start();
  clock.advance(0);
  await flush();
  for (const step of [30_000, 60_000, 120_000, 120_000]) {
    clock.advance(step);
    await flush();
  }
  assert.deepEqual(s.sent.map((x) => x.at), [0, 30_000, 90_000, 210_000, 330_000]);
  assert.deepEqual(events.map((e) => e.split('retry=')[1]), ['30000', '60000', '120000', '120000', '120000']);
  fail = false;
  clock.advance(120_000);
  await flush();
  assert.equal(events.at(-1), 'registered 3600');
  c.close();
});

test('transport errors are failures without status; stop while failed before any registration sends nothing', async () => {
  const clock = new VirtualClock(0);
  const s = scripted(clock, [() => new Error('transaction timeout')]);
  const { c, events } = client(clock, s.send);
  c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(events, ['failed - transaction timeout retry=30000']);
  await c.stop();
  assert.equal(s.sent.length, 1);
  assert.equal(clock.pending, 0);
});

test('407 from a proxy is answered with Proxy-Authorization', async () => {
  const clock = new VirtualClock(0);
  const challenge = 'Digest realm="proxy.example", nonce="abc", qop="auth", algorithm=MD5';
  const s = scripted(clock, [reply(407, [['Proxy-Authenticate', challenge]]), reply(200)]);
  const { c, events } = client(clock, s.send);
  c.start();
  clock.advance(0);
  await flush();
  assert.equal(parseDigestCredentials(s.sent[1]!.req.headers.get('proxy-authorization')!).realm, 'proxy.example');
  assert.deepEqual(events, ['registered 3600']);
  c.close();
});

test('a repeated challenge with the same nonce fails; a stale one is answered again', async () => {
  const clock = new VirtualClock(0);
  const ch = (extra = '') => reply(401, [['WWW-Authenticate', `Digest realm="p", nonce="n1", qop="auth"${extra}`]]);
  const refused = scripted(clock, [ch(), ch()]);
  const a = client(clock, refused.send);
  a.c.start();
  clock.advance(0);
  await flush();
  assert.equal(refused.sent.length, 2);
  assert.deepEqual(a.events, ['failed 401 credentials rejected retry=30000']);
  a.c.close();

  const stale = scripted(clock, [ch(), ch(', stale=true'), reply(200)]);
  const b = client(clock, stale.send);
  b.c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(b.events, ['registered 3600']);
  assert.deepEqual(stale.sent.slice(1).map((x) => parseDigestCredentials(x.req.headers.get('authorization')!).nc), ['00000001', '00000002']);
  b.c.close();
});

test('no credentials configured: a challenge is a failure', async () => {
  const clock = new VirtualClock(0);
  const s = scripted(clock, [reply(401, [['WWW-Authenticate', 'Digest realm="p", nonce="n1"']])]);
  const c = new RegistrationClient({ send: s.send, clock, registrar: 'sip:p', aor: 'sip:1001@p', contact: CONTACT });
  const failures: string[] = [];
  c.on('failed', (e) => failures.push(e.reason));
  c.start();
  clock.advance(0);
  await flush();
  assert.deepEqual(failures, ['authentication required but no credentials configured']);
  c.close();
});
