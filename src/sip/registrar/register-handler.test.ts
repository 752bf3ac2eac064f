import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import { DigestVerifier, answerChallenge } from '../auth/index.ts';
import { type SipRequest, parseMessage } from '../message/index.ts';
import { MemoryBindingsStore } from './memory-bindings-store.ts';
import { handleRegister } from './register-handler.ts';
import { Registrar } from './registrar.ts';

const SOURCE = { transport: 'udp' as const, address: '192.0.2.10', port: 5060 };

function register(extra: string[], cseq = 1): SipRequest {
  const text = [
    'REGISTER sip:example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKreg1',
    'Max-Forwards: 70',
    'To: <sip:alice@example.com>',
    'From: <sip:alice@example.com>;tag=abc',
    'Call-ID: reg-1@192.0.2.10',
    `CSeq: ${cseq} REGISTER`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const msg = parseMessage(Buffer.from(text));
  if (!msg.isRequest()) throw new Error('expected a request');
  return msg;
}

function setup() {
  const clock = new VirtualClock(0);
  const store = new MemoryBindingsStore({ clock });
  const registrar = new Registrar({ store, clock, minExpires: 60 });
  const now = () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  return { clock, store, registrar, now };
}

test('200 lists every binding with expires, a Date, and the Path it was given', async () => {
  const { registrar, now } = setup();
  const res = await handleRegister(register(['Contact: <sip:alice@192.0.2.10:5060>;expires=600', 'Path: <sip:edge.example.com;lr>']), SOURCE, { registrar, now });
  assert.equal(res.status, 200);
  assert.deepEqual(res.headers.getAll('contact'), ['<sip:alice@192.0.2.10:5060>;expires=600']);
  assert.equal(res.headers.get('date'), 'Tue, 02 Jan 2024 03:04:05 GMT');
  assert.deepEqual(res.headers.getAll('path'), ['<sip:edge.example.com;lr>']);
  assert.ok(res.toTag);
  const [b] = await registrar.lookup('sip:alice@example.com');
  assert.deepEqual(b!.path, ['<sip:edge.example.com;lr>']);
});

test('423 carries Min-Expires; a malformed Contact is 400', async () => {
  const { registrar } = setup();
  const brief = await handleRegister(register(['Contact: <sip:alice@192.0.2.10>', 'Expires: 10']), SOURCE, { registrar });
  assert.equal(brief.status, 423);
  assert.equal(brief.headers.get('min-expires'), '60');
  const bad = await handleRegister(register(['Contact: *, <sip:alice@192.0.2.10>']), SOURCE, { registrar });
  assert.equal(bad.status, 400);
});

test('with auth: 401 with challenges, then 200 for the right user, 403 for another user', async () => {
  const { registrar, clock } = setup();
  const verifier = new DigestVerifier({ secret: 'a-test-secret-of-32-characters!!', clock });
  const users: Record<string, string> = { alice: 'pw-a', bob: 'pw-b' };
  const auth = { verifier, lookup: async (u: string) => (users[u] !== undefined ? { password: users[u]! } : undefined) };
  const first = await handleRegister(register(['Contact: <sip:alice@192.0.2.10>']), SOURCE, { registrar, auth });
  assert.equal(first.status, 401);
  const challenges = first.headers.getAll('www-authenticate');
  assert.equal(challenges.length, 2);
  const asAlice = answerChallenge(challenges, { username: 'alice', password: 'pw-a' }, 'REGISTER', 'sip:example.com');
  const ok = await handleRegister(register(['Contact: <sip:alice@192.0.2.10>', `Authorization: ${asAlice}`], 2), SOURCE, { registrar, auth });
  assert.equal(ok.status, 200);
  const again = await handleRegister(register(['Contact: <sip:alice@192.0.2.10>'], 3), SOURCE, { registrar, auth });
  const asBob = answerChallenge(again.headers.getAll('www-authenticate'), { username: 'bob', password: 'pw-b' }, 'REGISTER', 'sip:example.com');
  const forbidden = await handleRegister(register(['Contact: <sip:alice@192.0.2.10>', `Authorization: ${asBob}`], 4), SOURCE, { registrar, auth });
  assert.equal(forbidden.status, 403);
});
