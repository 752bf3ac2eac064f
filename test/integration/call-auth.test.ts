/**
 * Digest authentication of INVITEs through the running server (sip.authenticateCalls 'users', the
 * default): a call From one of the demo users at the server's domain or address is challenged with 407
 * and Proxy-Authenticate, the retry with the right password is routed as that user, a wrong password
 * or another user's credentials get 403; calls from other identities go through unchallenged. A
 * refused INVITE leaves no channel, dialog or transaction behind once its ACK is in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import type { SwitchEvents } from '../../src/core/index.ts';
import type { InviteResult } from '../../src/sip/index.ts';
import { TestPhone, offerSdp } from '../support/test-phone.ts';
import { freePort } from '../support/ports.ts';
import { waitIdle } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> => waitUntil(what, check, ms, 20);

describe('INVITE digest authentication (sip.authenticateCalls = users)', () => {
  let server: Server;
  let port: number;
  let dataDir: string;
  let phone: TestPhone;
  const password = (user: string): string => server.users.find((u) => u.username === user)!.password;

  before(async () => {
    port = await freePort();
    const rtp = await freePort('127.0.0.1', 33);
    const low = rtp + (rtp & 1);
    dataDir = mkdtempSync(join(tmpdir(), 'sb-call-auth-'));
    const configFile = join(dataDir, 'config.json');
    // A short T4 so that Timer I of a refused INVITE's server transaction runs out quickly.
    writeFileSync(configFile, JSON.stringify({ sip: { t4: 200 } }));
    server = await startServer({
      configFile,
      flags: { sip: `127.0.0.1:${port}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + 31}`, logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent' },
      env: {},
      banner: false,
    });
    phone = await TestPhone.start();
  });
  after(async () => {
    await phone.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const uri = (user: string): string => `sip:${user}@127.0.0.1:${port}`;
  const call = async (to: string, from: string, auth?: { username: string; password: string }): Promise<InviteResult> => {
    const invite = phone.stack.invite({
      uri: uri(to), from, body: offerSdp(4020), contentType: 'application/sdp', ...(auth ? { auth } : {}),
    });
    return invite.result;
  };

  test('a call from user 1000 without credentials: 407 with a Proxy-Authenticate; nothing is left behind', async () => {
    const created = server.sw.stats().sessionsSinceStartup;
    const r = await call('echo', '<sip:1000@switchboard.local>');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.status, 407);
    const challenge = r.response?.headers.get('proxy-authenticate') ?? '';
    assert.match(challenge, /^Digest /);
    assert.match(challenge, /realm="switchboard\.local"/);
    assert.equal(server.sw.stats().sessionsSinceStartup, created, 'no channel was created');
    // The same identity at the server's own address is one of our users too.
    const byAddress = await call('echo', `<sip:1000@127.0.0.1:${port}>`);
    assert.equal(byAddress.ok ? 200 : byAddress.status, 407);
    await until('server transactions and dialogs gone', () =>
      server.sip.transactions.counts.server === 0 && server.sip.dialogs.counts.dialogs === 0 && server.sip.dialogs.counts.incoming === 0);
  });

  test('a wrong password is answered 403 after the challenge; nothing is left behind', async () => {
    const r = await call('echo', '<sip:1000@switchboard.local>', { username: '1000', password: 'not-the-password' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.status, 403);
    // Right password, but for another user than the From claims.
    const other = await call('echo', '<sip:1000@switchboard.local>', { username: '1001', password: password('1001') });
    assert.equal(other.ok ? 200 : other.status, 403);
    await until('server transactions and dialogs gone', () =>
      server.sip.transactions.counts.server === 0 && server.sip.dialogs.counts.dialogs === 0 && server.sip.dialogs.counts.incoming === 0);
    assert.equal(server.media.portsInUse, 0);
  });

  test('the retried INVITE with the right password is answered and routed as user 1000', async () => {
    const created: SwitchEvents['channel.created'][] = [];
    const off = server.sw.bus.on('channel.created', (e) => created.push(e));
    const r = await call('echo', '"Alice" <sip:1000@switchboard.local>', { username: '1000', password: password('1000') });
    off();
    assert.ok(r.ok, r.ok ? '' : `status ${r.status}`);
    assert.equal(created.length, 1);
    assert.equal(created[0]!.channel.user, '1000');
    await r.dialog.bye();
    await waitIdle(server, until);
  });

  test('a caller that is not one of our users is not challenged', async () => {
    const r = await call('echo', `<sip:phone@127.0.0.1:${phone.port}>`);
    assert.ok(r.ok, r.ok ? '' : `status ${r.status}`);
    await r.dialog.bye();
    // 1000 at a foreign domain is someone else's user.
    const foreign = await call('echo', '<sip:1000@example.com>');
    assert.ok(foreign.ok, foreign.ok ? '' : `status ${foreign.status}`);
    await foreign.dialog.bye();
    await waitIdle(server, until);
  });
});
