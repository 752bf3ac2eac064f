/**
 * The registrar's location service (RFC 3261 section 10.3): bindings from an address-of-record to
 * contact addresses. The store is asynchronous so that a shared implementation (Redis) can stand behind
 * the same interface as the in-memory one. Binding identity within an AOR is `key`: the RFC 5626
 * instance-id and reg-id when present, otherwise the contact URI (section 19.1.4).
 */
import type { SipUri, TransportName } from '../message/index.ts';

/** Where a REGISTER came from: how to reach a user behind NAT (RFC 5626 flows, RFC 3581). */
export interface BindingSource {
  transport: TransportName;
  /** Source IP address (IPv6 without brackets). */
  address: string;
  port: number;
  /** The stream connection the REGISTER arrived on, if any. */
  connectionId?: string;
  /** The local listener that received it. */
  local?: { address: string; port: number };
}

export interface Binding {
  /** Canonical address-of-record ("sip:alice@example.com"). */
  aor: string;
  /** Identity of the binding within its AOR. */
  key: string;
  /** The Contact as a formatted name-addr, without its expires parameter. */
  contact: string;
  contactUri: SipUri;
  /** Expiry time in milliseconds on the registrar's clock. */
  expiresAt: number;
  /** Contact preference (q parameter, 0 to 1), if given. */
  q?: number;
  callId: string;
  cseq: number;
  /** +sip.instance (RFC 5626 section 4.1), without the surrounding quotes. */
  instanceId?: string;
  /** reg-id (RFC 5626 section 4.2). */
  regId?: number;
  source: BindingSource;
  userAgent?: string;
  /** Path header values (RFC 3327), in order. */
  path: string[];
  /** When this binding was first created, and last refreshed (clock ms). */
  registeredAt: number;
  updatedAt: number;
}

export interface BindingsStore {
  /** Unexpired bindings of an AOR (any order). */
  list(aor: string): Promise<Binding[]>;
  /** Inserts or replaces the binding with the same aor and key. */
  upsert(binding: Binding): Promise<void>;
  /** Removes one binding; returns it if it existed. */
  remove(aor: string, key: string): Promise<Binding | undefined>;
  /** Removes every binding of an AOR; returns them. */
  removeAll(aor: string): Promise<Binding[]>;
  /** AORs with at least one unexpired binding. */
  aors(): Promise<string[]>;
  /** Every unexpired binding (for `show registrations`). */
  all(): Promise<Binding[]>;
  /** Removes bindings whose expiry has passed, notifies expiry listeners, and returns them. */
  purgeExpired(): Promise<Binding[]>;
  /** Subscribes to bindings removed because they expired; returns the unsubscribe function. */
  onExpired(listener: (expired: Binding[]) => void): () => void;
  /** Stops timers and releases resources; idempotent. */
  close(): Promise<void>;
}
