/**
 * The Date header field (RFC 3261 section 20.17): an RFC 1123 date that must be in GMT.
 *
 *   Date = "Date" HCOLON SIP-date         SIP-date = rfc1123-date
 *   rfc1123-date = wkday "," SP date1 SP time SP "GMT"
 */
import { SipParseError } from './errors.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** Parses a SIP-date; anything but the exact RFC 1123 form in GMT is a parse error ("Bad Date"). */
export function parseSipDate(s: string): Date {
  const m = RE.exec(s.trim());
  if (m === null) throw new SipParseError('Bad Date', { detail: `Date must be RFC 1123 in GMT: "${s}"` });
  const [, , day, mon, year, hh, mm, ss] = m;
  const t = Date.UTC(Number(year), MONTHS.indexOf(mon!), Number(day), Number(hh), Number(mm), Number(ss));
  const d = new Date(t);
  if (Number.isNaN(t) || d.getUTCDate() !== Number(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) {
    throw new SipParseError('Bad Date', { detail: `Impossible date "${s}"` });
  }
  return d;
}

/** Writes a SIP-date ("Sat, 13 Nov 2010 23:29:00 GMT"). */
export function formatSipDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}
