/** A loopback HTTP server that records requests and answers from a script. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Send a body that is not JSON. */
  raw?: string;
}

export interface StubServer {
  url: string;
  requests: Recorded[];
  reply(r: Reply): void;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStub(): Promise<StubServer> {
  const requests: Recorded[] = [];
  const replies: Reply[] = [];
  const server: Server = createServer((req, res) => {
    void readAll(req).then((text) => {
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      const r = replies.shift() ?? { status: 200, body: {} };
      if (r.raw !== undefined) {
        res.writeHead(r.status, { 'Content-Type': 'text/plain' });
        res.end(r.raw);
      } else if (r.body === undefined) {
        res.writeHead(r.status);
        res.end();
      } else {
        res.writeHead(r.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(r.body));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (r) => replies.push(r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
