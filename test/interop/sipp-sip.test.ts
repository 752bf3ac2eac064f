/**
 * Interop with sipp (Debian `sip-tester`): sipp's built-in `uac` against a UAS built on our stack, sipp's
 * `uas` against our UAC, and REGISTER with digest authentication, over UDP and TCP. Every sipp run is
 * bounded by a call count (-m) and a hard timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { ANSWER_SDP, startTestUas, type TestUas } from '../support/test-uas.ts';
import { SipStack } from '../../src/sip/index.ts';
import { silentLogger } from '../../src/lib/index.ts';

const scenario = (name: string) => fileURLToPath(new URL(`./scenarios/${name}`, import.meta.url));
const TRANSPORTS = [
  { name: 'udp', sipp: 'u1' },
  { name: 'tcp', sipp: 't1' },
] as const;

if (!sippAvailable()) {
  // .ci/run installs sip-tester; a machine without it cannot run interop tests, and says so loudly.
  throw new Error('sipp is not installed (Debian package sip-tester); run .ci/run or apt-get install sip-tester');
}

describe('sipp uac -> our UAS', () => {
  let uas: TestUas;
  before(async () => {
    uas = await startTestUas({ port: await freePort(), users: { alice: 'wonderland' } });
  });
  after(() => uas.close());

  for (const t of TRANSPORTS) {
    test(`50 calls INVITE/200/ACK/BYE over ${t.name}, none failed`, async () => {
      const before = uas.calls.ended;
      const res = await runSipp({
        args: ['-sn', 'uac', `127.0.0.1:${uas.port}`, '-t', t.sipp, '-i', '127.0.0.1', '-p', String(await freePort()),
          '-cp', String(await freePort()), '-m', '50', '-r', '25', '-l', '20'],
        timeoutMs: 30_000,
      });
      assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
      assert.equal(res.successful, 50);
      assert.equal(res.failed, 0);
      assert.equal(uas.calls.ended - before, 50);
      assert.deepEqual(uas.stack.dialogs.counts, { dialogs: 0, incoming: 0, outgoing: 0 });
    });

    test(`REGISTER with digest auth over ${t.name}: challenged, accepted, unregistered`, async () => {
      const res = await runSipp({
        args: [`127.0.0.1:${uas.port}`, '-sf', scenario('register-auth.xml'), '-t', t.sipp, '-i', '127.0.0.1',
          '-p', String(await freePort()), '-cp', String(await freePort()), '-m', '1'],
        timeoutMs: 15_000,
      });
      assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
      assert.equal(res.successful, 1);
    });
  }

  test('REGISTER with a wrong password is challenged again, not accepted', async () => {
    const res = await runSipp({
      args: [`127.0.0.1:${uas.port}`, '-sf', scenario('register-wrong-password.xml'), '-i', '127.0.0.1',
        '-p', String(await freePort()), '-cp', String(await freePort()), '-m', '1'],
      timeoutMs: 15_000,
    });
    assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
    assert.equal(res.successful, 1);
  });
});

describe('our UAC -> sipp uas', () => {
  for (const t of TRANSPORTS) {
    test(`10 calls placed by our stack over ${t.name} are answered and hung up`, async () => {
      const sippPort = await freePort();
      const sipp = runSipp({
        args: ['-sn', 'uas', '-t', t.sipp, '-i', '127.0.0.1', '-p', String(sippPort), '-cp', String(await freePort()), '-m', '10'],
        timeoutMs: 30_000,
      });
      await new Promise((r) => setTimeout(r, 500));
      const stack = await SipStack.start({
        listeners: [{ transport: t.name, address: '127.0.0.1', port: await freePort() }],
        logger: silentLogger(),
      });
      let res;
      try {
        for (let i = 0; i < 10; i++) {
          const uri = `sip:service@127.0.0.1:${sippPort}${t.name === 'tcp' ? ';transport=tcp' : ''}`;
          const call = stack.invite({ uri, from: '<sip:caller@127.0.0.1>', body: ANSWER_SDP, contentType: 'application/sdp' });
          const result = await call.result;
          assert.ok(result.ok, `call ${i}: ${result.ok ? '' : `${result.status} ${result.reason}`}`);
          const bye = await result.dialog.bye();
          assert.equal(bye?.status, 200);
        }
        // sipp's uas waits 4 s after the last BYE; over TCP, closing our side earlier fails that call.
        res = await sipp;
      } finally {
        await stack.close();
      }
      assert.equal(res.exitCode, 0, res.stdout.slice(-2000));
      assert.equal(res.successful, 10);
      assert.equal(res.failed, 0);
    });
  }
});
