/**
 * Starts a real Node-RED runtime in this process: loopback only, a free port, a temporary user
 * directory where this package is installed (as a link in node_modules), the given flows.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import RED from 'node-red';

export interface Runtime {
  url: string;
  userDir: string;
  stop(): Promise<void>;
}

/** The package root (dist/test/support -> ../../..). */
export const PACKAGE_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * `credentials` is written as the (unencrypted) credentials file: node id -> {name: value}.
 * `settings` are added to Node-RED's settings (for example functionGlobalContext).
 */
export async function startNodeRed(
  flows: unknown[],
  credentials?: Record<string, Record<string, string>>,
  settings: Record<string, unknown> = {},
): Promise<Runtime> {
  const userDir = mkdtempSync(join(tmpdir(), 'sb-nodered-'));
  mkdirSync(join(userDir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(userDir, 'node_modules', 'node-red-contrib-switchboard'), 'dir');
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'sb-test-userdir', version: '0.0.0', private: true, dependencies: { 'node-red-contrib-switchboard': '*' } }));
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows));
  if (credentials) writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  // The admin API (no editor) answers under /admin, the flows' HTTP nodes everywhere else.
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/admin/')) {
      req.url = req.url.slice('/admin'.length);
      RED.httpAdmin(req, res);
    } else {
      RED.httpNode(req, res);
    }
  });
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: '/admin',
    httpNodeRoot: '/',
    uiHost: '127.0.0.1',
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    editorTheme: { projects: { enabled: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    runtimeState: { enabled: false },
    logging: { console: { level: process.env.SB_NODERED_LOG ?? 'off' } },
    ...settings,
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  await RED.start();
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    userDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await RED.stop();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON (or a raw string) and returns status, content type and parsed body. */
export async function post(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; type: string; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: parsed };
}

/** Waits until a route answers with something other than 404 (flows start asynchronously). */
export async function waitForRoute(url: string, probe: unknown, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    const res = await post(url, probe).catch(() => null);
    if (res && res.status !== 404) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`route ${url} did not come up within ${timeoutMs} ms`);
}
