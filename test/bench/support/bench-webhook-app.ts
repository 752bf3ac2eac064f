/**
 * A jambonz webhook application hosted in the benchmark process: every POST (call_hook, actionHook)
 * is answered with the verbs `answer(path, payload)` returns. The payload is the server's call info
 * (snake_case: `to`, `call_sid` ...). A body that is not JSON is counted and answered with no verbs.
 */
import { createServer, type IncomingMessage } from 'node:http';

export interface BenchWebhookApp {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** Requests answered, by path. */
  readonly hits: Map<string, number>;
  /** Bodies that were not JSON objects. */
  readonly badBodies: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= MAX_BODY) parts.push(d);
    });
    req.on('error', () => resolve(undefined));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
        resolve(typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

export async function startBenchWebhookApp(answer: (path: string, payload: Record<string, unknown>) => unknown[]): Promise<BenchWebhookApp> {
  const hits = new Map<string, number>();
  let badBodies = 0;
  let closed = false;
  const server = createServer((req, res) => {
    void readJson(req).then((payload) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (!payload) badBodies++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload ? answer(path, payload) : []));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits,
    get badBodies() { return badBodies; },
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
