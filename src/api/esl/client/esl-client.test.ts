import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../lib/index.ts';
import { eventFrame, logFrame, rudeRejectionFrame, apiResponseFrame, commandReplyFrame } from '../framing.ts';
import { EslClient } from './esl-client.ts';
import { EslClientError } from './esl-client-error.ts';
import { contentType, frameHeader, type ServerFrame } from './frame-reader.ts';
import { startFakeEslServer, type FakeEslServer } from './fake-esl-server.ts';

let server: FakeEslServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const connect = (port: number, password = 'ClueCon', clock?: VirtualClock) =>
  EslClient.connect({ host: '127.0.0.1', port, password, ...(clock ? { clock } : {}) });

const rejectsWith = async (p: Promise<unknown>, code: string, message: RegExp) => {
  await assert.rejects(p, (err: unknown) => err instanceof EslClientError && err.code === code && message.test(err.message));
};

describe('EslClient', () => {
  it('authenticates, matches replies in order, emits unsolicited frames between them', async () => {
    server = await startFakeEslServer((line, socket) => {
      if (line === 'api status') {
        // An event and a log line arrive before the reply.
        socket.write(eventFrame('plain', 'Event-Name: HEARTBEAT\n\n'));
        socket.write(logFrame({ level: 6, channel: 0, file: 'core', func: 'core', line: 0, userData: '', text: 'hi\n' }));
        socket.write(apiResponseFrame('UP\n'));
      } else {
        socket.write(commandReplyFrame(`+OK ${line}`));
      }
    });
    const c = await connect(server.port);
    const seen: ServerFrame[] = [];
    c.events.on('frame', (f) => seen.push(f));
    const [status, ev] = await Promise.all([c.api('status'), c.send('event plain ALL', 0, [['X-Test', 'a\nb']])]);
    assert.equal(status.body, 'UP\n');
    assert.equal(frameHeader(ev, 'Reply-Text'), '+OK event plain ALL');
    assert.deepEqual(seen.map(contentType), ['text/event-plain', 'log/data']);
    assert.deepEqual(server.commands, ['api status', 'event plain ALL']);
    c.close();
    c.close();
    assert.ok(c.closed);
    await rejectsWith(c.api('status'), 'ESL_CLIENT_CLOSED', /closed/);
  });

  it('a wrong password: ESL_CLIENT_AUTH with the server\'s -ERR invalid', async () => {
    server = await startFakeEslServer();
    await rejectsWith(connect(server.port, 'nope'), 'ESL_CLIENT_AUTH', /-ERR invalid/);
  });

  it('an ACL rejection: ESL_CLIENT_AUTH access denied', async () => {
    server = await startFakeEslServer(undefined, { greet: rudeRejectionFrame() });
    await rejectsWith(connect(server.port), 'ESL_CLIENT_AUTH', /access denied: Access Denied, go away\./);
  });

  it('a refused connection: ESL_CLIENT_CONNECT', async () => {
    server = await startFakeEslServer();
    const port = server.port;
    await server.close();
    server = undefined;
    await rejectsWith(connect(port), 'ESL_CLIENT_CONNECT', /ECONNREFUSED/);
  });

  it('the server closing while a reply is awaited rejects it and emits close', async () => {
    server = await startFakeEslServer((_line, socket) => socket.destroy());
    const c = await connect(server.port);
    const closed = new Promise<string>((resolve) => c.events.on('close', resolve));
    await rejectsWith(c.api('status'), 'ESL_CLIENT_CLOSED', /closed by the server/);
    assert.match(await closed, /closed by the server/);
  });

  it('a malformed frame ends the connection with ESL_CLIENT_PROTOCOL, no crash', async () => {
    server = await startFakeEslServer((_line, socket) => socket.write('Content-Type: api/response\nContent-Length: lots\n\n'));
    const c = await connect(server.port);
    await rejectsWith(c.api('status'), 'ESL_CLIENT_PROTOCOL', /bad Content-Length/);
    assert.ok(c.closed);
  });

  it('no auth/request: ESL_CLIENT_TIMEOUT on the injected clock', async () => {
    server = await startFakeEslServer(undefined, { greet: '' });
    const clock = new VirtualClock();
    const pending = connect(server.port, 'ClueCon', clock);
    // Let the TCP connect finish, then move time past the 5 s default.
    for (let i = 0; i < 50 && server.sockets.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(5000);
    await rejectsWith(pending, 'ESL_CLIENT_TIMEOUT', /auth\/request within 5000 ms/);
  });

  it('a command timeout rejects and drops the connection (a late reply would be mismatched)', async () => {
    server = await startFakeEslServer(() => {});
    const clock = new VirtualClock();
    const c = await connect(server.port, 'ClueCon', clock);
    const p = c.api('status', 250);
    clock.advance(250);
    await rejectsWith(p, 'ESL_CLIENT_TIMEOUT', /no reply to api within 250 ms/);
    assert.ok(c.closed);
  });
});
