/**
 * Dial targets to originate targets (specs/jambonz.md §3.A `dial.target`): `phone` (through a carrier,
 * or `sip:<number>@<trunk>` when the trunk is a host), `sip` (`sipUri`, optional `auth`), `user` (a
 * user registered here: `user/<name>`). At most 10, duplicates dropped (the original dedups), each with
 * its own headers and confirmHook. `teams` targets are not supported. Pure.
 */
import type { Hook } from '../../contract.ts';
import { asHeaders, asRecord, asString } from '../verb-data.ts';
import { hookOf } from '../verbs/verb.ts';
import type { CarrierDirectory } from './carrier-directory.ts';

export const MAX_TARGETS = 10;

export interface DialTarget {
  type: 'phone' | 'sip' | 'user';
  /** What sw.originate dials. */
  target: string;
  /** The number or user called (the B leg's `to`). */
  destination: string;
  headers: Record<string, string>;
  variables: Record<string, string>;
  /** Digest credentials (the carrier's, or the sip target's `auth`). */
  auth?: { username: string; password: string };
  confirmHook?: Hook;
  /** Caller id user part the carrier wants. */
  fromUser?: string;
}

export type DialTargets = { ok: true; targets: DialTarget[] } | { ok: false; error: string };

function one(raw: unknown, carriers: CarrierDirectory | undefined): DialTarget | string {
  const t = asRecord(raw);
  if (!t) return 'a target must be an object';
  const headers = asHeaders(t['headers']) ?? {};
  const confirmHook = hookOf(t['confirmHook']);
  const base = { headers, variables: {} as Record<string, string>, ...(confirmHook ? { confirmHook } : {}) };
  switch (asString(t['type'])) {
    case 'phone': {
      const number = asString(t['number']);
      if (!number) return 'a phone target needs number';
      const trunk = asString(t['trunk']);
      const route = carriers?.route(number, trunk);
      if (route) {
        return { ...base, type: 'phone', target: route.target, destination: route.number, variables: route.variables,
          ...(route.auth ? { auth: route.auth } : {}), ...(route.fromUser !== undefined ? { fromUser: route.fromUser } : {}) };
      }
      if (trunk && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(trunk) && /[.:]/.test(trunk)) {
        return { ...base, type: 'phone', target: `sip:${number.replace(/^\+/, '')}@${trunk}`, destination: number };
      }
      return trunk ? `no carrier named ${trunk}` : 'no carrier is configured for phone targets';
    }
    case 'sip': {
      const uri = asString(t['sipUri']);
      if (!uri || !/^sips?:[^@\s]+@?[^\s]*$/i.test(uri)) return 'a sip target needs a sip: or sips: sipUri';
      const auth = asRecord(t['auth']);
      const username = asString(auth?.['username']);
      const password = asString(auth?.['password']);
      const user = /^sips?:([^@;]+)@/i.exec(uri)?.[1] ?? '';
      return { ...base, type: 'sip', target: uri, destination: user, ...(username !== undefined && password !== undefined ? { auth: { username, password } } : {}) };
    }
    case 'user': {
      const name = asString(t['name']);
      if (!name || !/^[A-Za-z0-9._~+*#-]{1,64}(@[A-Za-z0-9.:-]+)?$/.test(name)) return 'a user target needs a user name';
      return { ...base, type: 'user', target: `user/${name}`, destination: name.split('@')[0] ?? name };
    }
    case 'teams':
      return 'teams targets are not supported';
    default:
      return `unknown target type ${asString(t['type']) ?? '(missing)'}`;
  }
}

export function dialTargets(raw: unknown, carriers: CarrierDirectory | undefined): DialTargets {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) return { ok: false, error: 'dial needs at least one target' };
  const targets: DialTarget[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const t = one(item, carriers);
    if (typeof t === 'string') return { ok: false, error: t };
    if (seen.has(t.target)) continue;
    seen.add(t.target);
    targets.push(t);
  }
  if (targets.length > MAX_TARGETS) return { ok: false, error: `dial rings at most ${MAX_TARGETS} targets at once` };
  return { ok: true, targets };
}
