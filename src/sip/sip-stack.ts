/**
 * The SIP stack: wires transports (RFC 3261 section 18), the parser, the flood limiter, the transaction
 * layer (section 17), dialogs (sections 12-15) and, when enabled, the registrar (section 10) into one
 * user agent. It implements the DialogHost the dialog layer sends through.
 *
 * Inbound path: bytes -> parseMessage (a malformed request is answered with the parser's status and
 * reason) -> flood check (503 + Retry-After, or a silent drop far over the limit) -> Via receipt
 * parameters (RFC 3581) -> transaction layer -> dialogs, registrar, or the application's handler.
 *
 * Outbound path: the destination is given, or taken from the first loose Route or the Request-URI and
 * resolved per RFC 3263; the top Via (with rport) is written once the transport is known.
 */
import {
  type Clock, type Logger, SwitchboardError, errorMessage, newBranch, newTag, silentLogger, systemClock,
} from '../lib/index.ts';
import {
  type SipMessage, type SipUri, type Via, SipParseError, SipRequest, SipResponse, createResponse, formatVia,
  parseMessage, parseUri, serializeMessage,
} from './message/index.ts';
import {
  type Destination, type InboundMessage, type ListenerConfig, type TransportManagerOptions, FloodLimiter,
  TransportManager, responseDestination, sameAddress, withReceiptParams,
} from './transport/index.ts';
import { SipResolver } from './resolver/index.ts';
import {
  type ClientTransaction, type ClientTransactionUser, type ServerTransaction, type TransactionTimers,
  TransactionLayer, timersFor,
} from './transaction/index.ts';
import {
  type DialogHost, type IncomingInvite, type InviteOptions, type OutgoingInvite, ALLOWED_METHODS, DialogLayer,
} from './dialog/index.ts';
import { type RegisterHandlerOptions, handleRegister } from './registrar/index.ts';

/** Methods this stack understands (dialog methods plus REGISTER); others get 501 Not Implemented. */
export const STACK_METHODS: readonly string[] = [...ALLOWED_METHODS, 'REGISTER'];
const SUPPORTED_EXTENSIONS = ['100rel', 'timer', 'replaces', 'path', 'outbound'];

export class SipStackError extends SwitchboardError {}

export interface SipStackOptions {
  listeners: ListenerConfig[];
  clock?: Clock;
  logger?: Logger;
  /** RFC 3261 timer bases in ms (defaults 500, 4000, 5000). */
  t1?: number;
  t2?: number;
  t4?: number;
  userAgent?: string;
  /** Per-source request limit; false disables it. */
  flood?: { ratePerSecond: number; burst: number } | false;
  resolver?: SipResolver;
  transport?: Omit<TransportManagerOptions, 'listeners' | 'clock' | 'logger'>;
}

/** An out-of-dialog request that neither dialogs nor the registrar took. */
export interface IncomingRequest {
  request: SipRequest;
  source: Destination;
  transaction: ServerTransaction;
  reply(status: number, reason?: string, extra?: { headers?: Record<string, string | string[]>; body?: Buffer | string; contentType?: string }): void;
}

export interface SipStackHandlers {
  /** A new INVITE; without a handler INVITEs are answered 480 Temporarily Unavailable. */
  onInvite?(invite: IncomingInvite): void;
  /** Any other out-of-dialog request (OPTIONS is answered 200 when there is no handler). */
  onRequest?(req: IncomingRequest): void;
}

export class SipStack implements DialogHost {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly log: Logger;
  readonly transports: TransportManager;
  readonly transactions: TransactionLayer;
  readonly dialogs: DialogLayer;
  readonly resolver: SipResolver;
  readonly userAgent: string;
  #flood: FloodLimiter | undefined;
  #handlers: SipStackHandlers = {};
  #registrar: RegisterHandlerOptions | undefined;
  /** Destinations resolved for INVITE client transactions, by branch, so a CANCEL follows its INVITE. */
  #inviteDestinations = new Map<string, Destination>();
  /** Placeholder destinations of requests whose target is still being resolved (RFC 3263). */
  #pending = new WeakMap<Destination, Promise<Destination>>();
  #txDestinations = new WeakMap<ClientTransaction, Destination>();
  #closed = false;

  static async start(options: SipStackOptions): Promise<SipStack> {
    const clock = options.clock ?? systemClock;
    const log = options.logger ?? silentLogger();
    const transports = await TransportManager.start({ ...options.transport, listeners: options.listeners, clock, logger: log });
    return new SipStack(options, transports);
  }

  private constructor(options: SipStackOptions, transports: TransportManager) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger();
    this.timers = timersFor(options.t1, options.t2, options.t4);
    this.userAgent = options.userAgent ?? 'Switchboard';
    this.transports = transports;
    this.resolver = options.resolver ?? new SipResolver({ clock: this.clock });
    this.#flood = options.flood === false
      ? undefined
      : new FloodLimiter({ clock: this.clock, ratePerSecond: options.flood?.ratePerSecond ?? 200, burst: options.flood?.burst ?? 400 });
    this.transactions = new TransactionLayer({
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      send: (msg, dest) => this.#send(msg, dest),
      sentBy: (dest) => this.#sentBy(dest),
      user: {
        onRequest: (req, tx, source) => this.#onRequest(req, tx, source),
        onCancel: (cancel, cancelTx, inviteTx, source) => this.dialogs.receiveCancel(cancel, cancelTx, inviteTx, source),
        onAck: (ack, source, inviteTx) => this.dialogs.receiveAck(ack, source, inviteTx),
        onStrayResponse: (res, source) => this.dialogs.receiveStrayResponse(res, source),
      },
    });
    this.dialogs = new DialogLayer(this, {
      onInvite: (invite) => {
        if (this.#handlers.onInvite) this.#handlers.onInvite(invite);
        // Listening but no application attached yet (the server is still starting): try again shortly.
        else invite.reject(503, 'Starting', { 'Retry-After': '1' });
      },
    });
    transports.onMessage((m) => this.#receive(m));
    transports.on('framingError', ({ error, source }) => {
      this.log.warn({ source, err: error.message }, 'unframeable SIP stream');
    });
  }

  /** Sets the application handlers (replacing earlier ones). */
  handle(handlers: SipStackHandlers): void {
    this.#handlers = handlers;
  }

  /** Answers REGISTER as a registrar (with digest authentication when `auth` is set). */
  enableRegistrar(options: RegisterHandlerOptions): void {
    this.#registrar = options;
  }

  // ---------------------------------------------------------------- inbound

  #receive(m: InboundMessage): void {
    if (this.#closed) return;
    let msg: SipRequest | SipResponse;
    try {
      msg = parseMessage(m.data, { stream: m.source.transport !== 'udp' });
    } catch (err) {
      this.#onParseError(err, m);
      return;
    }
    if (msg instanceof SipResponse) {
      this.#receiveResponse(msg, m.source);
      return;
    }
    if (this.#flood && msg.method !== 'ACK') {
      const verdict = this.#flood.check(m.source.address);
      if (verdict === 'drop') return;
      if (verdict === 'reject') {
        const res = createResponse(msg, 503, 'Service Unavailable');
        res.headers.set('Retry-After', String(this.#flood.retryAfterSeconds(m.source.address)));
        this.#respondStateless(msg, res, m.source);
        this.log.warn({ source: m.source.address }, 'flood limit: request refused with 503');
        return;
      }
    }
    const via = msg.topVia;
    if (!via) return;
    const stamped = withReceiptParams(via, m.source);
    if (stamped !== via) msg.replaceTopVia(stamped);
    this.transactions.receiveRequest(msg, m.source, responseDestination(stamped, m.source));
  }

  #onParseError(err: unknown, m: InboundMessage): void {
    if (!(err instanceof SipParseError)) {
      this.log.error({ err: errorMessage(err), source: m.source }, 'unexpected error parsing a SIP message');
      return;
    }
    this.log.warn({ source: m.source, code: err.code, reason: err.reason }, 'malformed SIP message');
    const req = err.request;
    if (!req || req.method === 'ACK') return;
    const res = createResponse(req, err.status, err.reason);
    this.#respondStateless(req, res, m.source);
  }

  #respondStateless(req: SipRequest, res: SipResponse, source: Destination): void {
    const via = req.topVia;
    const dest = via ? responseDestination(withReceiptParams(via, source), source) : source;
    this.#send(res, dest).catch((e: unknown) => this.log.debug({ err: errorMessage(e) }, 'stateless response not sent'));
  }

  #receiveResponse(res: SipResponse, source: Destination): void {
    const via = res.topVia;
    if (!via || !this.#isOurSentBy(via)) {
      this.log.debug({ source }, 'response whose top Via is not ours: discarded (RFC 3261 18.1.2)');
      return;
    }
    this.transactions.receiveResponse(res, source);
  }

  #isOurSentBy(via: Via): boolean {
    for (const l of this.transports.listeners()) {
      const adv = l.advertised;
      if (via.port !== undefined && via.port !== adv.port) continue;
      if (via.host === adv.host || via.host === adv.address || sameAddress(via.host, adv.address)) return true;
    }
    return false;
  }

  #onRequest(req: SipRequest, tx: ServerTransaction, source: Destination): void {
    try {
      if (this.dialogs.receiveRequest(req, tx, source)) return;
      this.#outOfDialog(req, tx, source);
    } catch (err) {
      this.log.error({ err: errorMessage(err), method: req.method }, 'request handler failed');
      if (!tx.answered) tx.respond(createResponse(req, 500, 'Server Internal Error'));
    }
  }

  #outOfDialog(req: SipRequest, tx: ServerTransaction, source: Destination): void {
    const reply: IncomingRequest['reply'] = (status, reason, extra) => {
      const res = createResponse(req, status, reason, status > 100 ? { toTag: req.toTag ?? newTag() } : {});
      for (const [name, value] of Object.entries(extra?.headers ?? {})) res.headers.set(name, value);
      if (extra?.body !== undefined) res.setBody(extra.body, extra.contentType);
      tx.respond(res);
    };
    const unsupported = req.require.filter((ext) => !SUPPORTED_EXTENSIONS.includes(ext.toLowerCase()));
    if (unsupported.length > 0) {
      reply(420, 'Bad Extension', { headers: { Unsupported: unsupported.join(', ') } });
      return;
    }
    if (req.method === 'REGISTER' && this.#registrar) {
      const registrar = this.#registrar;
      handleRegister(req, { transport: source.transport, address: source.address, port: source.port, ...(source.connectionId ? { connectionId: source.connectionId } : {}) }, registrar)
        .then((res) => tx.respond(res))
        .catch((err: unknown) => {
          this.log.error({ err: errorMessage(err) }, 'REGISTER failed');
          reply(500, 'Registrar Error');
        });
      return;
    }
    if (this.#handlers.onRequest) {
      this.#handlers.onRequest({ request: req, source, transaction: tx, reply });
      return;
    }
    if (req.method === 'OPTIONS') {
      reply(200, 'OK', { headers: this.#capabilityHeaders() });
      return;
    }
    if (STACK_METHODS.includes(req.method)) reply(405, 'Method Not Allowed', { headers: { Allow: STACK_METHODS.join(', ') } });
    else reply(501, 'Not Implemented', { headers: { Allow: STACK_METHODS.join(', ') } });
  }

  #capabilityHeaders(): Record<string, string> {
    return { Allow: STACK_METHODS.join(', '), Accept: 'application/sdp', Supported: SUPPORTED_EXTENSIONS.join(', ') };
  }

  // ---------------------------------------------------------------- outbound

  /** RFC 3261 8.1.2 / 12.2.1.1: the first Route if it is a loose router, else the Request-URI. */
  #targetUri(req: SipRequest): SipUri {
    const route = req.routes[0];
    if (route && route.uri.params['lr'] !== undefined) return route.uri;
    return req.requestUri;
  }

  async #resolve(req: SipRequest): Promise<Destination> {
    const list = await this.resolver.resolve(this.#targetUri(req));
    const first = list[0];
    if (!first) throw new SipStackError('SIP_NO_ROUTE', `no destination for ${req.uri}`);
    return first;
  }

  #sentBy(dest: Destination): { host: string; port?: number } {
    const local = this.transports.localAddress(dest.transport, dest.address);
    if (!local) throw new SipStackError('SIP_NO_ROUTE', `no ${dest.transport} listener`);
    return { host: local.host, port: local.port };
  }

  #stampVia(req: SipRequest, dest: Destination, branch?: string): void {
    const sentBy = this.#sentBy(dest);
    const existing = req.topVia;
    const via: Via = {
      protocol: 'SIP/2.0',
      transport: dest.transport.toUpperCase(),
      host: sentBy.host,
      ...(sentBy.port === undefined ? {} : { port: sentBy.port }),
      params: { branch: branch ?? existing?.params['branch'] ?? newBranch(), rport: null },
    };
    if (existing) req.headers.removeFirstValue('via');
    req.headers.prepend('Via', formatVia(via));
  }

  #prepare(req: SipRequest): void {
    if (!req.headers.has('max-forwards')) req.headers.set('Max-Forwards', '70');
    if (!req.headers.has('user-agent')) req.headers.set('User-Agent', this.userAgent);
  }

  sendRequest(req: SipRequest, user: ClientTransactionUser, opts?: { destination?: Destination }): ClientTransaction {
    if (this.#closed) throw new SipStackError('SIP_STACK_CLOSED', 'the SIP stack is closed');
    this.#prepare(req);
    let dest = opts?.destination;
    if (!dest && req.method === 'CANCEL') {
      const branch = req.topVia?.params['branch'];
      if (branch) dest = this.#inviteDestinations.get(branch);
    }
    if (!dest) dest = this.#resolveSync(req);
    const branch = req.topVia?.params['branch'] ?? newBranch();
    if (dest) {
      this.#stampVia(req, dest, branch);
      const tx = this.#startClient(req, dest, user);
      this.#txDestinations.set(tx, dest);
      return tx;
    }
    // A name that needs DNS: the transaction starts now; its first send waits for the resolution.
    const pending = this.#resolve(req).then((d) => {
      this.#stampVia(req, d, branch);
      return d;
    });
    const placeholder: Destination = { transport: 'udp', address: '0.0.0.0', port: 0 };
    this.#pending.set(placeholder, pending);
    this.#stampVia(req, { transport: 'udp', address: '127.0.0.1', port: 0 }, branch);
    const tx = this.#startClient(req, placeholder, user);
    pending.then((d) => this.#txDestinations.set(tx, d), () => undefined);
    return tx;
  }

  destinationOf(tx: ClientTransaction): Destination | undefined {
    return this.#txDestinations.get(tx);
  }

  #startClient(req: SipRequest, dest: Destination, user: ClientTransactionUser): ClientTransaction {
    if (req.method !== 'INVITE') return this.transactions.sendRequest(req, dest, user);
    const branch = req.topVia?.params['branch'] ?? '';
    this.#inviteDestinations.set(branch, dest);
    return this.transactions.sendRequest(req, dest, {
      ...user,
      onResponse: (res, tx) => user.onResponse(res, tx),
      onTerminated: (tx) => {
        this.#inviteDestinations.delete(branch);
        user.onTerminated?.(tx);
      },
    });
  }

  /** Destinations that need no DNS: numeric hosts (RFC 3263 4.1/4.2 with an IP address). */
  #resolveSync(req: SipRequest): Destination | undefined {
    const uri = this.#targetUri(req);
    const host = uri.host.replace(/^\[(.*)\]$/, '$1');
    if (!/^[0-9.]+$/.test(host) && !host.includes(':')) return undefined;
    const param = uri.params['transport']?.toLowerCase();
    const transport = uri.scheme === 'sips' ? (param === 'ws' || param === 'wss' ? 'wss' : 'tls')
      : param === 'tcp' || param === 'tls' || param === 'ws' || param === 'wss' ? param : 'udp';
    const port = uri.port ?? (transport === 'tls' ? 5061 : transport === 'ws' ? 80 : transport === 'wss' ? 443 : 5060);
    return { transport, address: host, port };
  }

  sendAck(ack: SipRequest, opts?: { destination?: Destination }): void {
    this.#prepare(ack);
    // A retransmitted 2xx gets the same ACK again (RFC 3261 13.2.2.4): its Via is kept.
    const go = (dest: Destination) => {
      if (!ack.topVia) this.#stampVia(ack, dest, newBranch());
      return this.#send(ack, dest);
    };
    const dest = opts?.destination ?? this.#resolveSync(ack);
    const sent = dest ? go(dest) : this.#resolve(ack).then(go);
    sent.catch((err: unknown) => this.log.warn({ err: errorMessage(err), callId: ack.callId }, 'ACK not sent'));
  }

  contactFor(via: Destination): SipUri {
    const local = this.transports.localAddress(via.transport, via.address);
    const params: Record<string, string | null> = {};
    if (via.transport !== 'udp') params['transport'] = via.transport;
    return {
      scheme: 'sip',
      user: 'switchboard',
      host: local?.host ?? '127.0.0.1',
      ...(local ? { port: local.port } : {}),
      params,
      headers: {},
    };
  }

  #send(msg: SipMessage | Buffer, dest: Destination): Promise<void> {
    const pending = this.#pending.get(dest);
    // A destination still being resolved: the message is serialized once the resolution stamped its Via.
    if (pending) return pending.then((target) => this.transports.send(Buffer.isBuffer(msg) ? msg : serializeMessage(msg), target));
    try {
      return this.transports.send(Buffer.isBuffer(msg) ? msg : serializeMessage(msg), dest);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Sends an out-of-dialog non-INVITE request (OPTIONS, MESSAGE, REGISTER, NOTIFY...) and resolves with
   * its final response; timeouts and transport failures come back as 408 / 503 responses.
   */
  request(req: SipRequest, opts?: { destination?: Destination }): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      try {
        this.sendRequest(req, {
          onResponse: (res) => {
            if (res.status >= 200) resolve(res);
          },
        }, opts);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Places an INVITE; see DialogLayer.invite. */
  invite(options: InviteOptions): OutgoingInvite {
    return this.dialogs.invite(options);
  }

  /** Builds a request to `uri` with From/To/Call-ID/CSeq filled in (for out-of-dialog requests). */
  static buildRequest(method: string, uri: string, fields: { from: string; to?: string; callId: string; cseq: number; headers?: Record<string, string> }): SipRequest {
    parseUri(uri);
    const req = new SipRequest(method, uri);
    req.headers.set('From', fields.from);
    req.headers.set('To', fields.to ?? `<${uri}>`);
    req.headers.set('Call-ID', fields.callId);
    req.headers.set('CSeq', `${fields.cseq} ${method}`);
    for (const [k, v] of Object.entries(fields.headers ?? {})) req.headers.set(k, v);
    return req;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.dialogs.close();
    this.transactions.close();
    this.#inviteDestinations.clear();
    await this.transports.close();
  }
}
