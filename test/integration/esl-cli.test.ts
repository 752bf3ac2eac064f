/**
 * `switchboard cli` against the running server's event socket (compatibility source: FreeSWITCH
 * fs_cli; specs/esl.md §8.5): `-x status` prints the status body and exits 0; an interactive run on
 * piped stdin shows the prompt, an API reply, a subscribed event of a call originated from another
 * connection, and exits on /exit keeping the history; a wrong password and a refused connection exit
 * non-zero with the error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EslTestClient } from '../support/esl-client.ts';
import { freePort } from '../support/ports.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until } from '../support/wait.ts';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
const HARD_TIMEOUT_MS = 20_000;

interface Run {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function runCli(args: string[], home: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'cli', ...args], {
    env: { ...process.env, HOME: home, SWITCHBOARD_LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const killer = setTimeout(() => child.kill('SIGKILL'), HARD_TIMEOUT_MS);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => { clearTimeout(killer); resolve(code); }));
  return { child, out: () => out, err: () => err, exit };
}

describe('switchboard cli', () => {
  let srv: TestServer;
  let port: number;
  let home: string;
  let switchname: string;

  before(async () => {
    srv = await startTestServer();
    port = srv.server.esl!.address.port;
    home = mkdtempSync(join(tmpdir(), 'sb-cli-home-'));
    const c = await EslTestClient.authed(port);
    switchname = (await c.api('switchname')).trim();
    c.close();
  });

  after(async () => {
    for (const ch of srv.server.sw.channels()) void ch.hangup();
    await srv.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('-x status prints the status body and exits 0', async () => {
    const run = runCli(['-P', String(port), '-x', 'status'], home);
    assert.equal(await run.exit, 0, run.err());
    assert.match(run.out(), /^UP \d+ years?, /);
    assert.match(run.out(), /session\(s\) - peak/);
    assert.ok(run.out().endsWith('\n'), 'body printed with a newline');
  });

  it('interactive: prompt, status, /event plain CHANNEL_CREATE shows an originated call, /exit; history kept', async () => {
    const run = runCli(['--port', String(port), '--quiet'], home);
    const prompt = `switchboard@${switchname}> `;
    await until('the prompt', () => run.out().includes(prompt), 10_000);
    run.child.stdin.write('status\n');
    await until('the status body', () => /UP \d+ years?, /.test(run.out()), 5000);
    run.child.stdin.write('/event plain CHANNEL_CREATE\n');
    await until('the event reply', () => run.out().includes('+OK event listener enabled plain'), 5000);

    const other = await EslTestClient.authed(port);
    const out = await other.api(`originate sip:echo@127.0.0.1:${srv.port} &park()`);
    const id = /^\+OK (\S+)\n$/.exec(out)?.[1];
    assert.ok(id, out);
    await until('the CHANNEL_CREATE event', () => run.out().includes(`RECV EVENT\nEvent-Name: CHANNEL_CREATE\n`), 5000);
    const event = run.out().slice(run.out().indexOf('RECV EVENT\nEvent-Name: CHANNEL_CREATE'));
    assert.match(event, /\nUnique-ID: [0-9a-f-]{36}\n/);
    assert.match(event, /\nCore-UUID: /);
    assert.ok(run.out().includes(`Unique-ID: ${id}\n`), 'the originated leg is among the events');
    await other.api('hupall');
    other.close();

    run.child.stdin.write('/exit\n');
    assert.equal(await run.exit, 0, run.err());
    assert.match(run.err(), /Goodbye!/);
    assert.deepEqual(readFileSync(join(home, '.switchboard_cli_history'), 'utf8').split('\n'), ['status', '/event plain CHANNEL_CREATE', '/exit', '']);
    await waitIdle(srv.server, until);
  });

  it('end of piped input exits 0; slash commands answer locally', async () => {
    const run = runCli(['-P', String(port), '-q', '--data', join(home, 'd')], home);
    run.child.stdin.end('/help\n/uuid 1234\n/nope\nbogus_api\n');
    assert.equal(await run.exit, 0, run.err());
    assert.match(run.out(), /\/exit, \/quit, \/bye, \.\.\. {4}\tExit the program\./);
    assert.match(run.out(), /UUID filtering enabled\n/);
    assert.match(run.out(), /Unknown command \[nope\]\n/);
    assert.match(run.out(), /-ERR bogus_api Command not found!\n/);
    assert.equal(readFileSync(join(home, 'd', 'cli_history'), 'utf8'), '/help\n/uuid 1234\n/nope\nbogus_api\n');
  });

  it('a wrong password exits non-zero with the server\'s -ERR invalid', async () => {
    const run = runCli(['-P', String(port), '-p', 'wrong', '-x', 'status'], home);
    assert.notEqual(await run.exit, 0);
    assert.match(run.err(), /Error Connecting \[authentication failed: -ERR invalid\]/);
    assert.equal(run.out(), '');
  });

  it('a refused connection exits non-zero with the error', async () => {
    const closed = await freePort();
    const run = runCli(['-P', String(closed), '-x', 'status'], home);
    assert.notEqual(await run.exit, 0);
    assert.match(run.err(), /Error Connecting \[cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});
