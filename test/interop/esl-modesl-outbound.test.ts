/**
 * Interop with the npm client `modesl` in outbound mode (its `Server`, specs/esl.md §3, §8.2), unchanged:
 * the whole server runs with `esl.outbound` routes; the scripted test phone calls in over SIP, the call
 * is routed to the `socket` app, and a modesl Server answers it, plays a 440 Hz tone and hangs up —
 * once through an `async full` socket, once through a static single-channel socket with `myevents`.
 * The phone must hear the tone, and the server must end up with no channel, dialog or RTP port left.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer, type Server as NetServer } from 'node:net';
import type { Server } from '../../src/main.ts';
import { startEslServer, type EslTestServer } from '../support/esl-server.ts';
import { TestPhone } from '../support/test-phone.ts';
import { waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

interface ModeslEvent {
  getHeader(name: string): string | undefined;
}

interface ModeslConnection {
  execute(app: string, arg: string, cb: (evt: ModeslEvent) => void): void;
  getInfo(): ModeslEvent;
  disconnect(): void;
}

interface ModeslServer {
  on(event: string, listener: (conn: ModeslConnection, id: string) => void): void;
}

type ModeslModule = { Server: new (opts: { server: NetServer; myevents?: boolean }, ready?: () => void) => ModeslServer };

const modesl = createRequire(import.meta.url)('modesl') as ModeslModule;

const TONE = 'tone_stream://%(1500,0,440)';

async function listen(): Promise<{ net: NetServer; port: number }> {
  const net = createServer();
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));
  return { net, port: (net.address() as { port: number }).port };
}

const exec = (c: ModeslConnection, app: string, arg: string): Promise<ModeslEvent> =>
  new Promise((resolve) => c.execute(app, arg, resolve));

/** Answer, play the tone, hang up: what each modesl application does with its call. */
function script(server: ModeslServer, results: string[]): void {
  server.on('connection::ready', (conn) => {
    void (async () => {
      const uuid = conn.getInfo().getHeader('Unique-ID') ?? '';
      results.push(`connected:${uuid !== ''}`);
      const answered = await exec(conn, 'answer', '');
      results.push(`answer:${answered.getHeader('Event-Name') ?? ''}`);
      const played = await exec(conn, 'playback', TONE);
      results.push(`playback:${played.getHeader('Application-Response') ?? ''}`);
      await exec(conn, 'hangup', 'NORMAL_CLEARING');
    })();
  });
}

describe('interop: npm modesl@1 outbound Server driving a SIP call', () => {
  let srv: EslTestServer;
  let server: Server;
  let phone: TestPhone;
  let sipPort: number;
  const nets: NetServer[] = [];
  const asyncResults: string[] = [];
  const syncResults: string[] = [];

  before(async () => {
    const a = await listen();
    const s = await listen();
    nets.push(a.net, s.net);
    script(new modesl.Server({ server: a.net }), asyncResults);
    script(new modesl.Server({ server: s.net, myevents: true }), syncResults);
    srv = await startEslServer({
      outbound: [
        { number: '7000', target: `127.0.0.1:${a.port} async full` },
        { number: '7001', target: `127.0.0.1:${s.port}` },
      ],
    });
    ({ server, sipPort } = srv);
    phone = await TestPhone.start();
  });

  after(async () => {
    await phone.close();
    await srv.close();
    for (const n of nets) n.close();
  });

  for (const [number, label, results] of [['7000', 'async full', asyncResults], ['7001', 'static, myevents', syncResults]] as const) {
    it(`${label}: answer, playback, hangup`, async () => {
      const r = await phone.call(`sip:${number}@127.0.0.1:${sipPort}`);
      assert.ok(r.ok, `answered (${r.ok ? '' : r.status})`);
      await until('the application hung up', () => server.sw.counts().channels === 0, 8000);
      assert.deepEqual(results, ['connected:true', 'answer:CHANNEL_EXECUTE_COMPLETE', 'playback:FILE PLAYED']);
      assert.ok(r.call.received.length >= 40, `${r.call.received.length} RTP packets`);
      assert.ok(r.call.receivedLevel() > 1000, `tone level ${r.call.receivedLevel().toFixed(0)}`);
      await waitIdle(server, until);
      await server.sw.flushCdrs();
      const cdr = (await server.cdrs.list({})).find((c) => c.callee.number === number);
      assert.equal(cdr?.hangupCause, 'NORMAL_CLEARING');
      assert.equal(cdr?.hangupBy, 'local');
    });
  }
});
