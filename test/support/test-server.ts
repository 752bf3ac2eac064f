/**
 * Starts the whole server in-process, as `switchboard start` does, on free loopback ports with a
 * temporary data directory and no banner; close() stops it and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import { MIN_PAIRS_PER_WORKER } from '../../src/media/index.ts';
import { freePort } from './ports.ts';

export interface TestServer {
  server: Server;
  port: number;
  dataDir: string;
  /** "sip:<user>@127.0.0.1:<port>". */
  uri(user: string): string;
  close(): Promise<void>;
}

/** Media worker threads of test servers: SWITCHBOARD_MEDIA_WORKERS when set, else 0 (tests that need workers ask). */
export const testMediaWorkers = process.env['SWITCHBOARD_MEDIA_WORKERS'];

export async function startTestServer(options: { rtpPairs?: number; mediaWorkers?: number } = {}): Promise<TestServer> {
  const port = await freePort();
  const workers = Number(options.mediaWorkers ?? testMediaWorkers ?? 0);
  // Media workers each need a slice of at least MIN_PAIRS_PER_WORKER pairs, or the server runs fewer.
  const span = 2 * (options.rtpPairs ?? Math.max(16, workers * MIN_PAIRS_PER_WORKER));
  const rtp = await freePort('127.0.0.1', span);
  const low = rtp + (rtp & 1);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-server-'));
  const server = await startServer({
    flags: { sip: `127.0.0.1:${port}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + span - 1}`, logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent',
      mediaWorkers: String(workers),
    },
    env: {},
    banner: false,
  });
  return {
    server,
    port,
    dataDir,
    uri: (user) => `sip:${user}@127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits, with the caller's `wait`, until no channel, dialog or RTP port of the server is left. */
export async function waitIdle(server: Server, wait: (what: string, check: () => boolean) => Promise<void>): Promise<void> {
  await wait('channels to end', () => server.sw.counts().channels === 0);
  await wait('dialogs to end', () => server.sip.dialogs.counts.dialogs === 0);
  await wait('RTP ports back', () => server.media.portsInUse === 0);
}
