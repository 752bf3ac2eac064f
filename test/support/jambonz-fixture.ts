/**
 * What a jambonz integration test sets up around a call: the whole server (test-server.ts), one web
 * server of the test's applications (webhooks over node:http, WebSocket apps through
 * `@jambonz/node-client-ws`), a session manager over the server's switch, inbound routes from numbers
 * to applications, and test phones. close() undoes all of it in order: routes, manager, phones, server,
 * web server. Also: a local speech-to-text server of the jambonz "custom" vendor protocol
 * (startCustomStt), for tests that transcribe.
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../src/lib/index.ts';
import { CustomSttProvider } from '../../src/speech/index.ts';
import {
  createSessionManager, makeRequestorFactory, validateVerbs, type JambonzAccount, type JambonzApplication, type SessionManagerOptions,
} from '../../src/api/jambonz/index.ts';
import { readBody, type Hit } from './http-body.ts';
import { TestPhone } from './test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from './test-server.ts';
import { until as waitUntil } from './wait.ts';

/** A session of a `@jambonz/node-client-ws` application (the methods the tests use). */
export interface WsSession extends EventEmitter {
  call_sid: string;
  to: string;
  answer(opts?: Record<string, unknown>): WsSession;
  say(opts: Record<string, unknown>): WsSession;
  play(opts: Record<string, unknown>): WsSession;
  pause(opts: Record<string, unknown>): WsSession;
  dial(opts: Record<string, unknown>): WsSession;
  dub(opts: Record<string, unknown>): WsSession;
  hangup(opts?: Record<string, unknown>): WsSession;
  send(opts?: { execImmediate?: boolean }): void;
  reply(): void;
  sendCommand(command: string, data: unknown): void;
  injectCommand(command: string, data: unknown, callSid?: string): void;
}

const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

export interface JambonzFixtureOptions {
  /** Media worker threads of the server (test-server.ts decides when absent). */
  mediaWorkers?: number;
  /** Answers the webhooks of the test's applications; without it the web server answers 404. */
  webhook?: (req: IncomingMessage, res: ServerResponse) => void;
  /** More options of the session manager (tts, stt, requestors). */
  manager?: Partial<SessionManagerOptions>;
}

/** A WebSocket application served by ws() that keeps its sessions and the `jambonz:error` messages they got. */
export interface WsApp {
  /** Its ws:// URL (the call_hook of a route). */
  url: string;
  sessions: WsSession[];
  errors: Record<string, unknown>[];
}

/** What an application is: its hooks (see hook() and ws()) and, when a test looks at them, its sid and name. */
export type AppSpec = Partial<Omit<JambonzApplication, 'account_sid'>> & { call_hook: string };

export interface JambonzFixture {
  srv: TestServer;
  /** The web server of the test's applications. */
  web: HttpServer;
  /** http://127.0.0.1:<port> of the web server. */
  base: string;
  manager: ReturnType<typeof createSessionManager>;
  account: JambonzAccount;
  /** The URL of a webhook path on the web server. */
  hook(path: string): string;
  /** Serves a `@jambonz/node-client-ws` application at `path`; returns its ws:// URL. */
  ws(path: string, onSession: (session: WsSession) => void, onReconnect?: (session: WsSession) => void): string;
  /** Like ws(), keeping each new session and its `jambonz:error` messages before `onSession` runs. */
  wsApp(path: string, onSession: (session: WsSession) => void): WsApp;
  /**
   * Routes calls to `number` (or numbers matching a pattern) to an application of the server's account
   * (or of `account`); undone by close().
   */
  route(number: string | RegExp, app: AppSpec, account?: JambonzAccount): JambonzApplication;
  /** A test phone, closed by close(). */
  phone(): Promise<TestPhone>;
  /** Waits (8 s at the most) until no channel, dialog or RTP port of the server is left. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A webhook handler that reads each request's JSON body (`{}` when it is not JSON) and hands it on with
 * the request's path (and, for tests that look at headers or signatures, the request and the body's text).
 */
export function jsonWebhook(
  onHit: (hit: Hit, res: ServerResponse, req: IncomingMessage, raw: string) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void readBody(req).then((text) => {
      let body: Record<string, unknown> = {};
      try { body = JSON.parse(text || '{}') as Record<string, unknown>; } catch { body = {}; }
      onHit({ path: req.url ?? '/', body }, res, req, text);
    });
  };
}

/** What startCustomStt's server has seen: recognition streams started and closed. */
export interface CustomSttEvents { starts: number; closes: number }

export interface CustomStt {
  /** The provider to give the session manager (through `recognizerFrom`). */
  provider: CustomSttProvider;
  events: CustomSttEvents;
  close(): Promise<void>;
}

/**
 * A local speech-to-text server speaking the jambonz "custom" vendor protocol (specs/jambonz.md §3.A
 * `recognizer.vendor: custom`): it counts `start` messages, closes the stream on `stop`, and sends a
 * final result for each 16,000 bytes (0.5 s of 16 kHz L16) of audio, its text from `transcript` (the
 * result's number in the stream, from 1, and the stream's number, from 1).
 */
export async function startCustomStt(transcript: (count: number, stream: number) => string): Promise<CustomStt> {
  const events: CustomSttEvents = { starts: 0, closes: 0 };
  const stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  stt.on('connection', (ws) => {
    let bytes = 0;
    let count = 0;
    ws.on('close', () => { events.closes += 1; });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const m = JSON.parse(data.toString()) as Record<string, unknown>;
        if (m['type'] === 'start') events.starts += 1;
        if (m['type'] === 'stop') ws.close();
        return;
      }
      bytes += (data as Buffer).length;
      if (bytes >= 16_000) {
        bytes = 0;
        count += 1;
        ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: transcript(count, events.starts), confidence: 0.9 }] }));
      }
    });
  });
  await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
  const provider = new CustomSttProvider({ url: `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt` });
  let closed = false;
  return {
    provider, events,
    async close() {
      if (closed) return;
      closed = true;
      await provider.close();
      for (const c of stt.clients) c.terminate();
      await new Promise<void>((resolve) => stt.close(() => resolve()));
    },
  };
}

/** Polls every 20 ms, 8 s unless told otherwise: the pace of the jambonz integration tests. */
export const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

export async function startJambonz(options: JambonzFixtureOptions = {}): Promise<JambonzFixture> {
  const srv = await startTestServer(options.mediaWorkers === undefined ? {} : { mediaWorkers: options.mediaWorkers });
  const webhook = options.webhook;
  const web = createServer((req, res) => {
    if (webhook) return webhook(req, res);
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const addr = web.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const base = `http://127.0.0.1:${port}`;
  const manager = createSessionManager({
    sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
    ...options.manager,
  });
  const account = srv.server.jambonz.account;
  const routes: (() => void)[] = [];
  const phones: TestPhone[] = [];
  let service: ((opts: { path: string }) => EventEmitter) | undefined;
  let closed = false;
  const ws: JambonzFixture['ws'] = (path, onSession, onReconnect) => {
    service ??= createEndpoint({ server: web });
    const svc = service({ path });
    svc.on('session:new', onSession);
    if (onReconnect) svc.on('session:reconnect', onReconnect);
    return `ws://127.0.0.1:${port}${path}`;
  };
  return {
    srv, web, base, manager, account,
    hook: (path) => `${base}${path}`,
    ws,
    wsApp(path, onSession) {
      const app: WsApp = { url: '', sessions: [], errors: [] };
      app.url = ws(path, (s) => {
        app.sessions.push(s);
        s.on('jambonz:error', (e: Record<string, unknown>) => app.errors.push(e));
        onSession(s);
      });
      return app;
    },
    route(number, spec, owner = account) {
      const name = typeof number === 'string' ? number : 'app';
      const app: JambonzApplication = { application_sid: name, name, ...spec, account_sid: owner.account_sid };
      routes.push(srv.server.sw.router.register(
        typeof number === 'string' ? { number, priority: 1000 } : { pattern: number, priority: 1000 },
        (channel) => manager.startInbound(channel, app, owner),
      ));
      return app;
    },
    async phone() {
      const p = await TestPhone.start();
      phones.push(p);
      return p;
    },
    idle: () => waitIdle(srv.server, until),
    async close() {
      if (closed) return;
      closed = true;
      for (const off of routes) off();
      await manager.close();
      for (const p of phones) await p.close();
      await srv.close();
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
