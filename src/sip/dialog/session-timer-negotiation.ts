/**
 * RFC 4028 negotiation, as pure functions: the Session-Expires (section 4) and Min-SE (section 5) header
 * fields; what a UAS answers to an INVITE, re-INVITE or UPDATE (section 9: 422 with Min-SE when the
 * interval is below our minimum, otherwise a Session-Expires with a refresher in the 2xx and Require:
 * timer when the UAC supports it); what a UAC puts in its requests (section 7.1); and the session timer a
 * UAC takes from a 2xx (section 7.2: none when the 2xx has no Session-Expires).
 *
 * In the header fields "uac" and "uas" name the roles in the transaction that carries them; a dialog
 * keeps the outcome as `refresherLocal` so that it survives refreshes sent in either direction.
 */
import type { SipMessage } from '../message/index.ts';
import { parseParams } from '../message/index.ts';
import type { SessionTimerConfig } from './dialog-context.ts';
import { advertises } from './extensions.ts';

/** The smallest session interval RFC 4028 allows (section 4), seconds. */
export const MIN_SE_FLOOR = 90;

export interface SessionExpires {
  interval: number;
  refresher?: 'uac' | 'uas';
}

/** The session timer of a dialog once negotiated. */
export interface SessionInterval {
  /** Seconds. */
  interval: number;
  /** Whether this side sends the refreshes. */
  refresherLocal: boolean;
}

function seconds(text: string): number | undefined {
  return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/** The Session-Expires of a message (header "Session-Expires" or compact "x"), undefined if absent or bad. */
export function parseSessionExpires(msg: SipMessage): SessionExpires | undefined {
  const raw = msg.headers.get('session-expires');
  if (raw === undefined) return undefined;
  const semi = raw.indexOf(';');
  const interval = seconds((semi < 0 ? raw : raw.slice(0, semi)).trim());
  if (interval === undefined || interval === 0) return undefined;
  let refresher: string | null | undefined;
  try {
    refresher = semi < 0 ? undefined : parseParams(raw.slice(semi))['refresher'];
  } catch {
    refresher = undefined;
  }
  const r = refresher?.toLowerCase();
  return r === 'uac' || r === 'uas' ? { interval, refresher: r } : { interval };
}

/** The Min-SE of a message, undefined if absent or bad (its parameters are ignored). */
export function parseMinSE(msg: SipMessage): number | undefined {
  const raw = msg.headers.get('min-se');
  if (raw === undefined) return undefined;
  const semi = raw.indexOf(';');
  return seconds((semi < 0 ? raw : raw.slice(0, semi)).trim());
}

export type UasDecision =
  | { kind: 'reject'; minSE: number }
  | { kind: 'accept'; headers: [string, string][]; session: SessionInterval | undefined };

/** Our effective minimum (never below the RFC floor). */
export function localMinSE(cfg: SessionTimerConfig): number {
  return Math.max(MIN_SE_FLOOR, cfg.minSE);
}

/**
 * Section 9: the UAS's decision for a session-creating or refreshing request. `current` is the session
 * timer of the dialog for a re-INVITE/UPDATE.
 */
export function negotiateAsUas(req: SipMessage, cfg: SessionTimerConfig, current?: SessionInterval): UasDecision {
  if (!cfg.enabled) return { kind: 'accept', headers: [], session: undefined };
  const ourMin = localMinSE(cfg);
  const se = parseSessionExpires(req);
  const uacSupports = advertises(req, 'timer');
  const floor = Math.max(ourMin, parseMinSE(req) ?? MIN_SE_FLOOR);
  let interval: number;
  let refresher: 'uac' | 'uas';
  if (se) {
    if (se.interval < ourMin) return { kind: 'reject', minSE: ourMin };
    interval = Math.max(Math.min(se.interval, cfg.expires), floor);
    refresher = se.refresher ?? (uacSupports ? cfg.refresher : 'uas');
  } else {
    interval = Math.max(current?.interval ?? cfg.expires, floor);
    if (current?.refresherLocal) refresher = 'uas';
    else refresher = uacSupports ? (current ? 'uac' : cfg.refresher) : 'uas';
  }
  const headers: [string, string][] = [['Session-Expires', `${interval};refresher=${refresher}`]];
  if (uacSupports) headers.push(['Require', 'timer']);
  return { kind: 'accept', headers, session: { interval, refresherLocal: refresher === 'uas' } };
}

/**
 * Section 7.1 / 7.4: Session-Expires (and Min-SE when not the default) for a request this side sends.
 * A refresh names the current refresher from this transaction's point of view.
 */
export function uacSessionHeaders(
  cfg: SessionTimerConfig,
  opts: { current?: SessionInterval; minSE?: number } = {},
): [string, string][] {
  if (!cfg.enabled) return [];
  const minSE = Math.max(localMinSE(cfg), opts.minSE ?? 0);
  const interval = Math.max(opts.current?.interval ?? cfg.expires, minSE);
  const value = opts.current ? `${interval};refresher=${opts.current.refresherLocal ? 'uac' : 'uas'}` : String(interval);
  const out: [string, string][] = [['Session-Expires', value]];
  if (minSE !== MIN_SE_FLOOR) out.push(['Min-SE', String(minSE)]);
  return out;
}

/** Section 7.2: the session timer a UAC runs after a 2xx (undefined: no session expiration). */
export function sessionFromResponse(res: SipMessage): SessionInterval | undefined {
  const se = parseSessionExpires(res);
  if (!se) return undefined;
  return { interval: se.interval, refresherLocal: (se.refresher ?? 'uac') === 'uac' };
}
