/** Reading what test HTTP servers (webhook apps, STT stubs) receive. */
import type { IncomingMessage } from 'node:http';

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { data += c; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** One webhook request a test app received. */
export interface Hit { path: string; body: Record<string, unknown> }
