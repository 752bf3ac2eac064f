/**
 * The configured dialplan end to end: the whole server started from a config file with `esl.dialplan`,
 * a SIP test phone calling in over loopback. A number whose digits are captured into a tone_stream
 * plays that tone to the phone; a parked call is seen by an event socket client (CHANNEL_PARK, real
 * Caller-Context) and `sendmsg` transfer moves it into another context.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import { EslTestClient, parsePlain, type EslFrame } from '../support/esl-client.ts';
import { freePort } from '../support/ports.ts';
import { TestPhone } from '../support/test-phone.ts';
import { until } from '../support/wait.ts';

const DIALPLAN = {
  context: 'public',
  contexts: {
    public: [
      { name: 'tone', conditions: [{ field: 'destination_number', expression: '^77(\\d{3})$', actions: [
        { app: 'answer' }, { app: 'playback', data: 'tone_stream://%(1000,0,$1)' }, { app: 'hangup' },
      ] }] },
      { name: 'park', conditions: [
        { field: 'destination_number', expression: '^5000$' },
        { field: 'caller_id_number', expression: '^nobody$', break: 'never', antiActions: [{ app: 'set', data: 'screened=yes' }] },
        { field: 'destination_number', expression: '^(5)000$', actions: [{ app: 'set', data: 'first=$1' }, { app: 'answer' }, { app: 'park' }] },
      ] },
    ],
    back: [{ name: 'landing', conditions: [{ field: 'destination_number', expression: '^9000$', actions: [{ app: 'set', data: 'landed=${context}' }, { app: 'park' }] }] }],
  },
};

function headersOf(f: EslFrame): Record<string, string> {
  return Object.fromEntries(parsePlain(f.body).headers);
}

describe('esl dialplan: SIP calls through the configured dialplan', () => {
  let server: Server;
  let dataDir: string;
  let phone: TestPhone;
  let sipPort: number;
  let esl: EslTestClient;

  before(async () => {
    sipPort = await freePort();
    const rtp = await freePort('127.0.0.1', 17);
    const low = rtp + (rtp & 1);
    dataDir = mkdtempSync(join(tmpdir(), 'sb-esl-dialplan-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ esl: { dialplan: DIALPLAN } }));
    server = await startServer({
      configFile,
      flags: { sip: `127.0.0.1:${sipPort}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + 15}`,
        logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent' },
      env: {},
      banner: false,
    });
    phone = await TestPhone.start();
    esl = await EslTestClient.authed(server.esl!.address.port);
    await esl.command('event plain CHANNEL_PARK CHANNEL_HANGUP CHANNEL_EXECUTE');
  });

  after(async () => {
    esl.close();
    await phone.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('plays the tone whose frequency the number carries, then hangs up', async () => {
    const r = await phone.call(`sip:77440@127.0.0.1:${sipPort}`);
    assert.ok(r.ok, 'answered');
    const call = r.call;
    const exec = headersOf(await esl.wait((f) => headersOf(f)['Event-Name'] === 'CHANNEL_EXECUTE' && headersOf(f)['Application'] === 'playback'));
    assert.equal(exec['Application-Data'], 'tone_stream://%(1000,0,440)');
    await until('tone audio', () => call.received.length > 20 && call.receivedLevel() > 1000, 4000);
    const hup = headersOf(await esl.wait((f) => headersOf(f)['Event-Name'] === 'CHANNEL_HANGUP' && headersOf(f)['Caller-Destination-Number'] === '77440', 5000));
    assert.equal(hup['Hangup-Cause'], 'NORMAL_CLEARING');
    assert.equal(hup['Caller-Context'], 'public');
  });

  it('parks a call (CHANNEL_PARK, Caller-Context public), then sendmsg transfer moves it to another context', async () => {
    const r = await phone.call(`sip:5000@127.0.0.1:${sipPort}`);
    assert.ok(r.ok, 'answered');
    const park = headersOf(await esl.wait((f) => headersOf(f)['Event-Name'] === 'CHANNEL_PARK' && headersOf(f)['Caller-Destination-Number'] === '5000'));
    assert.equal(park['Caller-Context'], 'public');
    assert.equal(park['variable_screened'], 'yes');
    assert.equal(park['variable_first'], '5');
    const uuid = park['Unique-ID']!;
    const reply = await esl.command(`sendmsg ${uuid}`, { 'call-command': 'execute', 'execute-app-name': 'transfer', 'execute-app-arg': '9000 XML back' });
    assert.equal(reply.headers['Reply-Text'], '+OK');
    const again = headersOf(await esl.wait((f) => headersOf(f)['Event-Name'] === 'CHANNEL_PARK' && headersOf(f)['Unique-ID'] === uuid));
    assert.equal(again['Caller-Context'], 'back');
    assert.equal(again['Caller-Destination-Number'], '9000');
    assert.equal(again['variable_landed'], 'back');
    assert.equal(await esl.api(`uuid_kill ${uuid}`), '+OK\n');
    await until('hangup', async () => (await esl.api(`uuid_exists ${uuid}`)) === 'false', 3000);
    await r.call.hangup().catch(() => {});
  });
});
