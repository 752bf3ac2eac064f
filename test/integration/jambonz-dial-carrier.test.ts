/**
 * Carriers from the configuration file on the composed server: a carrier with `register: true`
 * registers with its registrar (a SIP stack with digest authentication standing in for the carrier),
 * binding our SIP address; a `phone` dial target is sent to the carrier with the configured prefix and
 * its INVITE challenged and answered with the carrier's credentials; a call from the carrier's address
 * is recognized (`originating_sip_trunk_name`), and one from another address by the realm it is sent
 * to; a REST-created call to a phone number goes through the
 * same carrier with its credentials; on close the registration is removed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server as HttpServer } from 'node:http';
import { DigestVerifier, MemoryBindingsStore, Registrar, SipStack, type Dialog, type SipRequest } from '../../src/sip/index.ts';
import { silentLogger, systemClock } from '../../src/lib/index.ts';
import { startServer, type Server } from '../../src/main.ts';
import { TestPhone, offerSdp } from '../support/test-phone.ts';
import { freePort } from '../support/ports.ts';
import { until as waitUntil } from '../support/wait.ts';
import { readBody } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('carriers: registration and phone dial targets with digest auth', () => {
  let server: Server;
  let dataDir = '';
  let carrier: SipStack;
  let store: MemoryBindingsStore;
  let caller: TestPhone;
  let web: HttpServer;
  let sipPort = 0;
  const invites: SipRequest[] = [];
  const dialogs: Dialog[] = [];
  const actions: Record<string, unknown>[] = [];
  const calls: Record<string, unknown>[] = [];

  before(async () => {
    const carrierPort = await freePort();
    carrier = await SipStack.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: carrierPort }], logger: silentLogger(), flood: false });
    store = new MemoryBindingsStore({ clock: systemClock });
    carrier.enableRegistrar({
      registrar: new Registrar({ store, clock: systemClock }),
      auth: {
        verifier: new DigestVerifier({ secret: 'carrier-secret-0123456789abcdef', algorithms: ['MD5'] }),
        realm: 'carrier.test',
        lookup: async (username) => (username === 'trunk-user' ? { password: 'trunk-pass' } : undefined),
      },
    });
    carrier.handle({
      onInvite: (invite) => {
        invites.push(invite.request);
        if (!invite.request.headers.get('authorization')) {
          invite.reject(401, 'Unauthorized', { 'WWW-Authenticate': 'Digest realm="carrier.test", nonce="n0nce", algorithm=MD5, qop="auth"' });
          return;
        }
        void invite.accept({ body: offerSdp(40000), contentType: 'application/sdp' }).then((d) => dialogs.push(d), () => undefined);
      },
    });
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        const body = JSON.parse(text || '{}') as Record<string, unknown>;
        let reply: unknown = [];
        if (req.url === '/call') calls.push(body);
        if (req.url === '/call') reply = [{ verb: 'dial', target: [{ type: 'phone', number: '+44 20 7946 0000', trunk: 'uplink' }], actionHook: '/done' }];
        if (req.url === '/done') {
          actions.push(body);
          reply = [{ verb: 'hangup' }];
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    const base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    dataDir = mkdtempSync(join(tmpdir(), 'sb-carrier-'));
    const config = join(dataDir, 'config.json');
    writeFileSync(config, JSON.stringify({
      carriers: [
        { name: 'uplink', host: `127.0.0.1:${carrierPort}`, username: 'trunk-user', password: 'trunk-pass', register: true, prefix: '00', inboundAddresses: ['127.0.0.1'] },
        // Recognized by the realm its calls are sent to (here the server's address as the Request-URI host).
        { name: 'by-realm', host: '127.0.0.9', inboundRealms: ['127.0.0.1'] },
      ],
      jambonz: { applications: [{ name: 'dialer', call_hook: `${base}/call` }], phoneNumbers: [{ number: '5550300', application: 'dialer' }] },
    }));
    sipPort = await freePort();
    const rtp = await freePort('127.0.0.1', 32);
    const low = rtp + (rtp & 1);
    server = await startServer({
      configFile: config,
      flags: { sip: `127.0.0.1:${sipPort}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + 31}`, logLevel: 'silent' },
      env: {},
      banner: false,
    });
    caller = await TestPhone.start();
  });

  after(async () => {
    await caller.close();
    await server.close();
    await carrier.close();
    await store.close();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the carrier is registered; a phone target reaches it with the prefix and credentials; close unregisters', async () => {
    await until('the registration binding', async () => (await store.list('sip:trunk-user@127.0.0.1')).length === 1);
    const [binding] = await store.list('sip:trunk-user@127.0.0.1');
    assert.match(String(binding!.contact ?? JSON.stringify(binding)), new RegExp(`127\\.0\\.0\\.1:${sipPort}`));

    const r = await caller.call(`sip:5550300@127.0.0.1:${sipPort}`);
    assert.ok(r.ok, 'the caller is answered');
    assert.equal(calls[0]!['originating_sip_trunk_name'], 'uplink', 'a call from the carrier\'s address is recognized');
    await until('the carrier answered', () => dialogs.length === 1);
    assert.equal(invites.length, 2, 'challenged, then sent with credentials');
    assert.match(invites[0]!.uri, /^sip:00442079460000@127\.0\.0\.1:/);
    assert.match(invites[1]!.headers.get('authorization') ?? '', /username="trunk-user"/);
    await dialogs[0]!.bye();
    await until('the dial actionHook', () => actions.length === 1);
    assert.equal(actions[0]!['dial_call_status'], 'completed');
    await until('BYE to the caller', () => r.call.dialog.state === 'terminated');

    // REST create call to a phone number: through the same carrier, with its prefix and credentials.
    const j = server.jambonz;
    const res = await fetch(`${j.baseUrl}/v1/Accounts/${j.account.account_sid}/Calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '5550300', to: { type: 'phone', number: '+1 555 0101', trunk: 'uplink' }, app_json: [{ verb: 'hangup' }] }),
    });
    assert.equal(res.status, 201);
    await until('the REST call reached the carrier with credentials', () => invites.length === 4);
    assert.match(invites[2]!.uri, /^sip:0015550101@127\.0\.0\.1:/);
    assert.match(invites[3]!.headers.get('authorization') ?? '', /username="trunk-user"/);
    await until('the REST call ended (its app hangs up)', () => dialogs.length === 2 && dialogs[1]!.state === 'terminated');

    // A call from another address, sent to the realm of the carrier 'by-realm'.
    const other = await TestPhone.start('127.0.0.2');
    try {
      const byRealm = await other.call(`sip:5550300@127.0.0.1:${sipPort}`);
      assert.ok(byRealm.ok, 'the second caller is answered');
      await until('its call hook', () => calls.length === 2);
      assert.equal(calls[1]!['originating_sip_trunk_name'], 'by-realm', 'recognized by the Request-URI host');
      await byRealm.call.hangup();
    } finally {
      await other.close();
    }

    await server.close();
    await until('the registration removed on close', async () => (await store.list('sip:trunk-user@127.0.0.1')).length === 0);
  });
});
