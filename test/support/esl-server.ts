/**
 * Starts the whole server in-process for event-socket interop tests: SIP on a free loopback port, the
 * event socket on an ephemeral port, a small RTP range, a temporary data directory holding a config
 * file with the given `esl.outbound` routes. close() stops it and removes the directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Server } from '../../src/main.ts';
import { freePort } from './ports.ts';

export interface EslOutboundRoute {
  number: string;
  target: string;
}

export interface EslTestServer {
  server: Server;
  sipPort: number;
  /** The inbound event socket's port. */
  eslPort: number;
  dataDir: string;
  close(): Promise<void>;
}

export async function startEslServer(options: { outbound?: EslOutboundRoute[]; rtpPairs?: number } = {}): Promise<EslTestServer> {
  const sipPort = await freePort();
  const span = 2 * (options.rtpPairs ?? 16);
  const rtp = await freePort('127.0.0.1', span);
  const low = rtp + (rtp & 1);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-esl-'));
  const configFile = join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ esl: { outbound: options.outbound ?? [] } }));
  const server = await startServer({
    configFile,
    flags: { sip: `127.0.0.1:${sipPort}`, esl: '127.0.0.1:0', http: '127.0.0.1:0', dataDir, rtpPorts: `${low}-${low + span - 1}`,
      logLevel: process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'silent' },
    env: {},
    banner: false,
  });
  const eslPort = server.esl?.address.port;
  if (eslPort === undefined) throw new Error('the event socket did not start');
  return {
    server,
    sipPort,
    eslPort,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
