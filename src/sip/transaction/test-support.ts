/**
 * Test helpers for the transaction layer: SIP messages built from text with the real parser, a wire that
 * records what the machines send (with the virtual time of each send; messages sent in wire form are
 * parsed back), and a layer on a VirtualClock.
 */
import { silentLogger, VirtualClock } from '../../lib/index.ts';
import type { SipMessage, SipRequest } from '../message/index.ts';
import { createResponse, parseMessage, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { ClientTransaction, ClientTransactionUser } from './client-transaction.ts';
import type { SipTransactionTimeoutError, SipTransactionTransportError } from './errors.ts';
import { timersFor } from './timers.ts';
import type { TransactionContext } from './transaction-base.ts';
import { TransactionLayer, type TransactionUser } from './transaction-layer.ts';

export const UDP_PEER: Destination = { transport: 'udp', address: '192.0.2.10', port: 5060 };
export const TCP_PEER: Destination = { transport: 'tcp', address: '192.0.2.10', port: 5060, connectionId: 'c1' };

export interface RequestSpec {
  method?: string;
  branch?: string | null;
  uri?: string;
  callId?: string;
  cseq?: number;
  cseqMethod?: string;
  fromTag?: string;
  toTag?: string;
  viaHost?: string;
  viaTransport?: string;
  route?: string[];
  extra?: string[];
}

export function request(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const branch = spec.branch === undefined ? 'z9hG4bKtest1' : spec.branch;
  const via = `SIP/2.0/${spec.viaTransport ?? 'UDP'} ${spec.viaHost ?? 'pc33.example.com:5060'}${branch === null ? '' : `;branch=${branch}`}`;
  const lines = [
    `${method} ${spec.uri ?? 'sip:bob@example.org'} SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    ...(spec.route ?? []).map((r) => `Route: ${r}`),
    `To: Bob <sip:bob@example.org>${spec.toTag ? `;tag=${spec.toTag}` : ''}`,
    `From: Alice <sip:alice@example.com>;tag=${spec.fromTag ?? '1928301774'}`,
    `Call-ID: ${spec.callId ?? 'a84b4c76e66710@pc33.example.com'}`,
    `CSeq: ${spec.cseq ?? 314159} ${spec.cseqMethod ?? method}`,
    'Contact: <sip:alice@pc33.example.com>',
    ...(spec.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  const msg = parseMessage(Buffer.from(lines.join('\r\n')));
  if (!msg.isRequest()) throw new Error('expected a request');
  return msg;
}

export function respond(req: SipRequest, status: number, toTag?: string): SipResponse {
  return createResponse(req, status, undefined, toTag === undefined ? {} : { toTag });
}

export interface Sent {
  at: number;
  msg: SipMessage;
  /** Whether the message was handed over already serialized. */
  wire: boolean;
  to: Destination | undefined;
}

/** Records every send; `fail` makes the next sends throw (or reject when `async`). */
export class Wire {
  readonly sent: Sent[] = [];
  fail: false | 'throw' | 'reject' = false;
  constructor(readonly clock: VirtualClock) {}

  send = (msg: SipMessage | Buffer, to?: Destination): void | Promise<void> => {
    if (this.fail === 'throw') throw new Error('ENETUNREACH');
    if (this.fail === 'reject') return Promise.reject(new Error('ECONNRESET'));
    const wire = Buffer.isBuffer(msg);
    this.sent.push({ at: this.clock.now(), msg: wire ? parseMessage(msg) : msg, wire, to });
  };

  /** Send times of messages that satisfy `pick`. */
  times(pick: (msg: SipMessage) => boolean): number[] {
    return this.sent.filter((s) => pick(s.msg)).map((s) => s.at);
  }

  requests(method: string): SipRequest[] {
    return this.sent.map((s) => s.msg).filter((m): m is SipRequest => isRequest(m) && m.method === method);
  }

  responses(status?: number): SipResponse[] {
    return this.sent
      .map((s) => s.msg)
      .filter((m): m is SipResponse => m instanceof SipResponse && (status === undefined || m.status === status));
  }
}

export function isRequest(msg: SipMessage): msg is SipRequest {
  return msg.isRequest();
}

export function context(clock: VirtualClock, wire: Wire, reliable: boolean, T1 = 500, onTerminated?: () => void): TransactionContext {
  return { clock, timers: timersFor(T1), reliable, send: (m) => wire.send(m), log: silentLogger(), onTerminated };
}

/** A client TU that records everything it is told. */
export class RecordingClientUser implements ClientTransactionUser {
  readonly responses: { at: number; status: number }[] = [];
  readonly timeouts: SipTransactionTimeoutError[] = [];
  readonly transportErrors: SipTransactionTransportError[] = [];
  terminatedAt: number | undefined;
  constructor(readonly clock: VirtualClock, withFailureCallbacks = true) {
    if (!withFailureCallbacks) {
      this.onTimeout = undefined;
      this.onTransportError = undefined;
    }
  }
  onResponse(res: SipResponse): void {
    this.responses.push({ at: this.clock.now(), status: res.status });
  }
  onTimeout?: (err: SipTransactionTimeoutError) => void = (err) => {
    this.timeouts.push(err);
  };
  onTransportError?: (err: SipTransactionTransportError) => void = (err) => {
    this.transportErrors.push(err);
  };
  onTerminated(_tx: ClientTransaction): void {
    this.terminatedAt = this.clock.now();
  }
  get statuses(): number[] {
    return this.responses.map((r) => r.status);
  }
}

export function layerOn(clock: VirtualClock, wire: Wire, user: Partial<TransactionUser>, T1 = 500): TransactionLayer {
  return new TransactionLayer({
    clock,
    timers: timersFor(T1),
    send: wire.send,
    user: { onRequest: () => {}, ...user },
    sentBy: () => ({ host: '198.51.100.1', port: 5060 }),
  });
}
