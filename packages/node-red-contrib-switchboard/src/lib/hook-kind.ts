/** How `webhook in` files a hook body into msg (../../shared/specs/jambonz.md §5). */

export type WebhookMethod = 'get' | 'post';

/** Which msg property a hook body belongs in. */
export function classifyHook(body: Record<string, unknown>): 'authRequest' | 'sms' | 'call' {
  if (typeof body.method === 'string' && body.method !== '') return 'authRequest';
  if (body.provider !== undefined && body.call_sid === undefined) return 'sms';
  return 'call';
}

export function normalizePath(path: unknown): string | null {
  if (typeof path !== 'string' || path.trim() === '') return null;
  const p = path.trim();
  return p.startsWith('/') ? p : `/${p}`;
}
