import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../../../../test/support/ports.ts';
import type { JambonzAccount } from '../contract.ts';
import { RequestorError, makeRequestorFactory, verifySignature } from './index.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const account: JambonzAccount = { account_sid: 'acc-1', name: 'default', webhook_secret: 'sekrit' };
const routes = new Map<string, Handler>();
const seen: Seen[] = [];
let server: Server;
let base = '';

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function hits(path: string): Seen[] {
  return seen.filter((s) => s.url.split('?')[0] === path);
}

function isCode(code: string, status?: number) {
  return (e: unknown) => e instanceof RequestorError && e.code === code && (status === undefined || e.status === status);
}

const factory = makeRequestorFactory({ retryDelay: () => 5, httpTimeoutMs: 300, maxBodyBytes: 64 * 1024 });

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = routes.get((req.url ?? '').split('?')[0] ?? '');
      if (handler) handler(req, res, body);
      else json(res, 404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  routes.set('/app', (_q, res) => json(res, 200, [{ verb: 'say', text: 'hello' }]));
  routes.set('/empty', (_q, res) => {
    res.writeHead(204);
    res.end();
  });
  routes.set('/empty200', (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end();
  });
  routes.set('/html', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>oops</body></html>');
  });
  routes.set('/broken', (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[{"verb": "say", ');
  });
  routes.set('/huge', (_q, res) => json(res, 200, [{ verb: 'say', text: 'x'.repeat(100_000) }]));
  routes.set('/fail500', (_q, res) => json(res, 500, {}));
  routes.set('/slow', () => {
    /* never answers */
  });
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('webhook requestor', () => {
  it('POSTs the snake-cased payload, signed and with Basic auth, and returns the verbs', async () => {
    const r = factory({ url: `${base}/app`, username: 'user', password: 'pass' }, { account, callSid: 'c-1' });
    assert.equal(r.transport, 'http');
    const verbs = await r.request('session:new', { url: `${base}/app`, username: 'user', password: 'pass' }, {
      callSid: 'c-1',
      callStatus: 'trying',
      customerData: { keepMe: 1 },
    });
    assert.deepEqual(verbs, [{ verb: 'say', text: 'hello' }]);
    const s = hits('/app').at(-1)!;
    assert.equal(s.method, 'POST');
    assert.equal(s.headers['content-type'], 'application/json');
    assert.equal(s.headers['authorization'], `Basic ${Buffer.from('user:pass').toString('base64')}`);
    assert.deepEqual(JSON.parse(s.body), { call_sid: 'c-1', call_status: 'trying', customerData: { keepMe: 1 } });
    const sig = s.headers['jambonz-signature'];
    assert.equal(typeof sig, 'string');
    assert.equal(verifySignature(sig as string, account.webhook_secret, s.body, Date.now()), true);
    // the SDK's verifier re-serializes the parsed body: the same text
    assert.equal(verifySignature(sig as string, account.webhook_secret, JSON.stringify(JSON.parse(s.body)), Date.now()), true);
    await r.close();
  });

  it('GET hooks send the payload as query parameters and no body', async () => {
    const hook = { url: `${base}/app`, method: 'GET' };
    const r = factory(hook, { account, callSid: 'c-2' });
    await r.request('verb:hook', hook, { callSid: 'c-2', sipStatus: 200, speech: { isFinal: true } });
    const s = hits('/app').at(-1)!;
    assert.equal(s.method, 'GET');
    assert.equal(s.body, '');
    const q = new URL(s.url, base).searchParams;
    assert.equal(q.get('call_sid'), 'c-2');
    assert.equal(q.get('sip_status'), '200');
    assert.equal(q.get('speech'), '{"is_final":true}');
    await r.close();
  });

  it('relative hooks resolve against the call hook and inherit its credentials', async () => {
    const r = factory({ url: `${base}/app`, username: 'u', password: 'p' }, { account, callSid: 'c-3' });
    const before = hits('/empty').length;
    assert.equal(await r.request('verb:hook', '/empty', { reason: 'timeout' }), undefined);
    const s = hits('/empty').at(-1)!;
    assert.equal(hits('/empty').length, before + 1);
    assert.equal(s.headers['authorization'], `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.equal(await r.request('verb:hook', '/empty200', {}), undefined);
    await r.close();
  });

  it('garbage replies reject with JAMBONZ_HOOK_BODY, errors with JAMBONZ_HOOK_STATUS', async () => {
    const r = factory(`${base}/app`, { account, callSid: 'c-4' });
    await assert.rejects(r.request('verb:hook', '/html', {}), isCode('JAMBONZ_HOOK_BODY'));
    await assert.rejects(r.request('verb:hook', '/broken', {}), isCode('JAMBONZ_HOOK_BODY'));
    await assert.rejects(r.request('verb:hook', '/huge', {}), isCode('JAMBONZ_HOOK_BODY'));
    await assert.rejects(r.request('verb:hook', '/missing', {}), isCode('JAMBONZ_HOOK_STATUS', 404));
    await r.close();
  });

  it('#rc=&rp= retries are counted per policy', async () => {
    const r = factory(`${base}/app`, { account, callSid: 'c-5' });
    let n = hits('/fail500').length;
    await assert.rejects(r.request('verb:hook', '/fail500#rc=2&rp=5xx', {}), isCode('JAMBONZ_HOOK_STATUS', 500));
    assert.equal(hits('/fail500').length - n, 3);
    n = hits('/fail500').length;
    await assert.rejects(r.request('verb:hook', '/fail500#rc=2&rp=4xx', {}), isCode('JAMBONZ_HOOK_STATUS', 500));
    assert.equal(hits('/fail500').length - n, 1, 'a 5xx is not retried under rp=4xx');
    n = hits('/fail500').length;
    await assert.rejects(r.request('verb:hook', '/fail500', {}), isCode('JAMBONZ_HOOK_STATUS', 500));
    assert.equal(hits('/fail500').length - n, 1, 'no retries without a fragment');
    await r.close();
  });

  it('times out, and retries timeouts only under rp=rt', async () => {
    const r = factory(`${base}/app`, { account, callSid: 'c-6' });
    let n = hits('/slow').length;
    const t0 = Date.now();
    await assert.rejects(r.request('verb:hook', '/slow', {}), isCode('JAMBONZ_HOOK_TIMEOUT'));
    assert.ok(Date.now() - t0 >= 250, 'waited for the timeout');
    assert.equal(hits('/slow').length - n, 1);
    n = hits('/slow').length;
    await assert.rejects(r.request('verb:hook', '/slow#rc=1&rp=rt', {}), isCode('JAMBONZ_HOOK_TIMEOUT'));
    assert.equal(hits('/slow').length - n, 2);
    await r.close();
  });

  it('connection errors reject with JAMBONZ_HOOK_CONNECT after the ct retries', async () => {
    const dead = await freePort();
    let delays = 0;
    const f = makeRequestorFactory({ retryDelay: () => (delays++, 1) });
    const r = f(`http://127.0.0.1:${dead}/x#rc=2`, { account, callSid: 'c-7' });
    await assert.rejects(r.request('session:new', `http://127.0.0.1:${dead}/x#rc=2`, {}), isCode('JAMBONZ_HOOK_CONNECT'));
    assert.equal(delays, 2);
    await r.close();
  });

  it('notifications post and ignore the reply; jambonz:error is not sent over HTTP', async () => {
    const r = factory(`${base}/app`, { account, callSid: 'c-8' });
    const n = hits('/empty').length;
    r.notify('call:status', '/empty', { callStatus: 'completed' });
    r.notify('jambonz:error', '/empty', { msg: 'x' });
    r.notify('verb:status', undefined, { event: 'starting' });
    for (let i = 0; i < 100 && hits('/empty').length === n; i++) await new Promise((res) => setTimeout(res, 10));
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(hits('/empty').length, n + 1);
    assert.deepEqual(JSON.parse(hits('/empty').at(-1)!.body), { call_status: 'completed' });
    await r.close();
  });

  it('close() aborts a request in flight and is idempotent', async () => {
    const r = factory(`${base}/app`, { account, callSid: 'c-9' });
    const p = r.request('verb:hook', '/slow', {});
    await new Promise((res) => setTimeout(res, 30));
    await r.close();
    await r.close();
    await assert.rejects(p, isCode('JAMBONZ_HOOK_CLOSED'));
    await assert.rejects(r.request('verb:hook', '/app', {}), isCode('JAMBONZ_HOOK_CLOSED'));
  });
});
