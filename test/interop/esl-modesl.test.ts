/**
 * Interop with the npm client `modesl` (specs/esl.md §8.2), unchanged, against the inbound event socket
 * on 127.0.0.1: connect + auth, api('status'), bgapi with BACKGROUND_JOB matching, JSON and plain event
 * subscriptions following a call, execute() completing on CHANNEL_EXECUTE_COMPLETE, disconnect.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, type Harness } from '../../src/core/testing/index.ts';

interface ModeslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string;
  getType(): string;
}

interface ModeslConnection {
  api(command: string, args: string, cb: (res: ModeslEvent) => void): void;
  bgapi(command: string, args: string, cb: (evt: ModeslEvent) => void): void;
  events(type: string, events: string, cb: (res: ModeslEvent) => void): void;
  filter(header: string, value: string, cb: (res: ModeslEvent) => void): void;
  execute(app: string, arg: string, uuid: string, cb: (evt: ModeslEvent) => void): void;
  on(event: string, listener: (evt: ModeslEvent) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  disconnect(): void;
}

type ModeslModule = { Connection: new (host: string, port: number, password: string, ready?: () => void) => ModeslConnection };

const modesl = createRequire(import.meta.url)('modesl') as ModeslModule;

let h: Harness;
let esl: EslMount;
let conns: ModeslConnection[];

function open(password = 'ClueCon'): Promise<ModeslConnection> {
  return new Promise((resolve, reject) => {
    const c = new modesl.Connection('127.0.0.1', esl.address.port, password);
    conns.push(c);
    c.once('esl::ready', () => resolve(c));
    c.once('esl::event::auth::fail', () => reject(new Error('auth failed')));
    c.once('error', (err) => reject(err as Error));
  });
}

const call = <T>(fn: (cb: (v: T) => void) => void): Promise<T> => new Promise((resolve) => fn(resolve));

beforeEach(async () => {
  h = createHarness();
  h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1' });
  conns = [];
});

afterEach(async () => {
  for (const c of conns) c.disconnect();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('interop: npm modesl@1 (inbound)', () => {
  it('connects, authenticates and runs api status', async () => {
    const c = await open();
    const res = await call<ModeslEvent>((cb) => c.api('status', '', cb));
    assert.equal(res.getHeader('Content-Type'), 'api/response');
    assert.match(res.getBody(), /^UP 0 years/);
  });

  it('fails authentication with a wrong password', async () => {
    await assert.rejects(open('wrong'), /auth failed/);
  });

  it('bgapi resolves with the matching BACKGROUND_JOB', async () => {
    const c = await open();
    const evt = await call<ModeslEvent>((cb) => c.bgapi('originate', 'fake:1000 &park()', cb));
    assert.equal(evt.getHeader('Event-Name'), 'BACKGROUND_JOB');
    assert.match(evt.getBody(), /^\+OK [0-9a-f-]{36}\n$/);
  });

  for (const format of ['json', 'plain', 'xml']) {
    it(`receives ${format} channel events and executes an app`, async () => {
      const c = await open();
      await call<ModeslEvent>((cb) => c.events(format, 'CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE CHANNEL_DESTROY', cb));
      const seen: string[] = [];
      const destroyed = new Promise<ModeslEvent>((resolve) => {
        c.on('esl::event::CHANNEL_DESTROY::**', resolve);
      });
      for (const n of ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE']) {
        c.on(`esl::event::${n}::**`, (e) => seen.push(e.getHeader('Event-Name') ?? ''));
      }
      const res = await call<ModeslEvent>((cb) => c.api('originate', 'fake:1000@example.com &park()', cb));
      const uuid = /^\+OK (\S+)\n$/.exec(res.getBody())?.[1] ?? '';
      const done = await call<ModeslEvent>((cb) => c.execute('set', 'foo=bar baz', uuid, cb));
      assert.equal(done.getHeader('Event-Name'), 'CHANNEL_EXECUTE_COMPLETE');
      // XML header text is URL-encoded by the original too, and modesl does not decode it.
      const raw = (v: string): string => (format === 'xml' ? encodeURIComponent(v).replace(/%2F/g, '/') : v);
      assert.equal(done.getHeader('variable_foo'), raw('bar baz'));
      await call<ModeslEvent>((cb) => c.api('uuid_kill', uuid, cb));
      const d = await destroyed;
      assert.equal(d.getHeader('Unique-ID'), uuid);
      assert.equal(d.getHeader('Channel-Name'), raw('fake/fake:1000@example.com'));
      assert.deepEqual(seen, ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE']);
    });
  }
});
