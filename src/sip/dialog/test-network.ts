/**
 * Test support for the dialog layer: an in-memory UDP "network" on a VirtualClock that serializes every
 * message (serializeMessage) and parses it again (parseMessage) on delivery, with a latency, optional
 * drops and duplicates; peers made of a real TransactionLayer (RFC 3261 section 17) and a DialogLayer
 * behind a DialogHost; and a stateless proxy that records routes (section 16.6) so that route sets are
 * exercised end to end.
 */
import { VirtualClock, newBranch, silentLogger } from '../../lib/index.ts';
import type { SipMessage, SipRequest, SipUri } from '../message/index.ts';
import { SipResponse, createResponse, formatVia, parseMessage, parseUri, serializeMessage } from '../message/index.ts';
import {
  TransactionLayer, timersFor, type ClientTransaction, type ClientTransactionUser, type ServerTransaction, type TransactionTimers,
} from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import type { DialogHost } from './dialog-host.ts';
import { DialogLayer, type DialogLayerOptions } from './dialog-layer.ts';
import type { IncomingInvite } from './incoming-invite.ts';

export interface Node {
  receive(msg: SipRequest | SipResponse, source: Destination): void;
}

export interface Packet {
  at: number;
  from: string;
  to: string;
  msg: SipMessage;
  dropped: boolean;
}

function addr(d: { address: string; port: number }): string {
  return `${d.address}:${d.port}`;
}

export function describeMessage(msg: SipMessage): string {
  return msg instanceof SipResponse ? `${msg.status} ${msg.cseq.method}` : (msg as SipRequest).method;
}

export class TestNetwork {
  readonly clock = new VirtualClock();
  readonly packets: Packet[] = [];
  latency = 5;
  /** Return true to drop a packet. */
  drop: ((msg: SipMessage, from: string, to: string) => boolean) | undefined;
  /** Return true to deliver a packet twice. */
  duplicate: ((msg: SipMessage) => boolean) | undefined;
  readonly #nodes = new Map<string, Node>();

  attach(at: { address: string; port: number }, node: Node): void {
    this.#nodes.set(addr(at), node);
  }

  send(msg: SipMessage | Buffer, from: Destination, to: { address: string; port: number }): void {
    const bytes = Buffer.isBuffer(msg) ? msg : serializeMessage(msg);
    const packet: Packet = { at: this.clock.now(), from: addr(from), to: addr(to), msg: parseMessage(bytes), dropped: false };
    this.packets.push(packet);
    if (this.drop?.(packet.msg, packet.from, packet.to)) {
      packet.dropped = true;
      return;
    }
    const copies = this.duplicate?.(packet.msg) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.clock.setTimeout(() => {
        const node = this.#nodes.get(packet.to);
        const source: Destination = { transport: 'udp', address: from.address, port: from.port };
        node?.receive(parseMessage(bytes), source);
      }, this.latency);
    }
  }

  /** Delivered (not dropped) packets from `from` to `to`, described as "INVITE", "200 INVITE" ... */
  trace(from?: string, to?: string): string[] {
    return this.packets
      .filter((p) => !p.dropped && (from === undefined || p.from === from) && (to === undefined || p.to === to))
      .map((p) => describeMessage(p.msg));
  }

  /** Every request of a method that went over the wire (not dropped). */
  requests(method: string): SipRequest[] {
    return this.packets.filter((p) => !p.dropped && p.msg.isRequest() && p.msg.method === method).map((p) => p.msg as SipRequest);
  }

  responses(status: number, method?: string): SipResponse[] {
    return this.packets
      .map((p) => (p.dropped ? undefined : p.msg))
      .filter((m): m is SipResponse => m instanceof SipResponse && m.status === status && (method === undefined || m.cseq.method === method));
  }

  /** Lets promise callbacks run. */
  async flush(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves virtual time forward by `ms` in small steps, letting promise callbacks run between them. */
  async run(ms: number, step = 5): Promise<void> {
    const end = this.clock.now() + ms;
    await this.flush();
    while (this.clock.now() < end) {
      this.clock.advance(Math.min(step, end - this.clock.now()));
      await this.flush();
    }
  }

  /** Runs timers out (bounded): afterwards nothing is pending unless something re-arms forever. */
  async drain(maxMs = 600_000): Promise<void> {
    const end = this.clock.now() + maxMs;
    await this.flush();
    while (this.clock.pending > 0 && this.clock.now() < end) {
      this.clock.advance(50);
      await this.flush();
    }
  }
}

/** The next hop of a request: the first Route when loose, else the Request-URI (UDP, default port 5060). */
export function nextHop(req: SipRequest): { address: string; port: number } {
  const first = req.routes[0];
  const uri: SipUri = first && first.uri.params['lr'] !== undefined ? first.uri : req.requestUri;
  return { address: uri.host, port: uri.port ?? 5060 };
}

export class TestPeer implements DialogHost, Node {
  readonly clock: VirtualClock;
  readonly timers: TransactionTimers;
  readonly log = silentLogger();
  readonly tx: TransactionLayer;
  readonly layer: DialogLayer;
  readonly address: Destination;
  readonly invites: IncomingInvite[] = [];
  /** What to do with each incoming INVITE (default: nothing, the test drives it). */
  onInvite: ((invite: IncomingInvite) => void) | undefined;
  /** Sees every new request before the dialog layer; returns true when it answered it (a stack's job). */
  intercept: ((req: SipRequest, tx: ServerTransaction) => boolean) | undefined;
  readonly #net: TestNetwork;

  constructor(net: TestNetwork, readonly name: string, address: string, options: DialogLayerOptions = {}, T1 = 500) {
    this.#net = net;
    this.clock = net.clock;
    this.timers = timersFor(T1);
    this.address = { transport: 'udp', address, port: 5060 };
    this.tx = new TransactionLayer({
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      send: (msg, to) => net.send(msg, this.address, to),
      sentBy: () => ({ host: address, port: 5060 }),
      user: {
        onRequest: (req, tx, source) => {
          if (this.intercept?.(req, tx)) return;
          if (!this.layer.receiveRequest(req, tx, source)) tx.respond(createResponse(req, 405));
        },
        onCancel: (cancel, cancelTx, inviteTx, source) => this.layer.receiveCancel(cancel, cancelTx, inviteTx, source),
        onAck: (ack, source, inviteTx) => this.layer.receiveAck(ack, source, inviteTx),
        onStrayResponse: (res, source) => this.layer.receiveStrayResponse(res, source),
      },
    });
    this.layer = new DialogLayer(this, {
      onInvite: (invite) => {
        this.invites.push(invite);
        this.onInvite?.(invite);
      },
    }, { random: () => 0.5, ...options });
    net.attach(this.address, this);
  }

  get uri(): string {
    return `sip:${this.name}@${this.address.address}`;
  }

  sendRequest(req: SipRequest, user: ClientTransactionUser, opts?: { destination?: Destination }): ClientTransaction {
    if (!req.headers.has('max-forwards')) req.headers.prepend('Max-Forwards', '70');
    const dest = opts?.destination ?? { transport: 'udp' as const, ...nextHop(req) };
    return this.tx.sendRequest(req, dest, user);
  }

  sendAck(ack: SipRequest, opts?: { destination?: Destination }): void {
    if (!ack.headers.has('max-forwards')) ack.headers.prepend('Max-Forwards', '70');
    if (!ack.headers.has('via')) {
      ack.headers.prepend('Via', formatVia({ protocol: 'SIP/2.0', transport: 'UDP', host: this.address.address, port: 5060, params: { branch: newBranch() } }));
    }
    this.#net.send(ack, this.address, opts?.destination ?? nextHop(ack));
  }

  contactFor(_via: Destination): SipUri {
    return parseUri(`sip:${this.name}@${this.address.address}:5060`);
  }

  receive(msg: SipRequest | SipResponse, source: Destination): void {
    if (msg.isRequest()) this.tx.receiveRequest(msg, source);
    else this.tx.receiveResponse(msg as SipResponse, source);
  }
}

/** A stateless proxy that record-routes INVITEs and forwards by Route / Request-URI / Via (section 16). */
export class TestProxy implements Node {
  readonly address: Destination;
  readonly #net: TestNetwork;

  constructor(net: TestNetwork, address: string) {
    this.#net = net;
    this.address = { transport: 'udp', address, port: 5060 };
    net.attach(this.address, this);
  }

  get uri(): string {
    return `sip:${this.address.address};lr`;
  }

  receive(msg: SipRequest | SipResponse, _source: Destination): void {
    if (!msg.isRequest()) {
      msg.headers.removeFirstValue('via');
      const via = msg.topVia;
      if (via) this.#net.send(msg, this.address, { address: via.host, port: via.port ?? 5060 });
      return;
    }
    const req = msg;
    const first = req.routes[0];
    if (first && first.uri.host === this.address.address) req.headers.removeFirstValue('route');
    if (req.method === 'INVITE' && req.toTag === undefined) req.headers.prepend('Record-Route', `<${this.uri}>`);
    const branch = `z9hG4bKp${req.topVia?.params['branch'] ?? ''}`;
    req.headers.prepend('Via', formatVia({ protocol: 'SIP/2.0', transport: 'UDP', host: this.address.address, port: 5060, params: { branch } }));
    this.#net.send(req, this.address, nextHop(req));
  }
}

/** Asserts (by returning a description) that peers hold no dialogs, INVITEs or transactions. */
export function leftovers(...peers: TestPeer[]): string[] {
  const out: string[] = [];
  for (const p of peers) {
    const c = p.layer.counts;
    const t = p.tx.counts;
    if (c.dialogs || c.incoming || c.outgoing) out.push(`${p.name}: ${JSON.stringify(c)}`);
    if (t.client || t.server) out.push(`${p.name} transactions: ${JSON.stringify(t)}`);
  }
  return out;
}
