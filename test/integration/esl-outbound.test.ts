/**
 * Outbound mode of the event socket over real TCP on 127.0.0.1 (specs/esl.md §3): the `socket` app
 * dials a test application from a configured route, from `originate ... &socket(...)` and from
 * `sendmsg execute socket`; the connect frame, the single-channel command set, static (sync) vs async
 * execution, park and resume, linger, getvar, the disconnect notice and what happens to the call when
 * the socket ends. The switch runs on virtual time with fake media.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mountEsl, type EslMount, type OutboundRoute } from '../../src/api/esl/index.ts';
import type { Channel } from '../../src/core/index.ts';
import {
  FakeDriver, FakeEndpoint, FakeMedia, answerAfter, createHarness, type Harness,
} from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { freePort } from '../support/ports.ts';
import { until } from '../support/wait.ts';

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

/** A listening test application: each connection from the switch becomes an EslTestClient. */
class AppServer {
  readonly server: Server;
  readonly clients: EslTestClient[] = [];
  readonly #waiting: ((c: EslTestClient) => void)[] = [];
  readonly #queue: EslTestClient[] = [];

  constructor() {
    this.server = createServer((socket: Socket) => {
      const c = EslTestClient.wrap(socket);
      this.clients.push(c);
      const w = this.#waiting.shift();
      if (w) w(c);
      else this.#queue.push(c);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  next(timeoutMs = 3000): Promise<EslTestClient> {
    const q = this.#queue.shift();
    if (q) return Promise.resolve(q);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no outbound connection')), timeoutMs);
      this.#waiting.push((c) => { clearTimeout(t); resolve(c); });
    });
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let h: Harness;
let esl: EslMount;
let app: AppServer;
let appPort: number;
let inboundClients: EslTestClient[];

async function mount(routes: (port: number) => OutboundRoute[]): Promise<void> {
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', outbound: routes(appPort) });
}

/** An inbound call to `destination`, routed through the switch. */
function call(destination: string): { channel: Channel; media: FakeMedia; driver: FakeDriver } {
  const media = new FakeMedia();
  const driver = new FakeDriver();
  const channel = h.sw.createChannel({
    direction: 'inbound', endpoint: 'sip', name: `sip/alice@127.0.0.1`, destination,
    caller: { number: '1000', name: 'Alice Smith' }, driver, media,
  });
  void h.sw.route(channel);
  return { channel, media, driver };
}

function headersOf(f: EslFrame): Record<string, string> {
  if (f.headers['Content-Type'] === 'text/event-json') return JSON.parse(f.body) as Record<string, string>;
  return Object.fromEntries(parsePlain(f.body).headers);
}

function isEvent(name: string, extra: (e: Record<string, string>) => boolean = () => true): (f: EslFrame) => boolean {
  return (f) => (f.headers['Content-Type'] ?? '').startsWith('text/event-') && headersOf(f)['Event-Name'] === name && extra(headersOf(f));
}

const isReply = (f: EslFrame): boolean => f.headers['Content-Type'] === 'command/reply' && f.headers['Event-Name'] === undefined;

async function connect(c: EslTestClient): Promise<EslFrame> {
  c.send('connect\n\n');
  return c.wait((f) => f.headers['Event-Name'] === 'CHANNEL_DATA');
}

function execute(c: EslTestClient, appName: string, arg: string, extra: Record<string, string> = {}): void {
  const lines = Object.entries({ 'call-command': 'execute', 'execute-app-name': appName, 'execute-app-arg': arg, ...extra })
    .map(([k, v]) => `${k}: ${v}\n`).join('');
  c.send(`sendmsg\n${lines}\n`);
}

beforeEach(async () => {
  h = createHarness();
  h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
  app = new AppServer();
  appPort = await app.listen();
  inboundClients = [];
});

afterEach(async () => {
  for (const c of inboundClients) c.close();
  await app.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl outbound: static (sync) single-channel socket from a configured route', () => {
  beforeEach(() => mount((port) => [{ number: '5000', target: `127.0.0.1:${port}` }]));

  it('connect frame: CHANNEL_DATA, URL-encoded, the reply headers last, no Content-Length', async () => {
    const { channel } = call('5000');
    const c = await app.next();
    const f = await connect(c);
    assert.equal(f.order[0], 'Event-Name');
    assert.equal(f.headers['Event-Name'], 'CHANNEL_DATA');
    assert.ok(f.raw.endsWith('Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: static\nControl: single-channel\n\n'), f.raw.slice(-200));
    assert.equal(f.headers['Content-Length'], undefined);
    assert.equal(f.headers['Unique-ID'], channel.uuid);
    assert.equal(f.headers['Channel-Unique-ID'], channel.uuid);
    assert.equal(f.headers['Channel-Destination-Number'], '5000');
    assert.equal(f.headers['Caller-Caller-ID-Name'], 'Alice%20Smith');
    assert.equal(f.headers['Channel-Channel-Name'], 'sip/alice%40127.0.0.1');
    assert.equal(f.headers['variable_socket_host'], '127.0.0.1');
    assert.ok(f.order.indexOf('Channel-Direction') < f.order.indexOf('Channel-State'), 'profile before the channel block');
    assert.ok(f.order.indexOf('Event-Sequence') < f.order.indexOf('Channel-Direction'));
  });

  it('without full only the single-channel commands work; getvar answers the raw value', async () => {
    call('5000');
    const c = await app.next();
    await connect(c);
    for (const line of ['event plain ALL', 'linger', 'api status', 'bgapi status', 'log 7', 'nixevent ALL', 'noevents', 'sendevent CUSTOM']) {
      assert.equal((await c.command(line)).headers['Reply-Text'], '-ERR command not found', line);
    }
    assert.equal((await c.command('getvar socket_host')).headers['Reply-Text'], '127.0.0.1');
    assert.equal((await c.command('getvar not_there')).headers['Reply-Text'], '-ERR command not found');
    assert.equal((await c.command('filter Unique-ID x')).headers['Reply-Text'], '+OK filter added. [Unique-ID]=[x]');
    assert.equal((await c.command('filter delete Unique-ID')).headers['Reply-Text'], '+OK filter deleted. [Unique-ID][]');
    assert.equal((await c.command('myevents')).headers['Reply-Text'], '+OK Events Enabled');
    assert.equal((await c.command('myevents')).headers['Reply-Text'], '-ERR aready enabled.');
  });

  it('sync sendmsg: +OK only after the app returned, then its events; hangup ends the socket with the session notice', async () => {
    const { channel, media } = call('5000');
    const c = await app.next();
    await connect(c);
    await c.command('myevents');
    execute(c, 'answer', '', { 'Event-UUID': 'ans-1' });
    await c.next('command/reply');
    const done = await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application-UUID'] === 'ans-1'));
    assert.equal(headersOf(done)['Application'], 'answer');
    assert.ok(channel.answered);

    execute(c, 'playback', '/tmp/hello.wav', { 'Event-UUID': 'play-1' });
    await until('the playback started', () => media.plays.length === 1, 2000);
    await h.flush();
    assert.equal(c.frames.filter(isReply).length, 0, 'no reply while the playback runs');
    media.plays[0]!.finish();
    const reply = await c.next('command/reply');
    assert.equal(reply.headers['Reply-Text'], '+OK');
    const complete = await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application-UUID'] === 'play-1'));
    assert.equal(headersOf(complete)['Application-Response'], 'FILE PLAYED');

    c.send('sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n');
    const bye = await c.next('text/disconnect-notice');
    assert.equal(bye.raw, `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${channel.uuid}\n`
      + `Content-Disposition: disconnect\nContent-Length: 67\n\n${GOODBYE}`);
    await c.closed();
    await until('the channel is gone', () => h.sw.channels().length === 0, 2000);
    assert.equal(channel.hangupCause, 'USER_BUSY');
  });

  it('events produced while a sync app runs follow its reply', async () => {
    const { media } = call('5000');
    const c = await app.next();
    await connect(c);
    await c.command('myevents');
    const seen: string[] = [];
    c.socket.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/Reply-Text: (\S+)|"Event-Name":"(\w+)"|Event-Name: (\w+)/g)) seen.push(m[1] ?? m[2] ?? m[3] ?? '');
    });
    execute(c, 'playback', '/tmp/a.wav');
    await until('the playback started', () => media.plays.length === 1, 2000);
    media.plays[0]!.finish();
    await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE'));
    const ok = seen.indexOf('+OK');
    assert.ok(ok >= 0, seen.join(','));
    assert.ok(seen.indexOf('CHANNEL_EXECUTE') > ok, seen.join(','));
    assert.ok(seen.indexOf('CHANNEL_EXECUTE_COMPLETE') > ok, seen.join(','));
  });

  it('when the application closes the socket the call hangs up (last dialplan instruction)', async () => {
    const { channel } = call('5000');
    const c = await app.next();
    await connect(c);
    c.send('exit\n\n');
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK bye');
    await c.closed();
    await until('the channel is gone', () => h.sw.channels().length === 0, 2000);
    assert.equal(channel.hangupCause, 'NORMAL_CLEARING');
  });

  it('the first command is answered only when it is connect', async () => {
    call('5000');
    const c = await app.next();
    c.send('getvar socket_host\n\n');
    const f = await connect(c);
    assert.equal(c.frames.length, 0, 'nothing before the connect frame');
    assert.equal(f.headers['Event-Name'], 'CHANNEL_DATA');
  });

  it('no command within the timeout: session disconnect notice, close, call hangs up', async () => {
    const { channel } = call('5000');
    const c = await app.next();
    await h.tick(25_000);
    const bye = await c.next('text/disconnect-notice');
    assert.equal(bye.headers['Controlled-Session-UUID'], channel.uuid);
    await c.closed();
    await until('the channel is gone', () => h.sw.channels().length === 0, 2000);
  });

  it('garbage from the application drops the socket and the call, the switch keeps serving', async () => {
    call('5000');
    const c = await app.next();
    await connect(c);
    c.send('sendmsg\nContent-Length: 99999999999\n\n');
    await c.closed();
    await until('the channel is gone', () => h.sw.channels().length === 0, 2000);
    call('5000');
    const d = await app.next();
    assert.equal((await connect(d)).headers['Event-Name'], 'CHANNEL_DATA');
  });
});

describe('esl outbound: async full socket', () => {
  beforeEach(() => mount((port) => [{ pattern: '_6XXX', target: `127.0.0.1:${port} async full` }]));

  it('parks the channel, replies at once, streams events; full allows event/api/linger', async () => {
    const { channel, media } = call('6001');
    const c = await app.next();
    const f = await connect(c);
    assert.ok(f.raw.endsWith('Socket-Mode: async\nControl: full\n\n'));
    assert.equal((await c.command(`filter Unique-ID ${channel.uuid}`)).headers['Reply-Text'], `+OK filter added. [Unique-ID]=[${channel.uuid}]`);
    assert.equal((await c.command('event json ALL')).headers['Reply-Text'], '+OK event listener enabled json');
    assert.match(await c.api('uptime'), /^\d+\n$/);
    assert.equal((await c.command('linger')).headers['Reply-Text'], '+OK will linger');
    execute(c, 'playback', '/tmp/a.wav', { 'Event-UUID': 'p1' });
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK', 'async: +OK before the app ends');
    await c.wait(isEvent('CHANNEL_EXECUTE', (e) => e['Application-UUID'] === 'p1'));
    await until('the playback started', () => media.plays.length === 1, 2000);
    media.plays[0]!.finish();
    await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application-UUID'] === 'p1'));
    const watcher = await EslTestClient.authed(esl.address.port);
    inboundClients.push(watcher);
    await watcher.command('event plain CHANNEL_DESTROY CHANNEL_HANGUP_COMPLETE');
    c.send('sendmsg\ncall-command: hangup\n\n');
    const linger = await c.wait((f2) => f2.headers['Content-Disposition'] === 'linger');
    assert.equal(linger.raw, `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${channel.uuid}\n`
      + `Content-Disposition: linger\nChannel-Name: sip/alice@127.0.0.1\nLinger-Time: -1\nContent-Length: 0\n\n`);
    const complete = headersOf(await c.wait(isEvent('CHANNEL_HANGUP_COMPLETE')));
    assert.equal(complete['Hangup-Cause'], 'NORMAL_CLEARING');
    await until('the channel is destroyed', () => h.sw.channels().length === 0, 2000);
    assert.match(await c.api('uptime'), /^\d+\n$/);
    assert.equal(c.frames.filter((x) => isEvent('CHANNEL_DESTROY')(x) || isEvent('CHANNEL_STATE', (e) => e['Channel-State'] === 'CS_DESTROY')(x)).length, 0,
      'a lingering socket does not see its channel destroyed');
    assert.equal((await c.next('command/reply')).headers['Reply-Text'], '+OK', 'the hangup sendmsg');
    assert.equal((await c.command('getvar hangup_cause')).headers['Reply-Text'], 'NORMAL_CLEARING', 'the session is still held');
    assert.match((await c.command('getvar billsec')).headers['Reply-Text'] ?? '', /^\d+$/);
    await watcher.wait(isEvent('CHANNEL_HANGUP_COMPLETE', (e) => e['Unique-ID'] === channel.uuid));
    assert.equal(await watcher.api(`uuid_exists ${channel.uuid}`), 'false');
    assert.equal(watcher.frames.filter(isEvent('CHANNEL_DESTROY')).length, 0, 'nobody sees the destroy while the socket lingers');
    c.send('exit\n\n');
    await c.closed();
    const destroyed = headersOf(await watcher.wait(isEvent('CHANNEL_DESTROY', (e) => e['Unique-ID'] === channel.uuid)));
    assert.equal(destroyed['Channel-State'], 'CS_DESTROY');
  });

  it('CHANNEL_PARK once connected, CHANNEL_UNPARK when the socket ends; then the call hangs up', async () => {
    const watcher = await EslTestClient.authed(esl.address.port);
    inboundClients.push(watcher);
    await watcher.command('event plain CHANNEL_PARK CHANNEL_UNPARK CHANNEL_HANGUP');
    const { channel } = call('6002');
    const c = await app.next();
    await connect(c);
    const park = headersOf(await watcher.wait(isEvent('CHANNEL_PARK')));
    assert.equal(park['Unique-ID'], channel.uuid);
    c.send('exit\n\n');
    await watcher.wait(isEvent('CHANNEL_UNPARK', (e) => e['Unique-ID'] === channel.uuid));
    const hup = headersOf(await watcher.wait(isEvent('CHANNEL_HANGUP')));
    assert.equal(hup['Hangup-Cause'], 'NORMAL_CLEARING');
  });

  it('a channel the socket parked stays up after the socket ends; with resume it hangs up', async () => {
    const { channel } = call('6003');
    const c = await app.next();
    await connect(c);
    execute(c, 'park', '');
    await c.next('command/reply');
    c.send('exit\n\n');
    await c.closed();
    await h.flush();
    assert.equal(channel.ended, false, 'parked: still up');
    await channel.hangup();

    const second = call('6004');
    const d = await app.next();
    await connect(d);
    execute(d, 'park', '');
    await d.next('command/reply');
    assert.equal((await d.command('resume')).headers['Reply-Text'], '+OK');
    d.send('exit\n\n');
    await d.closed();
    await until('the resumed channel hangs up', () => second.channel.ended, 2000);
    assert.equal(second.channel.hangupCause, 'NORMAL_CLEARING');
  });
});

describe('esl outbound: socket from originate and from sendmsg', () => {
  beforeEach(() => mount(() => []));

  it('originate ... &socket(host:port async full) dials the application for the new leg', async () => {
    const c = await EslTestClient.authed(esl.address.port);
    inboundClients.push(c);
    const out = await c.api(`originate fake:1000 &socket(127.0.0.1:${appPort} async full)`);
    const uuid = /^\+OK (\S+)\n$/.exec(out)?.[1];
    assert.ok(uuid, out);
    const s = await app.next();
    const f = await connect(s);
    assert.equal(f.headers['Unique-ID'], uuid);
    assert.equal(f.headers['Call-Direction'], 'outbound');
    s.send('sendmsg\ncall-command: hangup\n\n');
    await s.closed();
    await until('the leg is gone', () => h.sw.channels().length === 0, 2000);
  });

  it('sendmsg execute socket from an inbound client; an unreachable target just returns', async () => {
    const c = await EslTestClient.authed(esl.address.port);
    inboundClients.push(c);
    const uuid = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1] ?? '';
    await c.command('event plain CHANNEL_EXECUTE_COMPLETE');
    const closedPort = await freePort();
    await c.command(`sendmsg ${uuid}`, {
      'call-command': 'execute', 'execute-app-name': 'socket', 'execute-app-arg': `127.0.0.1:${closedPort}`, 'Event-UUID': 'bad',
    });
    await c.wait(isEvent('CHANNEL_EXECUTE_COMPLETE', (e) => e['Application-UUID'] === 'bad'));
    assert.ok(h.sw.channel(uuid), 'still parked after a failed socket');
    await c.command(`sendmsg ${uuid}`, {
      'call-command': 'execute', 'execute-app-name': 'socket', 'execute-app-arg': `127.0.0.1:${appPort} async`,
    });
    const s = await app.next();
    assert.equal((await connect(s)).headers['Unique-ID'], uuid);
    assert.equal((await s.command('getvar uuid')).headers['Reply-Text'], uuid);
    s.send('exit\n\n');
    await s.closed();
    await h.flush();
    assert.ok(h.sw.channel(uuid), 'the earlier park still holds the channel');
  });
});
