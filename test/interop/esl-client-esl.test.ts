/**
 * Interop with the npm client `esl@11` (shimaore; specs/esl.md §8.3), unchanged, against the whole
 * server on loopback: `FreeSwitchClient` (inbound) runs api, bgapi (BACKGROUND_JOB matched by
 * Job-UUID), event_json with a Unique-ID filter following an originated call, and command_uuid;
 * `FreeSwitchServer` (outbound, `async full`: connect frame, filters, `event json ALL`) answers a call
 * the scripted test phone places over SIP, plays a tone, speaks (the server's offline TTS) and hangs up.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FreeSwitchClient, FreeSwitchServer, once, type FreeSwitchResponse } from 'esl';
import type { Server } from '../../src/main.ts';
import { startEslServer, type EslTestServer } from '../support/esl-server.ts';
import { freePort } from '../support/ports.ts';
import { TestPhone } from '../support/test-phone.ts';
import { waitIdle } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

const quiet = { debug: () => {}, info: () => {}, error: () => {} };

describe('interop: npm esl@11', () => {
  let srv: EslTestServer;
  let server: Server;
  let dataDir: string;
  let sipPort: number;
  let phone: TestPhone;
  let client: FreeSwitchClient;
  let call: FreeSwitchResponse;
  let outbound: FreeSwitchServer;
  const outboundLog: string[] = [];

  before(async () => {
    const appPort = await freePort();
    outbound = new FreeSwitchServer({ logger: quiet });
    outbound.on('connection', (c, data) => {
      void (async () => {
        outboundLog.push(`uuid:${data.uuid === undefined ? 'none' : 'yes'}`);
        await c.command('answer', '', 5000);
        const played = await c.command('playback', 'tone_stream://%(1000,0,440)', 5000);
        outboundLog.push(`playback:${String(played.body['Application-Response'])}`);
        const spoken = await c.command('speak', 'espeak|en-us|one two three', 10_000);
        outboundLog.push(`speak:${String(spoken.body['Application-Response'])}`);
        await c.hangup();
      })().catch((err: unknown) => outboundLog.push(`error:${String(err)}`));
    });
    await outbound.listen({ host: '127.0.0.1', port: appPort });
    srv = await startEslServer({ outbound: [{ number: '7100', target: `127.0.0.1:${appPort} async full` }] });
    ({ server, dataDir, sipPort } = srv);
    phone = await TestPhone.start();
    phone.answerCalls([]);
    client = new FreeSwitchClient({ port: server.esl!.address.port, logger: quiet });
    const connected = once(client, 'connect');
    client.connect();
    [call] = await connected;
  });

  after(async () => {
    client.end();
    await phone.close();
    await srv.close();
    await outbound.close();
  });

  it('api status and a failing api', async () => {
    const res = await call.api('status');
    assert.match(res.body, /^UP 0 years/);
    await assert.rejects(call.api('no_such_api'), /Command not found/);
  });

  it('bgapi resolves with its BACKGROUND_JOB', async () => {
    const job = await call.bgapi('create_uuid', 3000);
    assert.equal(job.headers['Event-Name'] ?? job.body['Event-Name'], 'BACKGROUND_JOB');
    assert.match(String(job.body['_body']), /^[0-9a-f-]{36}$/);
  });

  it('event_json + filter: the events of one call originated to the test phone, then command_uuid', async () => {
    await call.event_json('CHANNEL_ANSWER', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE');
    const uuid = '4a0b5c1d-0000-4000-8000-00000000e511';
    await call.filter('Unique-ID', uuid);
    const hungUp = call.onceAsync('CHANNEL_HANGUP_COMPLETE', 5000, 'hangup complete');
    const res = await call.api(`originate {origination_uuid=${uuid}}loopback/nowhere &park()`).catch((err: unknown) => ({ body: String(err), headers: {} }));
    // No loopback endpoint: the originate fails with a cause, which the client reports as an error.
    assert.match(res.body, /CHAN_NOT_IMPLEMENTED/);
    // Now a call the test phone answers.
    const echoed = await call.api(`originate {origination_uuid=${uuid}}sip:phone@127.0.0.1:${phone.port} &park()`);
    assert.equal(echoed.uuid, uuid);
    const done = await call.command_uuid(uuid, 'set', 'esl_client=yes', 3000);
    assert.equal(done.body['Unique-ID'], uuid);
    assert.equal(done.body['variable_esl_client'], 'yes');
    await call.api(`uuid_kill ${uuid}`);
    const complete = await hungUp;
    assert.equal(complete.body['Unique-ID'], uuid);
    await call.filter_delete('Unique-ID', uuid);
  });

  it('FreeSwitchServer (outbound, async full) answers a SIP call, plays a tone, speaks, hangs up', async () => {
    await waitIdle(server, until);
    const r = await phone.call(`sip:7100@127.0.0.1:${sipPort}`);
    assert.ok(r.ok, 'answered');
    await until('the application hung up', () => server.sw.counts().channels === 0, 8000);
    assert.deepEqual(outboundLog, ['uuid:yes', 'playback:FILE PLAYED', 'speak:_none_']);
    assert.ok(r.call.receivedLevel() > 1000, `tone level ${r.call.receivedLevel().toFixed(0)}`);
    // One synthesis: its WAV at the engine's rate (`<hash>.wav`), plus copies resampled for calls (`<hash>-<rate>.wav`).
    const wavs = readdirSync(join(dataDir, 'tts')).filter((f) => f.endsWith('.wav'));
    assert.equal(new Set(wavs.map((f) => f.replace(/(-\d+)?\.wav$/, ''))).size, 1, `one synthesis in the data directory: ${wavs.join(' ')}`);
    // 1 s of tone plus the spoken words: well over the 50 packets of the tone alone.
    assert.ok(r.call.received.length > 80, `${r.call.received.length} RTP packets`);
    await waitIdle(server, until);
  });
});
