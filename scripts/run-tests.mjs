#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and packages/ with node:test through tsx.
// Usage: node scripts/run-tests.mjs [path-prefix ...]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const roots = ['src', 'test'];
const prefixes = process.argv.slice(2);
const files = [];
for (const root of roots) {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.test.ts')) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (path.includes('node_modules')) continue;
    if (prefixes.length && !prefixes.some((p) => path.startsWith(p))) continue;
    files.push(path);
  }
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = Math.max(2, availableParallelism());
const result = spawnSync(
  process.execPath,
  // No single test may run longer than 2 minutes, nor the whole suite longer than 25.
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    timeout: 25 * 60_000,
    killSignal: 'SIGKILL',
    env: { ...process.env, SWITCHBOARD_LOG_LEVEL: process.env.SWITCHBOARD_LOG_LEVEL ?? 'silent' },
  },
);
if (result.error) console.error(`test run aborted: ${result.error.message}`);
process.exit(result.status ?? 1);
