/**
 * The HTTP server of the platform (fastify): the jambonz-compatible REST API lives under `/v1`
 * (specs/jambonz.md §2.6), `GET /health` answers for probes. Bodies are JSON only; a malformed body is
 * answered 400 `{msg}` (the api-server's error shape), an unknown route 404, a failing handler 500, and
 * none of them takes the server down. A body may be empty even with `Content-Type: application/json`
 * (REST clients send that header on DELETE).
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { errorMessage, type Logger } from '../../../lib/index.ts';
import { JambonzPlatformError } from '../provisioning/index.ts';

export interface HttpServerOptions {
  /** `HOST:PORT` (IPv6 in brackets); port 0 picks a free port. */
  listen: string;
  log: Logger;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Registers the routes before the server listens. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface HttpServer {
  readonly app: FastifyInstance;
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

export function splitListen(value: string): { host: string; port: number } {
  const idx = value.lastIndexOf(':');
  if (idx < 0) return { host: value, port: 3000 };
  return { host: value.slice(0, idx).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(idx + 1)) };
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = options.log;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1024 * 1024, forceCloseConnections: true });
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    json(req, text, done);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) log.error({ err: errorMessage(err), method: req.method, url: req.url }, 'HTTP request failed');
    else log.info({ status, err: errorMessage(err), method: req.method, url: req.url }, 'HTTP request refused');
    void reply.code(status).send({ msg: status >= 500 ? 'internal error' : errorMessage(err) });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ msg: `no route for ${req.method} ${req.url.split('?')[0] ?? ''}` });
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await options.routes?.(app);

  const { host, port } = splitListen(options.listen);
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close().catch(() => undefined);
    const code = (err as { code?: unknown }).code;
    const why = code === 'EADDRINUSE' ? 'the address is in use' : errorMessage(err);
    throw new JambonzPlatformError('JAMBONZ_HTTP_LISTEN', `cannot listen for HTTP on ${options.listen}: ${why} (choose another address with --http HOST:PORT)`, { cause: err });
  }
  const bound = app.server.address();
  const address = typeof bound === 'object' && bound !== null ? { host: bound.address, port: bound.port } : { host, port };
  log.info({ host: address.host, port: address.port }, 'HTTP listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    address,
    close() {
      closing ??= app.close().catch((err: unknown) => {
        log.warn({ err: errorMessage(err) }, 'HTTP server close failed');
      });
      return closing;
    },
  };
}
