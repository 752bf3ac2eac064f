/**
 * Bearer API keys (specs/jambonz.md §2.6: `Authorization: Bearer <api key>`). A request without a
 * valid key is answered as the api-server's passport bearer strategy does: 401 with a
 * `WWW-Authenticate: Bearer` challenge and the text `Unauthorized`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer <token>` header value, if it is one. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An onRequest hook that lets through requests carrying one of the keys. */
export function bearerGuard(keys: () => readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req.headers.authorization);
    if (token !== undefined && keys().some((k) => sameSecret(k, token))) return;
    await reply
      .code(401)
      .header('WWW-Authenticate', token === undefined ? 'Bearer realm="Users"' : 'Bearer realm="Users", error="invalid_token"')
      .type('text/plain; charset=utf-8')
      .send('Unauthorized');
  };
}
