/**
 * Reads a webhook request body (JSON or form-encoded) when no body parser ran before us.
 * Bad JSON and oversized bodies become a BodyError with an HTTP status, never a throw elsewhere.
 */
import type { HttpRequest } from './red-types';

export class BodyError extends Error {
  readonly code = 'SB_NR_BODY';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

export function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.trim() === '') return {};
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new BodyError(400, `invalid JSON body: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new BodyError(400, 'the body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  throw new BodyError(415, `unsupported content type ${type}`);
}

export function readBody(req: HttpRequest, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
    return Promise.resolve(req.body as Record<string, unknown>);
  }
  if (Buffer.isBuffer(req.body) || typeof req.body === 'string') {
    // Another middleware already read the stream.
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
    try {
      return Promise.resolve(parseBody(req.headers['content-type'], text));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyError(413, `body larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(parseBody(req.headers['content-type'], Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', (err) => {
      if (failed) return;
      failed = true;
      reject(new BodyError(400, `request aborted: ${err.message}`));
    });
  });
}
