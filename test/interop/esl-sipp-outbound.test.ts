/**
 * Outbound event sockets (the `socket` app through `esl.outbound` routes, specs/esl.md §3) controlling
 * a call that sipp (`-sn uac`, hanging up itself after a pause) places into the whole server, with the
 * real npm clients on the application side:
 * - modesl `Server` on a static (sync), single-channel socket with `myevents`: the `sendmsg` reply comes
 *   only after the playback ran, and the app's EXECUTE_COMPLETE after that reply (§3.3); sipp's BYE
 *   ends the socket with the disconnect notice;
 * - esl `FreeSwitchServer` on an `async full` socket: the reply comes at once and EXECUTE_COMPLETE when
 *   the playback ends;
 * - esl `FreeSwitchServer` on a static `full` socket with `linger`: after sipp hangs up the linger
 *   notice arrives, CHANNEL_HANGUP_COMPLETE is still delivered after it, and `exit` gets `+OK bye`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer, type Server as NetServer } from 'node:net';
import { FreeSwitchServer, type FreeSwitchResponse } from 'esl';
import { startEslServer, type EslTestServer } from '../support/esl-server.ts';
import { freePort } from '../support/ports.ts';
import { requireSipp, sippCall } from '../support/sipp-peer.ts';
import { waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

requireSipp();

interface ModeslEvent {
  getHeader(name: string): string | undefined;
}

interface ModeslConnection {
  sendRecv(command: string, args: Record<string, string>, cb: (evt: ModeslEvent) => void): void;
  getInfo(): ModeslEvent;
  on(event: string, listener: (evt: ModeslEvent) => void): void;
}

interface ModeslServer {
  on(event: string, listener: (conn: ModeslConnection, id: string) => void): void;
}

type ModeslModule = { Server: new (opts: { server: NetServer; myevents?: boolean }) => ModeslServer };

const modesl = createRequire(import.meta.url)('modesl') as ModeslModule;
const quiet = { debug: () => {}, info: () => {}, error: () => {} };
const TONE = 'tone_stream://%(1000,0,440)';
/** sipp hangs up this long after its ACK. */
const HOLD_MS = 2000;

describe('interop: outbound sockets (modesl, esl) controlling sipp calls', () => {
  let srv: EslTestServer;
  let net: NetServer;
  const servers: FreeSwitchServer[] = [];
  const syncLog: string[] = [];
  const asyncLog: string[] = [];
  const lingerLog: string[] = [];
  let syncReplyMs = 0;
  let asyncReplyMs = 0;

  before(async () => {
    net = createServer();
    await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));
    const modeslPort = (net.address() as { port: number }).port;
    new modesl.Server({ server: net, myevents: true }).on('connection::ready', (conn) => {
      const uuid = conn.getInfo().getHeader('Unique-ID') ?? '';
      syncLog.push(`connect:${conn.getInfo().getHeader('Socket-Mode') ?? ''}:${conn.getInfo().getHeader('Control') ?? ''}`);
      conn.on(`esl::event::CHANNEL_EXECUTE_COMPLETE::${uuid}`, (e) => syncLog.push(`complete:${e.getHeader('Application') ?? ''}`));
      conn.on('esl::event::disconnect::notice', () => syncLog.push('disconnect'));
      // The reply is logged in modesl's callback itself: frames of one TCP read are dispatched
      // synchronously, so a log line written after an await would land behind the events.
      const sendmsg = (app: string, arg: string): Promise<void> => new Promise((resolve) =>
        conn.sendRecv('sendmsg', { 'call-command': 'execute', 'execute-app-name': app, 'execute-app-arg': arg }, (r) => {
          syncLog.push(`reply:${r.getHeader('Reply-Text') ?? ''}`);
          resolve();
        }));
      void (async () => {
        await sendmsg('answer', '');
        const t0 = Date.now();
        await sendmsg('playback', TONE);
        syncReplyMs = Date.now() - t0;
      })();
    });

    const asyncServer = new FreeSwitchServer({ logger: quiet });
    asyncServer.on('connection', (c: FreeSwitchResponse) => {
      void (async () => {
        await c.command('answer', '', 3000);
        const complete = c.onceAsync('CHANNEL_EXECUTE_COMPLETE', 5000, 'playback complete');
        const t0 = Date.now();
        const reply = await c.execute('playback', TONE);
        asyncReplyMs = Date.now() - t0;
        asyncLog.push(`reply:${String(reply.headers['Reply-Text'])}`);
        const done = await complete;
        asyncLog.push(`complete:${String(done.body['Application'])}:${Date.now() - t0 >= 900 ? 'after the tone' : 'early'}`);
      })().catch((err: unknown) => asyncLog.push(`error:${String(err)}`));
    });

    const lingerServer = new FreeSwitchServer({ logger: quiet });
    lingerServer.on('connection', (c: FreeSwitchResponse) => {
      const hungUp = c.onceAsync('CHANNEL_HANGUP_COMPLETE', 8000, 'hangup complete');
      c.on('cleanup_linger', () => {
        lingerLog.push('linger-notice');
        void (async () => {
          const e = await hungUp;
          lingerLog.push(`hangup-complete:${String(e.body['Hangup-Cause'])}`);
          const bye = await c.exit();
          lingerLog.push(`exit:${String(bye.headers['Reply-Text'])}`);
        })().catch((err: unknown) => lingerLog.push(`error:${String(err)}`));
      });
      void (async () => {
        const res = await c.linger();
        lingerLog.push(`linger:${String(res.headers['Reply-Text'])}`);
        await c.command('answer', '', 3000);
        const played = await c.command('playback', 'tone_stream://%(400,0,440)', 3000);
        lingerLog.push(`playback:${String(played.body['Application-Response'])}`);
      })().catch((err: unknown) => lingerLog.push(`error:${String(err)}`));
    });

    const asyncPort = await freePort();
    const lingerPort = await freePort();
    await asyncServer.listen({ host: '127.0.0.1', port: asyncPort });
    await lingerServer.listen({ host: '127.0.0.1', port: lingerPort });
    servers.push(asyncServer, lingerServer);
    srv = await startEslServer({
      outbound: [
        { number: '7201', target: `127.0.0.1:${modeslPort}` },
        { number: '7202', target: `127.0.0.1:${asyncPort} async full` },
        { number: '7203', target: `127.0.0.1:${lingerPort} full` },
      ],
    });
  });

  after(async () => {
    for (const s of servers) await s.close();
    net.close();
    await srv?.close();
  });

  async function callAndCheck(number: string): Promise<void> {
    const res = await sippCall(srv.sipPort, number, HOLD_MS);
    assert.equal(res.exitCode, 0, res.stdout.slice(-1500));
    assert.equal(res.successful, 1);
    await waitIdle(srv.server, until);
    await srv.server.sw.flushCdrs();
    const cdr = (await srv.server.cdrs.list({})).find((c) => c.callee.number === number);
    assert.equal(cdr?.hangupCause, 'NORMAL_CLEARING');
    assert.equal(cdr?.hangupBy, 'remote');
  }

  it('modesl Server, static single-channel socket: sendmsg replies after the app ran; BYE ends the socket', async () => {
    await callAndCheck('7201');
    await until('the disconnect notice', () => syncLog.includes('disconnect'), 3000);
    assert.deepEqual(syncLog, ['connect:static:single-channel', 'reply:+OK', 'complete:answer', 'reply:+OK', 'complete:playback', 'disconnect']);
    assert.ok(syncReplyMs >= 900, `the playback reply came after ${syncReplyMs} ms`);
  });

  it('esl FreeSwitchServer, async full socket: sendmsg replies at once, EXECUTE_COMPLETE after the tone', async () => {
    await callAndCheck('7202');
    assert.deepEqual(asyncLog, ['reply:+OK', 'complete:playback:after the tone']);
    assert.ok(asyncReplyMs < 500, `the playback reply came after ${asyncReplyMs} ms`);
  });

  it('esl FreeSwitchServer, static full socket with linger: events after the hangup, then exit', async () => {
    await callAndCheck('7203');
    await until('the application exits', () => lingerLog.some((l) => l.startsWith('exit:') || l.startsWith('error:')), 5000);
    assert.deepEqual(lingerLog, ['linger:+OK will linger', 'playback:FILE PLAYED', 'linger-notice', 'hangup-complete:NORMAL_CLEARING', 'exit:+OK bye']);
  });
});
