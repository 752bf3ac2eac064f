/**
 * Event-socket `api` round trips on the whole server over loopback TCP: sequential (send, wait for the
 * api/response, repeat) with latency percentiles, and pipelined (all commands written at once, replies
 * counted as they come back in order), for `api status` and `api uptime`.
 *
 *   npx tsx test/bench/esl-api.bench.ts
 *   COUNT=5000 npx tsx test/bench/esl-api.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { EslTestClient } from '../support/esl-client.ts';
import { startEslServer } from '../support/esl-server.ts';

const COUNT = Number(process.env['COUNT'] ?? 3000);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function sequential(c: EslTestClient, cmd: string): Promise<Record<string, number | string>> {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const s = performance.now();
    await c.api(cmd);
    lat.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { mode: 'sequential', cmd, count: COUNT, 'per s': Math.round(COUNT / secs), 'p50 ms': Number(pct(lat, 50).toFixed(3)), 'p99 ms': Number(pct(lat, 99).toFixed(3)) };
}

async function pipelined(c: EslTestClient, cmd: string): Promise<Record<string, number | string>> {
  const t0 = performance.now();
  const replies: Promise<unknown>[] = [];
  for (let i = 0; i < COUNT; i++) replies.push(c.next('api/response', 60_000));
  c.send(`api ${cmd}\n\n`.repeat(COUNT));
  await Promise.all(replies);
  const secs = (performance.now() - t0) / 1000;
  return { mode: 'pipelined', cmd, count: COUNT, 'per s': Math.round(COUNT / secs), 'p50 ms': '', 'p99 ms': '' };
}

const srv = await startEslServer();
const c = await EslTestClient.authed(srv.eslPort);
// Warm up.
for (let i = 0; i < 200; i++) await c.api('uptime');
const rows = [];
for (const cmd of ['status', 'uptime']) {
  rows.push(await sequential(c, cmd));
  rows.push(await pipelined(c, cmd));
}
console.table(rows);
c.close();
await srv.close();
process.exit(0);
