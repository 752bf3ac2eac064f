/**
 * A scripted event-socket server on loopback for the client's tests: sends auth/request, answers
 * `auth` (password ClueCon) and then whatever the test's `onCommand` writes. Test support only.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { apiResponseFrame, authRequestFrame, commandReplyFrame, disconnectFrame } from '../framing.ts';

export interface FakeEslServer {
  port: number;
  sockets: Socket[];
  /** Command lines received after auth, in order. */
  commands: string[];
  close(): Promise<void>;
}

export type OnCommand = (line: string, socket: Socket) => void;

/** Default answers: `api <x>` -> `<x> body\n`, anything else `+OK`. */
export const defaultAnswer: OnCommand = (line, socket) => {
  socket.write(line.startsWith('api ') ? apiResponseFrame(`${line.slice(4)} body\n`) : commandReplyFrame('+OK'));
};

export async function startFakeEslServer(onCommand: OnCommand = defaultAnswer, options: { greet?: string; port?: number } = {}): Promise<FakeEslServer> {
  const sockets: Socket[] = [];
  const commands: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    let authed = false;
    let buf = '';
    socket.write(options.greet ?? authRequestFrame());
    socket.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      for (;;) {
        const end = buf.indexOf('\n\n');
        if (end < 0) return;
        const line = buf.slice(0, end).split('\n')[0] ?? '';
        buf = buf.slice(end + 2);
        if (!authed) {
          if (line === 'auth ClueCon') {
            authed = true;
            socket.write(commandReplyFrame('+OK accepted'));
          } else {
            socket.write(commandReplyFrame('-ERR invalid'));
            socket.end(disconnectFrame());
          }
          continue;
        }
        commands.push(line);
        onCommand(line, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port, sockets, commands,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
