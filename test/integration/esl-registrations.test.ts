/**
 * Registrations seen through the event socket of the running server (specs/esl.md §4.4 CUSTOM
 * sofia::register / sofia::unregister, §5 show registrations, sofia status, user_exists): a phone
 * registers a demo user with digest auth and unregisters; the registrar's bindings reach the ESL through
 * the core bus as main.ts wires them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistrationClient } from '../../src/sip/index.ts';
import { systemClock } from '../../src/lib/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const eventOf = (f: EslFrame): Record<string, string> => Object.fromEntries(parsePlain(f.body).headers);
const isCustom = (subclass: string) => (f: EslFrame): boolean =>
  f.headers['Content-Type'] === 'text/event-plain' && eventOf(f)['Event-Subclass'] === subclass;

describe('esl: registrations of the running server', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let c: EslTestClient;

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    c = await EslTestClient.authed(srv.server.esl!.address.port);
  });

  after(async () => {
    c.close();
    await phone.close();
    await srv.close();
  });

  test('REGISTER: sofia::register, show registrations, sofia status; unREGISTER: sofia::unregister', async () => {
    const domain = srv.server.config.sip.domain;
    assert.equal(await c.api(`user_exists id 1000 ${domain}`), 'true');
    assert.equal(await c.api(`user_exists id 4242 ${domain}`), 'false');
    await c.command('event plain CUSTOM sofia::register sofia::unregister');
    const client = new RegistrationClient({
      send: (req) => phone.stack.request(req),
      clock: systemClock,
      registrar: `sip:127.0.0.1:${srv.port}`,
      aor: `sip:1000@${domain}`,
      contact: `<sip:1000@127.0.0.1:${phone.port}>`,
      credentials: { username: '1000', password: srv.server.users.find((u) => u.username === '1000')!.password },
      expires: 300,
    });
    const registered = new Promise<void>((resolve, reject) => {
      client.once('registered', () => resolve());
      client.once('failed', (e) => reject(new Error(`REGISTER failed: ${e.status ?? ''} ${e.reason}`)));
    });
    client.start();
    await registered;
    const reg = eventOf(await c.wait(isCustom('sofia::register')));
    assert.equal(reg['from-user'], '1000');
    assert.equal(reg['from-host'], domain);
    assert.equal(reg['network-port'], String(phone.port));
    assert.equal(reg['status'], 'Registered(UDP)');
    assert.ok(Number(reg['expires']) > 290 && Number(reg['expires']) <= 300, reg['expires']);
    const rows = (await c.api('show registrations')).split('\n');
    assert.match(rows[1] ?? '', new RegExp(`^1000,${domain.replace(/\./g, '\\.')},`));
    assert.match(await c.api('sofia status'), /\n\s+internal\tprofile\t\s+sip:mod_sofia@127\.0\.0\.1:\d+\tRUNNING \(0\)\n/);
    assert.match(await c.api('sofia status profile internal'), /\nREGISTRATIONS\s+\t1\n/);
    await client.stop();
    assert.equal(eventOf(await c.wait(isCustom('sofia::unregister')))['from-user'], '1000');
    assert.equal(await c.api('show registrations'), '\n0 total.\n');
  });
});
