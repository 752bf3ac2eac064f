/**
 * The call recordings kept in the recordings directory (one folder per account: `<recordingSid>.wav`
 * and its `<recordingSid>.json` description, call-recorder.ts): listed newest first and found by sid
 * for download over REST. Metadata files that cannot be read or parsed are skipped with a log line.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage, type Logger } from '../../../../lib/index.ts';
import type { RecordingMeta } from './call-recorder.ts';

const SID = /^[0-9a-f-]{36}$/i;

const metaSchema = z.object({
  recording_sid: z.string().regex(SID),
  call_sid: z.string(),
  account_sid: z.string(),
  status: z.enum(['in-progress', 'paused', 'completed', 'failed']),
  started_at: z.string(),
}).passthrough();

export interface RecordingCatalog {
  /** The account's recordings, newest first. */
  list(accountSid: string): Promise<RecordingMeta[]>;
  /** One recording and the path of its WAV (undefined while it is not complete). */
  get(accountSid: string, recordingSid: string): Promise<{ meta: RecordingMeta; file: string | undefined } | undefined>;
}

/** Account folders are named after the sid; anything that could leave the directory is refused. */
export function accountDir(root: string, accountSid: string): string | undefined {
  return /^[A-Za-z0-9_-]{1,64}$/.test(accountSid) ? join(root, accountSid) : undefined;
}

export function recordingCatalog(root: string, log: Logger): RecordingCatalog {
  const read = async (dir: string, sid: string): Promise<RecordingMeta | undefined> => {
    try {
      const parsed = metaSchema.safeParse(JSON.parse(await readFile(join(dir, `${sid}.json`), 'utf8')));
      if (parsed.success) return parsed.data as unknown as RecordingMeta;
      log.warn({ sid }, 'recording metadata is not usable');
    } catch (err) {
      log.warn({ sid, err: errorMessage(err) }, 'recording metadata cannot be read');
    }
    return undefined;
  };
  return {
    async list(accountSid) {
      const dir = accountDir(root, accountSid);
      if (!dir || !existsSync(dir)) return [];
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((n) => SID.test(n));
      const metas = (await Promise.all(names.map((n) => read(dir, n)))).filter((m): m is RecordingMeta => m !== undefined);
      return metas.sort((a, b) => b.started_at.localeCompare(a.started_at));
    },
    async get(accountSid, recordingSid) {
      const dir = accountDir(root, accountSid);
      if (!dir || !SID.test(recordingSid)) return undefined;
      const meta = await read(dir, recordingSid);
      if (!meta || meta.account_sid !== accountSid) return undefined;
      const file = join(dir, `${recordingSid}.wav`);
      return { meta, file: meta.status === 'completed' && existsSync(file) ? file : undefined };
    },
  };
}
