import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { apiResponseFrame, commandReplyFrame, disconnectFrame, eventFrame } from '../framing.ts';
import { runConsole, type ConsoleIo } from './console.ts';
import { startFakeEslServer, type FakeEslServer } from './fake-esl-server.ts';

let server: FakeEslServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

function io(extra: Partial<ConsoleIo> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const error = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  error.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  return { io: { input, output, error, terminal: false, ...extra }, input, out: () => out, err: () => err };
}

const until = async (what: string, check: () => boolean): Promise<void> => {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const answers = (line: string, socket: import('node:net').Socket): void => {
  if (line === 'api switchname') socket.write(apiResponseFrame('pbx1'));
  else if (line.startsWith('api ')) socket.write(apiResponseFrame(`${line.slice(4)} body\n`));
  else socket.write(commandReplyFrame(`+OK ${line}`));
};

describe('runConsole', () => {
  it('prompt from switchname, log sent first, events printed, server goodbye ends it with 0', async () => {
    server = await startFakeEslServer(answers);
    const t = io();
    const done = runConsole({ host: '127.0.0.1', port: server.port, password: 'ClueCon', logLevel: '4' }, t.io);
    await until('the prompt', () => t.out().includes('switchboard@pbx1> '));
    assert.deepEqual(server.commands, ['api switchname', 'log 4']);
    assert.match(t.out(), /\+OK log 4\n/);
    t.input.write('version\n');
    await until('the reply', () => t.out().includes('version body\n\n'));
    assert.equal(server.commands.at(-1), 'api version');
    server.sockets[0]!.write(eventFrame('plain', 'Event-Name: HEARTBEAT\n\n'));
    await until('the event', () => t.out().includes('RECV EVENT\nEvent-Name: HEARTBEAT\n\n\n'));
    server.sockets[0]!.end(disconnectFrame());
    assert.equal(await done, 0);
    assert.match(t.err(), /^Disconnected\.\n$/);
  });

  it('SIGINT without a terminal ends it with 1', async () => {
    server = await startFakeEslServer(answers);
    const signals = new EventEmitter();
    const t = io({ signals });
    const done = runConsole({ host: '127.0.0.1', port: server.port, password: 'ClueCon', quiet: true }, t.io);
    await until('the prompt', () => t.out().includes('switchboard@pbx1> '));
    assert.deepEqual(server.commands, ['api switchname'], 'quiet: no log command');
    signals.emit('SIGINT');
    assert.equal(await done, 1);
    assert.match(t.err(), /Interrupted\./);
    assert.equal(signals.listenerCount('SIGINT'), 0, 'signal handlers removed');
  });

  it('retry: connects once the server is up, a second later', async () => {
    const probe = await startFakeEslServer();
    const port = probe.port;
    await probe.close();
    let sleeps = 0;
    const t = io({
      sleep: async () => {
        sleeps++;
        if (sleeps === 2) server = await startFakeEslServer(answers, { port });
      },
    });
    const code = await runConsole({ host: '127.0.0.1', port, password: 'ClueCon', retry: true, execute: 'status' }, t.io);
    assert.equal(code, 0, t.err());
    assert.equal(sleeps, 2);
    assert.equal((t.err().match(/Error Connecting \[/g) ?? []).length, 2);
    assert.equal(t.out(), 'status body\n\n');
  });

  it('-x with a timeout and no reply: Request timed out., exit 2', async () => {
    server = await startFakeEslServer(() => {});
    const t = io();
    const code = await runConsole({ host: '127.0.0.1', port: server.port, password: 'ClueCon', execute: 'status', timeoutMs: 100 }, t.io);
    assert.equal(code, 2);
    assert.equal(t.err(), 'Request timed out.\n');
  });

  it('-x: a -ERR command/reply prints Error: ...!', async () => {
    server = await startFakeEslServer((_l, socket) => socket.write(commandReplyFrame('-ERR permission denied')));
    const t = io();
    assert.equal(await runConsole({ host: '127.0.0.1', port: server.port, password: 'ClueCon', execute: 'status' }, t.io), 0);
    assert.equal(t.out(), 'Error:  permission denied!\n');
  });
});
