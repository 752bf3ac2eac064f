/**
 * A WebSocket connection carrying SIP (RFC 7118 section 5): each text or binary WebSocket message is
 * exactly one SIP message, so no framing is needed. Messages are sent as text frames when they are valid
 * UTF-8 and as binary frames otherwise. A message that holds only CRLFs is a keep-alive, as used by
 * browser SIP clients: a double CRLF ping is answered with a CRLF pong (RFC 5626 section 4.4.1 style).
 */
import { isUtf8 } from 'node:buffer';
import type { WebSocket, RawData } from 'ws';
import { Connection, type ConnectionHooks, type ConnectionSettings } from './connection.ts';
import { TransportError } from './errors.ts';
import type { AddressPort, TransportName } from './types.ts';

const PONG = Buffer.from('\r\n');
const OPEN = 1;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Counts line ends if the data is nothing but CR and LF bytes, else returns -1. */
function keepAliveLineEnds(data: Buffer): number {
  let lineEnds = 0;
  for (const b of data) {
    if (b === 0x0a) lineEnds++;
    else if (b !== 0x0d) return -1;
  }
  return lineEnds;
}

export class WsConnection extends Connection {
  readonly #ws: WebSocket;
  #socketError: Error | undefined;

  constructor(
    ws: WebSocket,
    transport: Extract<TransportName, 'ws' | 'wss'>,
    remote: AddressPort,
    local: AddressPort,
    direction: 'inbound' | 'outbound',
    settings: ConnectionSettings,
    hooks: ConnectionHooks,
  ) {
    super(transport, remote, local, direction, settings, hooks);
    this.#ws = ws;
    ws.on('message', (raw: RawData) => {
      this.touch();
      if (this.closed) return;
      const data = toBuffer(raw);
      const lineEnds = keepAliveLineEnds(data);
      if (lineEnds >= 2) {
        if (ws.readyState === OPEN) ws.send(PONG, { binary: false });
        return;
      }
      if (lineEnds >= 0) return;
      this.hooks.message(this, data);
    });
    ws.on('error', (err) => {
      this.#socketError ??= err;
    });
    ws.on('close', () => {
      if (this.#socketError) this.close('error', this.#socketError);
      else this.close('remote');
    });
  }

  send(data: Buffer): Promise<void> {
    if (this.closed || this.#ws.readyState !== OPEN) {
      return Promise.reject(new TransportError('SIP_TRANSPORT_CLOSED', `connection ${this.id} is closed`));
    }
    this.touch();
    return new Promise<void>((resolve, reject) => {
      this.#ws.send(data, { binary: !isUtf8(data) }, (err) => {
        if (err) reject(new TransportError('SIP_TRANSPORT_SEND', `write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
      if (this.#ws.bufferedAmount > this.settings.maxWriteBufferBytes) {
        this.close('error', new TransportError('SIP_TRANSPORT_SEND', `peer of ${this.id} does not read: write buffer over ${this.settings.maxWriteBufferBytes} bytes`));
      }
    });
  }

  protected destroy(): void {
    this.#ws.terminate();
  }
}
