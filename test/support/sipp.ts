/**
 * Runs sipp (Debian package `sip-tester`) as a child process with bounded call counts and a hard time
 * limit, and reads back its statistics.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v'], { stdio: 'ignore' }).status !== null;
}

export interface SippResult {
  exitCode: number | null;
  /** Counters from the last line of the -trace_stat CSV, when present. */
  stats: Record<string, string>;
  successful: number;
  failed: number;
  stdout: string;
  stderr: string;
  dir: string;
}

export interface SippOptions {
  args: string[];
  /** Kill sipp after this long (ms). */
  timeoutMs: number;
  cwd?: string;
}

function parseStats(dir: string, statFile: string | undefined): Record<string, string> {
  const file = statFile ?? readdirSync(dir).find((f) => f.endsWith('_.csv'));
  if (!file || !existsSync(join(dir, file))) return {};
  const lines = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const head = lines[0]?.split(';') ?? [];
  const last = lines[lines.length - 1]?.split(';') ?? [];
  const out: Record<string, string> = {};
  head.forEach((h, i) => {
    if (h) out[h] = last[i] ?? '';
  });
  return out;
}

let runs = 0;

/** Runs sipp to completion (it must be given -m N) and returns its result. */
export function runSipp(opts: SippOptions): Promise<SippResult> {
  const dir = opts.cwd ?? mkdtempSync(join(tmpdir(), 'sb-sipp-'));
  // Each run writes its own statistics file, so several sipps can share a working directory.
  const statFile = `sipp-stats-${++runs}-${process.pid}.csv`;
  const args = [...opts.args, '-nostdin', '-trace_stat', '-stf', statFile, '-fd', '1', '-trace_err'];
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stats = parseStats(dir, statFile);
      resolve({
        exitCode: code,
        stats,
        successful: Number(stats['SuccessfulCall(C)'] ?? NaN),
        failed: Number(stats['FailedCall(C)'] ?? NaN),
        stdout,
        stderr,
        dir,
      });
    });
  });
}
