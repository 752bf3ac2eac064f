import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DigestVerifier, answerDigestChallenge, parseDigestChallenge, type IncomingInvite,
} from '../../sip/index.ts';
import { CallAuthenticator, hostOf, type CallAuthMode } from './call-auth.ts';

const REALM = 'switchboard.local';
const users: Record<string, string> = { '1000': 'secret-1000', '1001': 'secret-1001' };
const lookup = async (u: string): Promise<{ password: string } | undefined> => (users[u] === undefined ? undefined : { password: users[u] });
const verifier = new DigestVerifier({ secret: 'unit-test-secret-0123456789abcdef', algorithms: ['MD5'] });

/** The parts of an IncomingInvite the authenticator reads. */
function invite(fromUser: string, fromHost: string, proxyAuthorization?: string): IncomingInvite {
  const headers = new Map<string, string[]>(proxyAuthorization ? [['proxy-authorization', [proxyAuthorization]]] : []);
  return {
    from: { uri: { user: fromUser, host: fromHost } },
    request: {
      method: 'INVITE', uri: 'sip:echo@127.0.0.1:5060', body: Buffer.alloc(0),
      headers: { getAll: (name: string) => headers.get(name) ?? [] },
    },
  } as unknown as IncomingInvite;
}

const auth = (mode: CallAuthMode): CallAuthenticator =>
  new CallAuthenticator({ mode, verifier, realm: REALM, lookup }, () => new Set([REALM, '127.0.0.1', '::1']));

const modes: [CallAuthMode, string, string, boolean][] = [
  ['users', '1000', REALM, true],
  ['users', '1000', '127.0.0.1', true],
  ['users', '1000', 'SWITCHBOARD.local', true],
  ['users', '1000', '[::1]', true],
  ['users', '1000', 'example.com', false],
  ['users', 'sipp', '127.0.0.1', false],
  ['all', 'sipp', '127.0.0.1', true],
  ['all', '1000', 'example.com', true],
  ['none', '1000', REALM, false],
];
for (const [mode, user, host, want] of modes) {
  test(`mode ${mode}: From ${user}@${host} ${want ? 'is' : 'is not'} challenged`, async () => {
    assert.equal(await auth(mode).mustAuthenticate(invite(user, host)), want);
  });
}

async function credentialsFor(username: string, password: string): Promise<string> {
  const first = await auth('users').check(invite('1000', REALM));
  assert.equal(first.ok, false);
  if (first.ok) throw new Error('unreachable');
  assert.equal(first.status, 407);
  const challenge = parseDigestChallenge(String((first.headers['Proxy-Authenticate'] as readonly string[])[0]));
  return answerDigestChallenge(challenge, { username, password }, 'INVITE', 'sip:echo@127.0.0.1:5060').header;
}

test('the right credentials pass and name the user; a wrong password or another user is 403', async () => {
  const good = await auth('users').check(invite('1000', REALM, await credentialsFor('1000', 'secret-1000')));
  assert.deepEqual(good, { ok: true, user: '1000' });
  const wrong = await auth('users').check(invite('1000', REALM, await credentialsFor('1000', 'nope')));
  assert.equal(wrong.ok ? 200 : wrong.status, 403);
  const other = await auth('users').check(invite('1000', REALM, await credentialsFor('1001', 'secret-1001')));
  assert.equal(other.ok ? 200 : other.status, 403);
  const garbage = await auth('users').check(invite('1000', REALM, 'Digest this is not'));
  assert.equal(garbage.ok ? 200 : garbage.status, 400);
});

test('mode all: an unknown user with credentials is 403; none lets everything through', async () => {
  const unknown = await auth('all').check(invite('sipp', '127.0.0.1', await credentialsFor('sipp', 'x')));
  assert.equal(unknown.ok ? 200 : unknown.status, 403);
  assert.deepEqual(await auth('none').check(invite('1000', REALM)), { ok: true, user: undefined });
});

test('hostOf drops IPv6 brackets and case', () => {
  assert.equal(hostOf('[::1]'), '::1');
  assert.equal(hostOf('Example.COM'), 'example.com');
});
