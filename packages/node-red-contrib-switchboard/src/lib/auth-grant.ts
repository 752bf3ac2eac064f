/** What a successful registration check grants (../../shared/specs/jambonz.md §5, user auth). */

export interface AuthGrant {
  expires?: number;
  application_sid?: string;
  allow_direct_user_calling?: boolean;
  allow_direct_app_calling?: boolean;
  allow_direct_queue_calling?: boolean;
}

/** The expiry granted: the smaller of what the device asked for and the configured maximum. */
export function grantExpires(requested: unknown, configured: number | undefined): number | undefined {
  const asked = typeof requested === 'number' ? requested : typeof requested === 'string' && requested.trim() !== '' ? Number(requested) : undefined;
  const a = asked !== undefined && Number.isFinite(asked) ? asked : undefined;
  if (a === undefined) return configured;
  if (configured === undefined) return a;
  return Math.min(a, configured);
}
