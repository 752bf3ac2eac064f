/**
 * The configured dialplan (FreeSWITCH XML dialplan semantics without XML; docs/compat/esl.md Dialplan)
 * on calls routed by the switch: parking (CHANNEL_PARK seen by an inbound event socket client with the
 * real Caller-Context), `socket` to an outbound application, regex captures in app data, anti-actions,
 * continue, transfer into another context, execute_extension, and the order against other routes.
 * The switch runs on virtual time with fake media; the event socket is real TCP on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mountEsl, type DialplanOptions, type EslMount } from '../../src/api/esl/index.ts';
import type { Channel } from '../../src/core/index.ts';
import { FakeDriver, FakeEndpoint, FakeMedia, answerAfter, createHarness, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { sleep, until } from '../support/wait.ts';

let h: Harness;
let esl: EslMount | undefined;
let clients: EslTestClient[];
let appServer: Server | undefined;

function call(destination: string, callerNumber = '1000'): { channel: Channel; media: FakeMedia } {
  const media = new FakeMedia();
  const channel = h.sw.createChannel({
    direction: 'inbound', endpoint: 'sip', name: 'sip/alice@127.0.0.1', destination,
    caller: { number: callerNumber, name: 'Alice' }, driver: new FakeDriver(), media,
  });
  void h.sw.route(channel);
  return { channel, media };
}

function headersOf(f: EslFrame): Record<string, string> {
  return Object.fromEntries(parsePlain(f.body).headers);
}

function isEvent(name: string, uuid: string): (f: EslFrame) => boolean {
  return (f) => f.headers['Content-Type'] === 'text/event-plain' && headersOf(f)['Event-Name'] === name && headersOf(f)['Unique-ID'] === uuid;
}

async function mount(dialplan: DialplanOptions): Promise<EslTestClient> {
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', dialplan, heartbeatMs: 0 });
  const c = await EslTestClient.authed(esl.address.port);
  clients.push(c);
  await c.command('event plain CHANNEL_PARK CHANNEL_EXECUTE CHANNEL_HANGUP');
  return c;
}

beforeEach(() => {
  h = createHarness();
  h.sw.addEndpoint(new FakeEndpoint(h.clock, { behaviour: answerAfter(0) }));
  clients = [];
  esl = undefined;
  appServer = undefined;
});

afterEach(async () => {
  for (const c of clients) c.close();
  if (appServer) await new Promise<void>((resolve) => appServer!.close(() => resolve()));
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl?.close();
  await h.finish();
});

const CONTEXTS: DialplanOptions['contexts'] = {
  default: [
    { name: 'tag', continue: true, conditions: [
      { field: 'caller_id_number', expression: '^1000$', actions: [{ app: 'set', data: 'vip=yes' }], antiActions: [{ app: 'set', data: 'vip=no' }] },
    ] },
    { name: 'park', conditions: [{ field: 'destination_number', expression: '^5000$', actions: [{ app: 'answer' }, { app: 'park' }] }] },
    { name: 'tone', conditions: [{ field: 'destination_number', expression: '^7(\\d{3})(\\d)$', actions: [
      { app: 'set', data: 'freq=$1', inline: true },
      { app: 'playback', data: 'tone_stream://%(200,100,$1);loops=$2' },
      { app: 'playback', data: 'tone_stream://%(100,0,${freq})' },
    ] }] },
    { name: 'xfer', conditions: [{ field: 'destination_number', expression: '^8000$', actions: [{ app: 'transfer', data: '9000 XML other' }] }] },
    { name: 'exec', conditions: [{ field: 'destination_number', expression: '^8100$', actions: [
      { app: 'execute_extension', data: '9000 XML other' }, { app: 'set', data: 'after=exec' }, { app: 'park' },
    ] }] },
    { name: 'strict', conditions: [
      { field: 'destination_number', expression: '^4000$' },
      { field: 'caller_id_name', expression: '^Bob$', actions: [{ app: 'park' }] },
    ] },
  ],
  other: [{ name: 'landing', conditions: [{ field: 'destination_number', expression: '^9000$', actions: [{ app: 'set', data: 'landed=${context}' }, { app: 'park' }] }] }],
};

describe('esl dialplan from the config', () => {
  it('parks a call: CHANNEL_PARK with Caller-Context default; anti-actions and continue ran first', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel } = call('5000', '2000');
    const park = headersOf(await c.wait(isEvent('CHANNEL_PARK', channel.uuid)));
    assert.equal(park['Caller-Context'], 'default');
    assert.equal(park['Caller-Destination-Number'], '5000');
    assert.equal(channel.getVariable('vip'), 'no');
    assert.equal(channel.answered, true);
    const { channel: vip } = call('5000', '1000');
    await c.wait(isEvent('CHANNEL_PARK', vip.uuid));
    assert.equal(vip.getVariable('vip'), 'yes');
  });

  it('regex captures and inline set in the app data', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel, media } = call('74403');
    const first = headersOf(await c.wait((f) => isEvent('CHANNEL_EXECUTE', channel.uuid)(f) && headersOf(f)['Application'] === 'playback'));
    assert.equal(first['Application-Data'], 'tone_stream://%(200,100,440);loops=3');
    await until('condition', () => media.plays.length === 1);
    media.plays[0]!.finish();
    const second = headersOf(await c.wait((f) => isEvent('CHANNEL_EXECUTE', channel.uuid)(f) && headersOf(f)['Application'] === 'playback'));
    assert.equal(second['Application-Data'], 'tone_stream://%(100,0,440)');
    assert.equal(channel.getVariable('freq'), '440');
    await until('condition', () => media.plays.length === 2);
    media.plays[1]!.finish();
    // After the last application the call is hung up.
    const hup = headersOf(await c.wait(isEvent('CHANNEL_HANGUP', channel.uuid)));
    assert.equal(hup['Hangup-Cause'], 'NORMAL_CLEARING');
  });

  it('transfer <x> XML <context> runs the other context; Caller-Context follows', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel } = call('8000');
    const park = headersOf(await c.wait(isEvent('CHANNEL_PARK', channel.uuid)));
    assert.equal(park['Caller-Context'], 'other');
    assert.equal(park['Caller-Destination-Number'], '9000');
    assert.equal(channel.getVariable('landed'), 'other');
    assert.equal(channel.ended, false);
  });

  it('execute_extension runs the extension, then the rest of the list', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel } = call('8100');
    await c.wait(isEvent('CHANNEL_PARK', channel.uuid));
    // The extension of `other` ran, but the leg stays in its own context (as the original's execute_extension).
    assert.equal(channel.getVariable('landed'), 'default');
    // The extension's park lets the list go on: the caller's own steps follow, the leg stays parked.
    await until('after', () => channel.getVariable('after') === 'exec');
    assert.equal(channel.ended, false);
  });

  it('the conditions of an extension must all hold: no match hangs up NO_ROUTE_DESTINATION', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel } = call('4000');
    const hup = headersOf(await c.wait(isEvent('CHANNEL_HANGUP', channel.uuid)));
    // The `tag` anti-action was collected, so the hunt found steps; the call ends after them.
    assert.equal(hup['Hangup-Cause'], 'NORMAL_CLEARING');
    assert.equal(channel.getVariable('vip'), 'yes');
    const empty = await mount2({ default: [{ name: 'only', conditions: [{ field: 'destination_number', expression: '^4' }, { field: 'caller_id_name', expression: '^Bob$', actions: [{ app: 'park' }] }] }] });
    const { channel: ch2 } = call('4001');
    await until('condition', () => ch2.ended);
    assert.equal(ch2.hangupCause, 'NO_ROUTE_DESTINATION');
    await empty.close();
  });

  it('sends a call to an outbound socket application with the context in the connect frame', async () => {
    let conn: EslTestClient | undefined;
    appServer = createServer((s: Socket) => { conn = EslTestClient.wrap(s); clients.push(conn); });
    await new Promise<void>((resolve) => appServer!.listen(0, '127.0.0.1', resolve));
    const port = (appServer.address() as { port: number }).port;
    await mount({ contexts: { default: [{ name: 'sock', conditions: [{ field: 'destination_number', expression: '^6\\d+$', actions: [{ app: 'socket', data: `127.0.0.1:${port} async full` }] }] }] } });
    const { channel } = call('6123');
    await until('condition', () => conn !== undefined);
    conn!.send('connect\n\n');
    const f = await conn!.wait((x) => x.headers['Event-Name'] === 'CHANNEL_DATA');
    assert.equal(f.headers['Unique-ID'], channel.uuid);
    assert.equal(f.headers['Caller-Context'], 'default');
    assert.equal(f.headers['Channel-Destination-Number'], '6123');
    assert.equal(f.headers['variable_context'], 'default');
  });

  it('routing order: an exact number of another API wins; the dialplan beats a default route', async () => {
    const won: string[] = [];
    h.sw.router.register({ name: 'app-number', priority: 100, number: '5000' }, (ch) => { won.push(`number:${ch.destination}`); void ch.hangup(); });
    h.sw.router.register({ name: 'app-default', priority: 100, default: true }, (ch) => { won.push(`default:${ch.destination}`); void ch.hangup(); });
    const c = await mount({ contexts: CONTEXTS });
    const a = call('5000');
    await until('condition', () => a.channel.ended);
    const { channel } = call('74403');
    await c.wait((f) => isEvent('CHANNEL_EXECUTE', channel.uuid)(f));
    const b = call('12345');
    await until('condition', () => b.channel.ended);
    assert.deepEqual(won, ['number:5000', 'default:12345']);
  });

  it('catchAll takes the calls nothing else claims, ahead of another default', async () => {
    h.sw.router.register({ name: 'app-default', priority: 100, default: true }, (ch) => { void ch.hangup('CALL_REJECTED'); });
    const c = await mount({ contexts: { default: [{ name: 'any', conditions: [{ field: 'caller_id_number', expression: '^1000$', actions: [{ app: 'park' }] }] }] }, catchAll: true });
    const { channel } = call('999');
    await c.wait(isEvent('CHANNEL_PARK', channel.uuid));
    const other = call('999', '2000');
    await until('condition', () => other.channel.ended);
    assert.equal(other.channel.hangupCause, 'NO_ROUTE_DESTINATION');
  });

  it('a uuid_transfer while the list runs stops it; the new destination runs instead', async () => {
    const contexts: DialplanOptions['contexts'] = {
      default: [
        { name: 'long', conditions: [{ field: 'destination_number', expression: '^3000$', actions: [{ app: 'playback', data: 'silence_stream://60000' }, { app: 'set', data: 'after=yes' }] }] },
        ...(CONTEXTS['default'] ?? []),
      ],
    };
    const c = await mount({ contexts });
    const { channel, media } = call('3000');
    await until('playback', () => media.plays.length === 1);
    assert.equal(await c.api(`uuid_transfer ${channel.uuid} 5000`), '+OK\n');
    const park = headersOf(await c.wait(isEvent('CHANNEL_PARK', channel.uuid)));
    assert.equal(park['Caller-Destination-Number'], '5000');
    await sleep(50);
    await h.flush();
    assert.equal(channel.getVariable('after'), undefined);
    assert.equal(channel.ended, false);
  });

  it('uuid_transfer <uuid> <dest> XML <context> moves a parked call into that context', async () => {
    const c = await mount({ contexts: CONTEXTS });
    const { channel } = call('5000');
    await c.wait(isEvent('CHANNEL_PARK', channel.uuid));
    assert.equal(await c.api(`uuid_transfer ${channel.uuid} 9000 XML other`), '+OK\n');
    await until('landed in the other context', () => channel.getVariable('landed') === 'other');
    assert.equal(channel.ended, false);
  });

  it('a bad expression refuses the mount with ESL_DIALPLAN_INVALID', async () => {
    await assert.rejects(mountEsl(h.sw, { listen: '127.0.0.1:0', dialplan: { contexts: { default: [{ name: 'bad', conditions: [{ field: 'destination_number', expression: '^(5' }] }] } } }),
      (err: { code?: string }) => err.code === 'ESL_DIALPLAN_INVALID');
    assert.equal(h.sw.router.size, 0);
  });
});

async function mount2(contexts: DialplanOptions['contexts']): Promise<EslMount> {
  await esl?.close();
  esl = undefined;
  return mountEsl(h.sw, { listen: '127.0.0.1:0', dialplan: { contexts }, heartbeatMs: 0 });
}
