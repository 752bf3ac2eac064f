/**
 * JSON files in the data directory: read as `unknown` (parsed by the caller's schema), written
 * atomically (a temporary file in the same directory, then rename) so a crash never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomToken } from '../../../lib/index.ts';
import { JambonzPlatformError } from './platform-error.ts';

export type JsonRead = { ok: true; value: unknown } | { ok: false; missing: boolean; error?: string };

export function readJsonFile(path: string): JsonRead {
  if (!existsSync(path)) return { ok: false, missing: true };
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (err) {
    return { ok: false, missing: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function writeJsonFileAtomic(path: string, value: unknown, mode = 0o600): void {
  const tmp = `${path}.${randomToken(8)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode });
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was left behind to remove (the directory itself is unusable).
    }
    throw new JambonzPlatformError('JAMBONZ_STORE_WRITE', `cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
