import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../../lib/index.ts';
import { silentLogger } from '../../../../lib/index.ts';
import { RecordingMetaFile } from './recording-meta-file.ts';

test('writes in order: the last state is the one on disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-meta-'));
  try {
    const file = new RecordingMetaFile(dir, 'r1', silentLogger());
    assert.equal(file.path, join(dir, 'r1.json'));
    const meta = { status: 'in-progress' };
    const writes = [file.write(meta)];
    meta.status = 'paused';
    writes.push(file.write(meta));
    meta.status = 'completed';
    writes.push(file.write(meta));
    await Promise.all(writes);
    assert.deepEqual(JSON.parse(await readFile(file.path, 'utf8')), { status: 'completed' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failed write is a warning, not a rejection, and later writes still run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-meta-'));
  const warnings: unknown[] = [];
  const log = { ...silentLogger(), warn: (o: unknown) => { warnings.push(o); } } as unknown as Logger;
  try {
    const missing = new RecordingMetaFile(join(dir, 'no-such-folder'), 'r2', log);
    await missing.write({ status: 'in-progress' });
    assert.equal(warnings.length, 1);
    assert.match(JSON.stringify(warnings[0]), /r2\.json/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
