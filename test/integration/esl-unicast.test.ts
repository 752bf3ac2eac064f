/**
 * sendmsg `call-command: unicast` and `nomedia` over real TCP on 127.0.0.1 (specs/esl.md §2.2 sendmsg):
 * the far end's audio leaves as little-endian L16 datagrams to remote-ip:remote-port, datagrams on
 * local-port are played to the far end, and both stop when the channel hangs up; with `transport: tcp`
 * the same bytes go both ways over a connection to remote-ip:remote-port. The leg is a fake one
 * whose media offers an audio tap and a stream player; the UDP sockets are real.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { createServer, type AddressInfo, type Socket as NetSocket } from 'node:net';
import type { AudioChunk, AudioTapOptions, AudioStreamOptions } from '../../src/core/index.ts';
import { mountEsl, type EslMount } from '../../src/api/esl/index.ts';
import { FakeEndpoint, answerAfter, createHarness, type FakeMedia, type Harness } from '../../src/core/testing/index.ts';
import { EslTestClient } from '../support/esl-client.ts';
import { freePort } from '../support/ports.ts';
import { until } from '../support/wait.ts';

let h: Harness;
let ep: FakeEndpoint;
let esl: EslMount;
let c: EslTestClient;
let remote: Socket;
let logLines: { msg?: string; reason?: string }[];

interface Mirror { tap?: AudioTapOptions; onAudio?: (chunk: AudioChunk) => void; stream?: AudioStreamOptions; written: number[][]; tapStopped: boolean; streamStopped: boolean }

/** Gives the fake leg's media a tap and a stream player that the test can drive and watch. */
function mirrorable(m: FakeMedia): Mirror {
  const w: Mirror = { written: [], tapStopped: false, streamStopped: false };
  Object.assign(m, {
    sampleRate: 16000,
    tapAudio: (options: AudioTapOptions, onAudio: (chunk: AudioChunk) => void) => {
      w.tap = options;
      w.onAudio = onAudio;
      return { sampleRate: 16000, channels: 1, done: Promise.resolve(), stop: () => { w.tapStopped = true; } };
    },
    playStream: (options: AudioStreamOptions) => {
      w.stream = options;
      return { write: (pcm: Int16Array) => w.written.push([...pcm]), end: () => undefined, stop: () => { w.streamStopped = true; }, done: new Promise(() => undefined) };
    },
  });
  return w;
}

async function parked(): Promise<string> {
  const id = /^\+OK (\S+)\n$/.exec(await c.api('originate fake:1000 &park()'))?.[1];
  assert.ok(id);
  await h.flush();
  return id;
}

beforeEach(async () => {
  logLines = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => { for (const l of b.toString().split('\n')) if (l) logLines.push(JSON.parse(l) as { msg?: string }); });
  const root = pino({ level: 'info' }, out);
  h = createHarness({});
  ep = new FakeEndpoint(h.clock, { behaviour: answerAfter(0) });
  h.sw.addEndpoint(ep);
  esl = await mountEsl(h.sw, { listen: '127.0.0.1:0', hostname: 'pbx1', heartbeatMs: 0, log: root });
  c = await EslTestClient.authed(esl.address.port);
  remote = createSocket('udp4');
  remote.bind(0, '127.0.0.1');
  await once(remote, 'listening');
});

afterEach(async () => {
  c.close();
  remote.close();
  for (const ch of h.sw.channels()) void ch.hangup();
  await h.flush();
  await esl.close();
  await h.finish();
});

describe('esl sendmsg unicast / nomedia', () => {
  it('unicast mirrors audio both ways over UDP until hangup', async () => {
    const id = await parked();
    const leg = ep.legs.find((l) => l.channel.uuid === id)!;
    const w = mirrorable(leg.media);
    const localPort = await freePort();
    const r = await c.command(`sendmsg ${id}`, {
      'call-command': 'unicast', 'local-ip': '127.0.0.1', 'local-port': String(localPort),
      'remote-ip': '127.0.0.1', 'remote-port': String((remote.address() as AddressInfo).port), transport: 'udp',
    });
    assert.equal(r.headers['Reply-Text'], '+OK');
    await until('the tap', () => w.onAudio !== undefined);
    assert.deepEqual(w.tap, { direction: 'in', sampleRate: 16000, chunkMs: 20 });
    const got = once(remote, 'message');
    w.onAudio!({ pcm: Int16Array.from([1, -2, 300]), sampleRate: 16000, channels: 1 });
    const [msg] = (await got) as [Buffer];
    assert.deepEqual([...msg], [0x01, 0x00, 0xfe, 0xff, 0x2c, 0x01]);
    remote.send(Buffer.from([5, 0, 0xff, 0x7f]), localPort, '127.0.0.1');
    await until('the played datagram', () => w.written.length === 1);
    assert.deepEqual(w.written[0], [5, 32767]);
    assert.deepEqual(w.stream, { sampleRate: 16000 });
    await h.sw.channel(id)!.hangup();
    await h.flush();
    assert.equal(w.tapStopped, true);
    assert.equal(w.streamStopped, true);
    // The local port is free again once the mirror stopped.
    const again = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { again.once('error', reject); again.bind(localPort, '127.0.0.1', resolve); });
    again.close();
  });

  it('unicast over tcp: connects to remote-ip:remote-port, streams L16 both ways, ends when the peer closes', async () => {
    const id = await parked();
    const leg = ep.legs.find((l) => l.channel.uuid === id)!;
    const w = mirrorable(leg.media);
    const peers: NetSocket[] = [];
    const received: Buffer[] = [];
    const server = createServer((s) => {
      peers.push(s);
      s.on('data', (b: Buffer) => received.push(b));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const r = await c.command(`sendmsg ${id}`, {
        'call-command': 'unicast', 'local-ip': '127.0.0.1', 'remote-ip': '127.0.0.1',
        'remote-port': String((server.address() as AddressInfo).port), transport: 'tcp', flags: 'native',
      });
      assert.equal(r.headers['Reply-Text'], '+OK');
      await until('the tap', () => w.onAudio !== undefined && peers.length === 1);
      w.onAudio!({ pcm: Int16Array.from([1, -2]), sampleRate: 16000, channels: 1 });
      w.onAudio!({ pcm: Int16Array.from([300]), sampleRate: 16000, channels: 1 });
      await until('the streamed bytes', () => Buffer.concat(received).length === 6);
      assert.deepEqual([...Buffer.concat(received)], [0x01, 0x00, 0xfe, 0xff, 0x2c, 0x01]);
      // A sample split across two writes is put back together.
      peers[0]!.write(Buffer.from([5, 0, 0xff]));
      await until('the first sample', () => w.written.length === 1);
      peers[0]!.write(Buffer.from([0x7f, 9, 0]));
      await until('the next samples', () => w.written.length === 2);
      assert.deepEqual(w.written, [[5], [32767, 9]]);
      assert.ok(logLines.some((l) => l.msg === 'unicast flags native not offered; sending L16'));
      peers[0]!.end();
      await until('the mirror to stop', () => w.tapStopped && w.streamStopped);
      assert.ok(logLines.some((l) => l.msg === 'unicast ended'));
      assert.equal(h.sw.channel(id)?.ended, false, 'the call goes on');

      // Nobody listening: refused in the log.
      const closed = await freePort();
      const r2 = await c.command(`sendmsg ${id}`, { 'call-command': 'unicast', transport: 'tcp', 'remote-port': String(closed) });
      assert.equal(r2.headers['Reply-Text'], '+OK');
      await until('the log line', () => logLines.some((l) => l.msg === 'sendmsg unicast failed'));
      assert.match(logLines.find((l) => l.msg === 'sendmsg unicast failed')?.reason ?? '', /^cannot connect to 127\.0\.0\.1:\d+: /);
    } finally {
      for (const p of peers) p.destroy();
      server.close();
    }
  });

  it('unicast with an unknown transport, to a bad address or without a media tap is answered +OK and refused in the log; nomedia likewise', async () => {
    const id = await parked();
    const cases: Record<string, string>[] = [{ transport: 'sctp' }, { 'remote-ip': 'not-an-ip' }, {}];
    for (const headers of cases) {
      const r = await c.command(`sendmsg ${id}`, { 'call-command': 'unicast', 'local-port': String(await freePort()), ...headers });
      assert.equal(r.headers['Reply-Text'], '+OK');
    }
    const r = await c.command(`sendmsg ${id}`, { 'call-command': 'nomedia', 'nomedia-uuid': id });
    assert.equal(r.headers['Reply-Text'], '+OK');
    await h.flush();
    await until('the log lines', () => logLines.filter((l) => l.msg === 'sendmsg unicast failed').length === 3);
    assert.deepEqual(logLines.filter((l) => l.msg === 'sendmsg unicast failed').map((l) => l.reason), [
      'invalid transport sctp', 'remote-ip not-an-ip is not an address', 'the channel media cannot be mirrored',
    ]);
    // A parked channel is not bridged: nothing to bypass (media-bypass.test.ts has the bridged case).
    await until('the nomedia log line', () => logLines.some((l) => l.msg === 'sendmsg nomedia failed'));
    assert.equal(h.sw.channel(id)?.ended, false, 'the call goes on');
    assert.match(await c.api(`uuid_exists ${id}`), /^true/);
  });
});
