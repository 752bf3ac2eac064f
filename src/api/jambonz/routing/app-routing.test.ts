import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/index.ts';
import type { Channel } from '../../../core/index.ts';
import { FakeDriver, createHarness, type Harness } from '../../../core/testing/index.ts';
import type { JambonzAccount, JambonzApplication, SessionManager } from '../contract.ts';
import { ProvisioningStore, loadCredentials } from '../provisioning/index.ts';
import { APP_ROUTE_PRIORITY, mountAppRouting, patternOf } from './app-routing.ts';
import { unavailableSessions } from './unavailable-runtime.ts';

const log = silentLogger();
let h: Harness;
let dir: string;
let store: ProvisioningStore;
let started: { channel: Channel; app: JambonzApplication; account: JambonzAccount }[];
let sessions: SessionManager;
const offs: (() => void)[] = [];

beforeEach(() => {
  h = createHarness();
  dir = mkdtempSync(join(tmpdir(), 'sb-route-'));
  store = new ProvisioningStore({
    dataDir: dir, log, credentials: loadCredentials({ dataDir: dir, log }),
    config: {
      applications: [{ name: 'a', app_json: '[]' }, { name: 'b', app_json: '[]' }, { name: 'c', app_json: '[]' }, { name: 'd', app_json: '[]' }],
      phoneNumbers: [{ number: '+15083728299', application: 'a' }],
    },
  });
  started = [];
  sessions = {
    startInbound: (channel, app, account) => {
      started.push({ channel, app, account });
      void channel.hangup();
    },
    createCall: () => Promise.resolve({ status: 500 }),
    get: () => undefined,
    list: () => [],
    close: () => Promise.resolve(),
  };
  // The demo dialplan's kind of rules, at priority 0.
  offs.push(h.sw.router.register({ name: 'demo-echo', number: 'echo' }, () => undefined));
  offs.push(h.sw.router.register({ name: 'demo-user-1000', number: '1000' }, () => undefined));
});

afterEach(async () => {
  for (const off of offs.splice(0)) off();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.finish();
  rmSync(dir, { recursive: true, force: true });
});

const ruleFor = (destination: string, user?: string): string | undefined =>
  h.sw.router.match(user === undefined ? { destination } : { destination, user })?.rule.name;

async function route(destination: string, user?: string): Promise<void> {
  const channel = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver: new FakeDriver(), destination, ...(user === undefined ? {} : { user }) });
  await h.sw.route(channel);
  await h.flush();
}

describe('jambonz application routing', () => {
  it('routes numbers with and without +, patterns, users and a default above the demo rules', async () => {
    offs.push(mountAppRouting({
      router: h.sw.router, store, log, sessions: () => sessions,
      routes: { patterns: [{ pattern: '_77XX', application: 'b' }, { pattern: '/^conf-jz-/', application: 'b' }], users: [{ user: 'alice', application: 'c' }], defaultApplication: 'd' },
    }));
    assert.equal(ruleFor('15083728299'), 'jambonz-number-15083728299');
    assert.equal(ruleFor('+15083728299'), 'jambonz-number-15083728299');
    assert.equal(ruleFor('7701'), 'jambonz-pattern-_77XX');
    assert.equal(ruleFor('conf-jz-room'), 'jambonz-pattern-/^conf-jz-/');
    assert.equal(ruleFor('echo'), 'demo-echo', 'demo numbers keep working');
    assert.equal(ruleFor('1000'), 'demo-user-1000');
    assert.equal(ruleFor('1000', 'alice'), 'jambonz-user-alice', 'the SIP user rule sits above the demo');
    assert.equal(ruleFor('999'), 'jambonz-default');
    assert.equal(h.sw.router.match({ destination: '7701' })?.rule.priority, APP_ROUTE_PRIORITY);

    await route('+15083728299');
    await route('7701');
    await route('echo');
    await route('555', 'alice');
    await route('999');
    assert.deepEqual(started.map((s) => s.app.name), ['a', 'b', 'c', 'd']);
    assert.ok(started.every((s) => s.account.account_sid === store.defaultAccount().account_sid));
    assert.equal(started[0]?.channel.destination, '+15083728299');
  });

  it('follows phone numbers added, reassigned and removed', async () => {
    offs.push(mountAppRouting({ router: h.sw.router, store, log, sessions: () => sessions }));
    assert.equal(ruleFor('4930'), undefined);
    const b = store.resolveApplication('b')!.application_sid;
    const n = store.createPhoneNumber({ number: '4930', application_sid: b });
    assert.ok(n.ok);
    if (!n.ok) return;
    assert.equal(ruleFor('+4930'), 'jambonz-number-4930');
    store.updatePhoneNumber(n.value.phone_number_sid, { application_sid: null });
    assert.equal(ruleFor('4930'), undefined, 'a number without application does not route');
    store.updatePhoneNumber(n.value.phone_number_sid, { application_sid: b });
    await route('4930');
    assert.equal(started.at(-1)?.app.name, 'b');
    store.deletePhoneNumber(n.value.phone_number_sid);
    assert.equal(ruleFor('4930'), undefined);
  });

  it('removes every rule on unmount, once', () => {
    const before = h.sw.router.size;
    const off = mountAppRouting({ router: h.sw.router, store, log, sessions: () => sessions, routes: { patterns: [{ pattern: '9.', application: 'a' }], users: [], defaultApplication: 'a' } });
    assert.equal(h.sw.router.size, before + 4);
    off();
    off();
    assert.equal(h.sw.router.size, before);
    store.createPhoneNumber({ number: '77', application_sid: store.resolveApplication('a')!.application_sid });
    assert.equal(h.sw.router.size, before, 'no rule comes back after unmount');
  });

  it('refuses routes naming unknown applications or bad regexes', () => {
    assert.throws(() => mountAppRouting({ router: h.sw.router, store, log, sessions: () => sessions, routes: { patterns: [{ pattern: '9.', application: 'ghost' }], users: [] } }), /no application "ghost"/);
    assert.throws(() => patternOf('/(/'), /jambonz\.patterns/);
    assert.equal(patternOf('_1XXX'), '_1XXX');
    assert.ok(patternOf('/^a$/i') instanceof RegExp);
  });

  it('refuses the call with 480 when no runtime is there', async () => {
    offs.push(mountAppRouting({ router: h.sw.router, store, log, sessions: () => unavailableSessions(log) }));
    const driver = new FakeDriver();
    const channel = h.sw.createChannel({ direction: 'inbound', endpoint: 'sip', driver, destination: '15083728299' });
    await h.sw.route(channel);
    await h.flush();
    assert.equal(channel.ended, true);
    assert.equal(started.length, 0);
    assert.equal(driver.hangups.length, 1);
    assert.equal(driver.hangups[0]?.options.sipStatus, 480);
  });
});
