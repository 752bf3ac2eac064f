/**
 * The UDP transport (RFC 3261 section 18.1.1, 18.2.1): one datagram is one message. Datagrams that hold
 * only CRLFs are keep-alives and are dropped; STUN Binding requests on the SIP port are answered (RFC 5626
 * section 4.4.2) and never reach the stack. A socket bound to "::" is dual-stack; IPv4 peers are reported
 * with plain IPv4 addresses.
 */
import { createSocket, type Socket } from 'node:dgram';
import { TransportError } from './errors.ts';
import { ipFamily, isWildcard, unmapIpv4 } from './ip-address.ts';
import { isStun, isStunBindingRequest, stunBindingResponse } from './stun.ts';
import type { AddressPort, InboundMessage } from './types.ts';

/** The largest UDP payload over IPv4 (65535 - 8 byte UDP header - 20 byte IP header). */
export const UDP_MAX_DATAGRAM = 65507;

/**
 * RFC 3261 section 18.1.1: a request within 200 bytes of the path MTU, or over 1300 bytes when the MTU
 * is unknown, should go over a congestion-controlled transport (TCP). The stack decides; this says when.
 */
export function mtuExceeded(size: number, pathMtu?: number): boolean {
  return pathMtu === undefined ? size > 1300 : size > pathMtu - 200;
}

export interface UdpConfig {
  address: string;
  /** 0 binds an ephemeral port, reported in `local.port`. */
  port: number;
  /** For "::": refuse IPv4 peers (default false: dual-stack). */
  ipv6Only?: boolean;
  /**
   * Socket receive buffer (SO_RCVBUF) to ask for, bytes; the OS caps it at its own limit
   * (net.core.rmem_max on Linux). Datagrams that arrive while the event loop is busy (a garbage
   * collection, a burst) wait there; once it is full they are dropped and the peer must retransmit.
   * Undefined or 0 keeps the OS default.
   */
  receiveBufferBytes?: number;
}

export interface UdpHooks {
  message(message: InboundMessage): void;
  error(err: Error): void;
}

function onlyLineEnds(data: Buffer): boolean {
  for (const b of data) if (b !== 0x0d && b !== 0x0a) return false;
  return true;
}

export class UdpTransport {
  readonly local: AddressPort;
  readonly family: 4 | 6;
  readonly #socket: Socket;
  readonly #dualStack: boolean;
  #closing: Promise<void> | undefined;

  private constructor(socket: Socket, config: UdpConfig, hooks: UdpHooks) {
    this.#socket = socket;
    this.family = ipFamily(config.address) === 6 ? 6 : 4;
    this.#dualStack = this.family === 6 && isWildcard(config.address) && !config.ipv6Only;
    this.local = { address: config.address, port: socket.address().port };
    const local = this.local;
    socket.on('message', (data, rinfo) => {
      if (data.length === 0 || onlyLineEnds(data)) return;
      const address = unmapIpv4(rinfo.address);
      if (isStun(data)) {
        if (isStunBindingRequest(data)) this.send(stunBindingResponse(data, address, rinfo.port), address, rinfo.port).catch(hooks.error);
        return;
      }
      hooks.message({ data, source: { transport: 'udp', address, port: rinfo.port, local }, local });
    });
    socket.on('error', hooks.error);
  }

  /** Binds a UDP socket; rejects with SIP_TRANSPORT_LISTEN. */
  static bind(config: UdpConfig, hooks: UdpHooks): Promise<UdpTransport> {
    const family = ipFamily(config.address);
    if (family === 0) return Promise.reject(new TransportError('SIP_TRANSPORT_LISTEN', `UDP listen address must be an IP: ${config.address}`));
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: config.ipv6Only ?? false });
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        socket.close();
        reject(new TransportError('SIP_TRANSPORT_LISTEN', `UDP bind ${config.address}:${config.port} failed: ${err.message}`, { cause: err }));
      };
      socket.once('error', fail);
      socket.bind({ address: config.address, port: config.port, exclusive: true }, () => {
        socket.off('error', fail);
        if (config.receiveBufferBytes) {
          try {
            socket.setRecvBufferSize(config.receiveBufferBytes);
          } catch {
            // Refused by the OS (above its limit on some systems): its default buffer stays.
          }
        }
        resolve(new UdpTransport(socket, config, hooks));
      });
    });
  }

  /** The socket receive buffer the OS granted, bytes (Linux reports twice the size asked for). */
  get receiveBufferBytes(): number {
    return this.#socket.getRecvBufferSize();
  }

  /** Whether this socket can send to an address of that family. */
  canReach(address: string): boolean {
    const family = ipFamily(address);
    return family === this.family || (family === 4 && this.#dualStack);
  }

  send(data: Buffer, address: string, port: number): Promise<void> {
    if (this.#closing) return Promise.reject(new TransportError('SIP_TRANSPORT_CLOSED', 'UDP transport is closed'));
    if (data.length > UDP_MAX_DATAGRAM) {
      return Promise.reject(new TransportError('SIP_TRANSPORT_TOO_LARGE', `datagram of ${data.length} bytes exceeds ${UDP_MAX_DATAGRAM}`));
    }
    const target = this.family === 6 && ipFamily(address) === 4 ? `::ffff:${address}` : address;
    return new Promise((resolve, reject) => {
      this.#socket.send(data, port, target, (err) => {
        if (err) reject(new TransportError('SIP_TRANSPORT_SEND', `UDP send to ${address}:${port} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
    return this.#closing;
  }
}
