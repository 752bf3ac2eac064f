/**
 * The REGISTER processing rules of RFC 3261 section 10.3 steps 5 to 8, as a pure function from the
 * current bindings of an AOR and the request fields to either a failure (400, 423, 403, 500) or the set
 * of changes to commit. The caller commits all changes or none (step 8).
 */
import type { ContactValue, NameAddr } from '../message/index.ts';
import { formatNameAddr } from '../message/index.ts';
import { bindingKey, instanceIdOf, regIdOf } from './binding-key.ts';
import type { Binding, BindingSource } from './bindings-store.ts';

export interface RegisterPolicy {
  /** Used when neither the contact nor the request gives an expiry (seconds). */
  defaultExpires: number;
  /** Shorter non-zero requests get 423 Interval Too Brief with this Min-Expires (seconds). */
  minExpires: number;
  /** Longer requests are granted this (seconds). */
  maxExpires: number;
  /** Bindings allowed per AOR. */
  maxContacts: number;
  /** Past maxContacts: reject the REGISTER (403) or evict the least recently refreshed bindings. */
  overflow: 'reject' | 'evict-oldest';
}

/** The REGISTER fields the registrar reads. */
export interface RegisterRequestFields {
  to: NameAddr;
  /** Contact values; empty for a query of the current bindings. */
  contacts: readonly ContactValue[];
  /** The Expires header in seconds, if present and valid. */
  expires?: number;
  callId: string;
  cseq: number;
  userAgent?: string;
  /** Path header values (RFC 3327). */
  path?: readonly string[];
}

export type BindingChangeCause = 'unregistered' | 'wildcard' | 'evicted';

export type BindingChange =
  | { kind: 'added'; binding: Binding }
  | { kind: 'refreshed'; binding: Binding; previous: Binding }
  | { kind: 'removed'; binding: Binding; cause: BindingChangeCause };

export type RegisterPlan =
  | { ok: true; bindings: Binding[]; changes: BindingChange[] }
  | { ok: false; status: 400 | 403 | 423 | 500; reason: string; minExpires?: number };

const MAX_DELTA = 2 ** 32 - 1;

/** delta-seconds (RFC 3261 section 25.1); values over 2^32-1 are taken as 2^32-1 (section 20.19). */
export function parseDeltaSeconds(v: string | null | undefined): number | undefined {
  if (v === undefined || v === null || !/^\s*\d+\s*$/.test(v)) return undefined;
  return Math.min(Number(v), MAX_DELTA);
}

function parseQ(v: string | null | undefined): number | undefined {
  if (v === undefined || v === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v)) return undefined;
  return Number(v);
}

function validHeaderExpires(e: number | undefined): number | undefined {
  return e !== undefined && Number.isFinite(e) && e >= 0 ? Math.min(Math.floor(e), MAX_DELTA) : undefined;
}

/** Seconds left on a binding, as the expires parameter of the 200 OK Contact (never negative). */
export function remainingSeconds(b: Binding, now: number): number {
  return Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
}

interface Wanted {
  contact: NameAddr;
  expires: number;
}

export function planRegister(
  aor: string,
  existing: readonly Binding[],
  req: RegisterRequestFields,
  source: BindingSource,
  now: number,
  policy: RegisterPolicy,
): RegisterPlan {
  const headerExpires = validHeaderExpires(req.expires);
  const current = new Map(existing.map((b) => [b.key, b]));
  const changes: BindingChange[] = [];
  const fail = (status: 400 | 403 | 423 | 500, reason: string, minExpires?: number): RegisterPlan =>
    minExpires === undefined ? { ok: false, status, reason } : { ok: false, status, reason, minExpires };

  // Step 6: "*" removes every binding, only with Expires: 0 and no other contact.
  if (req.contacts.includes('*')) {
    if (req.contacts.length !== 1) return fail(400, 'Invalid Contact: * with other contacts');
    if (headerExpires !== 0) return fail(400, 'Invalid Contact: * requires Expires: 0');
    for (const b of existing) {
      if (b.callId === req.callId && req.cseq <= b.cseq) return fail(500, 'Out of order CSeq');
      changes.push({ kind: 'removed', binding: b, cause: 'wildcard' });
    }
    return { ok: true, bindings: [], changes };
  }

  // Step 7: the expiry of every contact first, so that 423 is decided before anything changes.
  const wanted: Wanted[] = [];
  for (const c of req.contacts as readonly NameAddr[]) {
    const expires = Math.min(parseDeltaSeconds(c.params['expires']) ?? headerExpires ?? policy.defaultExpires, MAX_DELTA);
    if (expires !== 0 && expires < policy.minExpires) return fail(423, 'Interval Too Brief', policy.minExpires);
    wanted.push({ contact: c, expires: Math.min(expires, policy.maxExpires) });
  }

  const original = new Map(existing.map((b) => [b.key, b]));
  const touched = new Set<string>();
  const evicted = new Set<string>();
  for (const { contact, expires } of wanted) {
    const instanceId = instanceIdOf(contact.params);
    const regId = instanceId !== undefined ? regIdOf(contact.params) : undefined;
    const key = bindingKey(contact.uri, instanceId, regId);
    const prev = original.get(key);
    if (prev && prev.callId === req.callId && req.cseq <= prev.cseq) return fail(500, 'Out of order CSeq');
    touched.add(key);
    if (expires === 0) {
      current.delete(key);
      continue;
    }
    const params = { ...contact.params };
    delete params['expires'];
    const q = parseQ(params['q']);
    current.set(key, {
      aor,
      key,
      contact: formatNameAddr({ ...contact, params }),
      contactUri: contact.uri,
      expiresAt: now + expires * 1000,
      ...(q !== undefined ? { q } : {}),
      callId: req.callId,
      cseq: req.cseq,
      ...(instanceId !== undefined ? { instanceId } : {}),
      ...(regId !== undefined ? { regId } : {}),
      source,
      ...(req.userAgent !== undefined ? { userAgent: req.userAgent } : {}),
      path: [...(req.path ?? [])],
      registeredAt: prev?.registeredAt ?? now,
      updatedAt: now,
    });
  }

  if (current.size > policy.maxContacts) {
    if (policy.overflow === 'reject') return fail(403, 'Too Many Registered Contacts');
    const evictable = [...current.values()].filter((b) => !touched.has(b.key)).sort((a, b) => a.updatedAt - b.updatedAt);
    while (current.size > policy.maxContacts) {
      const victim = evictable.shift();
      if (!victim) return fail(403, 'Too Many Registered Contacts');
      current.delete(victim.key);
      evicted.add(victim.key);
    }
  }

  for (const [key, prev] of original) {
    if (!current.has(key)) changes.push({ kind: 'removed', binding: prev, cause: evicted.has(key) ? 'evicted' : 'unregistered' });
  }
  for (const [key, binding] of current) {
    const prev = original.get(key);
    if (!prev) changes.push({ kind: 'added', binding });
    else if (prev !== binding) changes.push({ kind: 'refreshed', binding, previous: prev });
  }
  return { ok: true, bindings: [...current.values()], changes };
}
