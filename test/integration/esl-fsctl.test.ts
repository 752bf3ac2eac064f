/**
 * `fsctl` of the event socket on the running server (specs/esl.md §5 fsctl; replies as mod_commands
 * ctl_function): pause / resume per direction (a phone's INVITE gets 503 while inbound is paused,
 * originate `-ERR SWITCH_CONGESTION` while outbound is), loglevel changing the server's pino level at
 * run time (seen on a `log` socket), hupall, last_sps, debug_level, min_idle_cpu and the DTMF durations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EslTestClient } from '../support/esl-client.ts';
import { TestPhone, type PhoneCall } from '../support/test-phone.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

describe('esl fsctl on the running server', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let c: EslTestClient;
  const answered: PhoneCall[] = [];

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    phone.answerCalls(answered);
    c = await EslTestClient.authed(srv.server.esl!.address.port);
  });

  after(async () => {
    c.close();
    for (const ch of srv.server.sw.channels()) void ch.hangup();
    await phone.close();
    await srv.close();
  });

  const phoneUri = (): string => `sip:phone@127.0.0.1:${phone.port}`;

  it('pause inbound: INVITEs get 503, originate still works; pause outbound: the reverse; resume each', async () => {
    assert.equal(await c.api('fsctl pause inbound'), '+OK\n');
    assert.equal(await c.api('fsctl pause_check inbound'), 'true');
    assert.equal(await c.api('fsctl pause_check outbound'), 'false');
    assert.equal(await c.api('fsctl pause_check'), 'false', 'the all-flag is its own');
    assert.equal(await c.api('fsctl ready_check'), 'true');
    const refused = await phone.call(srv.uri('echo'));
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? 0 : refused.status, 503);
    const out = await c.api(`originate ${phoneUri()} &park()`);
    assert.match(out, /^\+OK \S+\n$/, out);
    assert.equal(await c.api('fsctl hupall NORMAL_CLEARING'), '+OK\n');
    await until('channels to end', () => srv.server.sw.counts().channels === 0);

    assert.equal(await c.api('fsctl pause outbound'), '+OK\n');
    assert.equal(await c.api('fsctl resume inbound'), '+OK\n');
    assert.equal(await c.api(`originate ${phoneUri()} &park()`), '-ERR SWITCH_CONGESTION\n');
    const accepted = await phone.call(srv.uri('echo'));
    assert.equal(accepted.ok, true, 'inbound calls come in again');
    if (accepted.ok) await accepted.call.hangup();
    assert.equal(await c.api('fsctl resume outbound'), '+OK\n');
    assert.match(await c.api(`originate ${phoneUri()} &park()`), /^\+OK /);

    assert.equal(await c.api('fsctl pause'), '+OK\n');
    assert.equal(await c.api('fsctl pause_check'), 'true');
    assert.equal(await c.api('fsctl ready_check'), 'false');
    assert.equal(await c.api(`originate ${phoneUri()} &park()`), '-ERR SWITCH_CONGESTION\n');
    assert.equal(await c.api('fsctl resume'), '+OK\n');
    assert.equal(await c.api('fsctl hupall'), '+OK\n');
    await until('channels to end', () => srv.server.sw.counts().channels === 0);
  });

  it('loglevel sets the server log level at run time: a log socket sees debug lines only after DEBUG', async () => {
    const root = srv.server.log;
    assert.equal(await c.api('fsctl loglevel'), '+OK log level: DISABLE [-1]\n', 'the test server logs nothing');
    assert.equal(await c.api('fsctl loglevel nonsense'), '-ERR syntax error, log level not set!\n');
    assert.equal(await c.api('fsctl loglevel 64'), '-ERR syntax error, log level not set!\n');
    assert.equal(await c.api('fsctl loglevel warning'), '+OK log level: WARNING [4]\n');
    assert.equal(root.level, 'warn');
    assert.equal(await c.api('fsctl loglevel 5'), '+OK log level: NOTICE [5]\n');
    assert.equal(await c.api('fsctl loglevel'), '+OK log level: NOTICE [5]\n');
    assert.equal(await c.api('fsctl loglevel 99'), '+OK log level: DEBUG [7]\n', 'clamped to DEBUG');
    assert.equal(root.level, 'debug');
    const logs = await EslTestClient.authed(srv.server.esl!.address.port);
    try {
      await logs.command('log 7');
      // A room logger made at start (before the event socket) follows too.
      srv.server.sw.log.debug({ probe: 'after' }, 'fsctl loglevel probe');
      const frame = await logs.wait((f) => f.headers['Content-Type'] === 'log/data' && (f.body ?? '').includes('fsctl loglevel probe'));
      assert.equal(frame.headers['Log-Level'], '7');
      assert.equal(await c.api('fsctl loglevel DISABLE'), '+OK log level: DISABLE [-1]\n');
      assert.equal(root.level, 'silent');
      assert.equal(srv.server.sw.log.level, 'silent');
    } finally {
      logs.close();
      root.level = 'silent';
      await c.api('fsctl loglevel disable');
    }
  });

  it('last_sps counts new sessions of the last whole second; debug_level, min_idle_cpu, dtmf durations', async () => {
    assert.match(await c.api('fsctl last_sps'), /^\+OK last sessions per second: \d+\n$/);
    assert.equal(await c.api('fsctl debug_level'), '+OK DEBUG level: 0\n');
    assert.equal(await c.api('fsctl debug_level 4'), '+OK DEBUG level: 4\n');
    assert.equal(await c.api('fsctl debug_level 99'), '+OK DEBUG level: 10\n');
    assert.equal(await c.api('fsctl debug_level'), '+OK DEBUG level: 10\n');
    assert.equal(await c.api('fsctl min_idle_cpu'), '+OK min idle cpu: DISABLED\n');
    assert.equal(await c.api('fsctl min_idle_cpu 25'), '+OK min idle cpu: 25.00%\n');
    assert.equal(await c.api('fsctl min_idle_cpu -1'), '+OK min idle cpu: 25.00%\n', 'negative: read only');
    assert.equal(await c.api('fsctl min_idle_cpu 0'), '+OK min idle cpu: DISABLED\n');
    assert.equal(await c.api('fsctl default_dtmf_duration'), '+OK default dtmf duration: 2000\n');
    assert.equal(await c.api('fsctl min_dtmf_duration'), '+OK min dtmf duration: 400\n');
    assert.equal(await c.api('fsctl max_dtmf_duration'), '+OK max dtmf duration: 192000\n');
    assert.equal(await c.api('fsctl max_dtmf_duration 100'), '+OK max dtmf duration: 400\n', 'clamped to the bound');
    assert.equal(await c.api('fsctl default_dtmf_duration 1600'), '+OK default dtmf duration: 1600\n');
    assert.equal(await c.api('fsctl max_dtmf_duration'), '+OK max dtmf duration: 1600\n', 'widened by the default');
    assert.equal(await c.api('fsctl min_dtmf_duration 3000'), '+OK min dtmf duration: 3000\n');
    assert.equal(await c.api('fsctl max_dtmf_duration'), '+OK max dtmf duration: 3000\n', 'raised by min');
    assert.match(await c.api('fsctl nonsense'), /^-ERR Invalid command\nUSAGE: fsctl \[pause .*\]\n$/);
  });
});
