/**
 * `webhook in` and `webhook out` (../../shared/specs/jambonz.md §2.1, §2.2, §5): a route on
 * Node-RED's HTTP server that turns a call webhook into msg.call (or a registration hook into
 * msg.authRequest, an inbound message into msg.sms), and the node that answers it with the verbs
 * accumulated in msg.jambonz (or msg.authResponse).
 */
import type { DoneFn, HttpHandler, HttpRequest, HttpResponse, Msg, NodeAPI, NodeConfig, RedNode, SendFn } from '../lib/red-types';
import { BodyError, readBody } from '../lib/read-body';
import { classifyHook, normalizePath, type WebhookMethod } from '../lib/hook-kind';

function queryOf(req: HttpRequest): Record<string, unknown> {
  if (req.query && typeof req.query === 'object') return { ...req.query };
  const url = new URL(req.url ?? '/', 'http://localhost');
  return Object.fromEntries(url.searchParams);
}

function sendJson(res: HttpResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function removeRoute(RED: NodeAPI, path: string, method: WebhookMethod): void {
  const stack = RED.httpNode._router?.stack ?? RED.httpNode.router?.stack;
  if (!stack) return;
  for (let i = stack.length - 1; i >= 0; i--) {
    const route = stack[i]?.route;
    if (route && route.path === path && route.methods[method]) stack.splice(i, 1);
  }
}

export = function register(RED: NodeAPI): void {
  function WebhookIn(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    const path = normalizePath(config.url);
    const method: WebhookMethod = config.method === 'get' ? 'get' : 'post';
    if (RED.settings.httpNodeRoot === false) {
      this.warn('the HTTP node server is disabled (httpNodeRoot is false)');
      return;
    }
    if (!path) {
      this.warn('webhook in: no path configured');
      this.status({ fill: 'red', shape: 'ring', text: 'no path' });
      return;
    }
    const handler: HttpHandler = (req, res) => {
      const query = queryOf(req);
      const bodyPromise = method === 'post' ? readBody(req) : Promise.resolve({});
      bodyPromise.then(
        (body) => {
          const data = method === 'post' ? { ...body, ...query } : query;
          const kind = classifyHook(data);
          const msgid = RED.util.generateId();
          const msg: Msg = { _msgid: msgid, req, res: { _res: res }, [kind]: data };
          this.send(msg);
        },
        (err: unknown) => {
          const status = err instanceof BodyError ? err.status : 400;
          const text = err instanceof Error ? err.message : String(err);
          this.warn(`webhook in ${path}: ${text}`);
          sendJson(res, status, { error: text });
        },
      );
    };
    if (method === 'get') RED.httpNode.get(path, handler);
    else RED.httpNode.post(path, handler);
    this.status({});
    this.on('close', (_removed, done) => {
      removeRoute(RED, path, method);
      done();
    });
  }

  function WebhookOut(this: RedNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    const fixedStatus = Number(config.statusCode) || undefined;
    this.on('input', (msg: Msg, _send: SendFn, done: DoneFn) => {
      const wrapper = msg.res as { _res?: HttpResponse } | undefined;
      const res = wrapper?._res;
      if (!res || typeof res.setHeader !== 'function') {
        this.warn('webhook out: no request to respond to (msg.res is missing)');
        done();
        return;
      }
      if (res.headersSent) {
        this.warn('webhook out: the request was already answered');
        done();
        return;
      }
      try {
        if (msg.headers && typeof msg.headers === 'object') {
          for (const [k, v] of Object.entries(msg.headers as Record<string, unknown>)) {
            if (k.toLowerCase() === 'content-length' || v === undefined || v === null) continue;
            if (k === 'x-node-red-request-this') continue;
            res.setHeader(k, typeof v === 'number' ? v : String(v));
          }
        }
        const status = fixedStatus ?? (Number(msg.statusCode) || 200);
        const verbs = msg.jambonz;
        if (verbs !== null && typeof verbs === 'object' && !Buffer.isBuffer(verbs)) {
          sendJson(res, status, verbs);
        } else if (msg.authResponse !== null && typeof msg.authResponse === 'object') {
          sendJson(res, status, msg.authResponse);
        } else if (typeof verbs === 'string' || Buffer.isBuffer(verbs)) {
          res.statusCode = status;
          res.end(verbs);
        } else {
          sendJson(res, status, []);
        }
        this.status({});
        done();
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        this.status({ fill: 'red', shape: 'ring', text: e.message });
        done(e);
      }
    });
  }

  RED.nodes.registerType('webhook in', WebhookIn);
  RED.nodes.registerType('webhook out', WebhookOut);
};
