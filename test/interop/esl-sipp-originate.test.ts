/**
 * The inbound clients modesl (`Connection`) and esl@11 (`FreeSwitchClient`), unchanged, originate calls
 * through the whole server to sipp (a UAS, test/support/sipp-peer.ts; specs/esl.md §5 originate with a `sofia/internal/...`
 * dial string), follow them with JSON events, play a tone by sendmsg and hang them up. sipp must count
 * both calls as successful and the server must end with no channel, dialog or RTP port.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { FreeSwitchClient, once, type FreeSwitchResponse } from 'esl';
import { startEslServer, type EslTestServer } from '../support/esl-server.ts';
import { requireSipp, startSippUas, type SippUas } from '../support/sipp-peer.ts';
import { waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

requireSipp();

interface ModeslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string;
}

interface ModeslConnection {
  api(command: string, args: string, cb: (res: ModeslEvent) => void): void;
  events(type: string, events: string, cb: (res: ModeslEvent) => void): void;
  execute(app: string, arg: string, uuid: string, cb: (evt: ModeslEvent) => void): void;
  on(event: string, listener: (evt: ModeslEvent) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
  disconnect(): void;
}

type ModeslModule = { Connection: new (host: string, port: number, password: string) => ModeslConnection };

const modesl = createRequire(import.meta.url)('modesl') as ModeslModule;
const quiet = { debug: () => {}, info: () => {}, error: () => {} };
const TONE = 'tone_stream://%(300,0,440)';

describe('interop: modesl and esl originate to a sipp UAS', () => {
  let srv: EslTestServer;
  let uas: SippUas;

  before(async () => {
    srv = await startEslServer();
    uas = await startSippUas(2);
  });

  after(() => srv?.close());

  it('modesl Connection: api originate, events in order, execute playback, uuid_kill', async () => {
    const conn = await new Promise<ModeslConnection>((resolve, reject) => {
      const c = new modesl.Connection('127.0.0.1', srv.eslPort, 'ClueCon');
      c.once('esl::ready', () => resolve(c));
      c.once('error', (err) => reject(err as Error));
    });
    try {
      const uuid = '5b0c6d2e-0000-4000-8000-0000000000a1';
      const seen: string[] = [];
      await new Promise((r) => conn.events('json', 'CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE CHANNEL_DESTROY', r));
      for (const name of ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']) {
        conn.on(`esl::event::${name}::${uuid}`, () => seen.push(name));
      }
      const res = await new Promise<ModeslEvent>((r) => conn.api('originate', `{origination_uuid=${uuid}}${uas.dialString()} &park()`, r));
      assert.equal(res.getBody(), `+OK ${uuid}\n`);
      const played = await new Promise<ModeslEvent>((r) => conn.execute('playback', TONE, uuid, r));
      assert.equal(played.getHeader('Application-Response'), 'FILE PLAYED');
      const killed = await new Promise<ModeslEvent>((r) => conn.api('uuid_kill', uuid, r));
      assert.equal(killed.getBody(), '+OK\n');
      await until('CHANNEL_DESTROY', () => seen.includes('CHANNEL_DESTROY'), 3000);
      assert.deepEqual(seen, ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY']);
      await waitIdle(srv.server, until);
    } finally {
      conn.disconnect();
    }
  });

  it('esl FreeSwitchClient: bgapi originate, command_uuid playback, hangup_uuid; sipp counts both calls', async () => {
    const client = new FreeSwitchClient({ port: srv.eslPort, logger: quiet });
    const connected = once(client, 'connect');
    client.connect();
    const [call] = (await connected) as [FreeSwitchResponse];
    try {
      const uuid = '5b0c6d2e-0000-4000-8000-0000000000b2';
      await call.event_json('CHANNEL_ANSWER', 'CHANNEL_HANGUP_COMPLETE');
      const answered = call.onceAsync('CHANNEL_ANSWER', 5000, 'answer');
      const job = await call.bgapi(`originate {origination_uuid=${uuid}}${uas.dialString()} &park()`, 5000);
      assert.equal(String(job.body['_body']), `+OK ${uuid}\n`);
      assert.equal((await answered).body['Unique-ID'], uuid);
      const played = await call.command_uuid(uuid, 'playback', TONE, 5000);
      assert.equal(played.body['Application-Response'], 'FILE PLAYED');
      const complete = call.onceAsync('CHANNEL_HANGUP_COMPLETE', 5000, 'hangup complete');
      await call.hangup_uuid(uuid, 'NORMAL_CLEARING');
      const done = await complete;
      assert.equal(done.body['Unique-ID'], uuid);
      assert.equal(done.body['Hangup-Cause'], 'NORMAL_CLEARING');
      await waitIdle(srv.server, until);
    } finally {
      client.end();
    }
    const sipp = await uas.done;
    assert.equal(sipp.exitCode, 0, sipp.stdout.slice(-1500));
    assert.equal(sipp.successful, 2);
    assert.equal(sipp.failed, 0);
  });
});
