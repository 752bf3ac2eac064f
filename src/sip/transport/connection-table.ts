/**
 * Open stream connections, by id and by remote transport + address + port, so that responses go back on
 * the connection a request came on and new requests to the same peer reuse a connection (RFC 3261
 * section 18 and 18.2.2). Bounded: a full table refuses new connections.
 */
import type { Connection } from './connection.ts';
import { canonicalIp } from './ip-address.ts';
import type { TransportName } from './types.ts';

export function peerKey(transport: TransportName, address: string, port: number): string {
  return `${transport}|${canonicalIp(address)}|${port}`;
}

export class ConnectionTable {
  readonly maxConnections: number;
  #byId = new Map<string, { conn: Connection; key: string }>();
  #byPeer = new Map<string, Connection[]>();

  constructor(maxConnections: number) {
    this.maxConnections = maxConnections;
  }

  get size(): number {
    return this.#byId.size;
  }

  hasRoom(): boolean {
    return this.#byId.size < this.maxConnections;
  }

  /** Adds an open connection; false (and nothing added) when the table is full. */
  add(conn: Connection): boolean {
    if (!this.hasRoom()) return false;
    const key = peerKey(conn.transport, conn.remote.address, conn.remote.port);
    this.#byId.set(conn.id, { conn, key });
    const list = this.#byPeer.get(key);
    if (list) list.push(conn);
    else this.#byPeer.set(key, [conn]);
    return true;
  }

  get(id: string): Connection | undefined {
    const conn = this.#byId.get(id)?.conn;
    return conn && !conn.closed ? conn : undefined;
  }

  /** The most recent open connection to a peer. */
  find(transport: TransportName, address: string, port: number): Connection | undefined {
    const list = this.#byPeer.get(peerKey(transport, address, port));
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.closed) return list[i];
    return undefined;
  }

  remove(conn: Connection): void {
    const entry = this.#byId.get(conn.id);
    if (!entry || entry.conn !== conn) return;
    this.#byId.delete(conn.id);
    const list = this.#byPeer.get(entry.key);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#byPeer.delete(entry.key);
  }

  all(): Connection[] {
    return [...this.#byId.values()].map((e) => e.conn);
  }
}
