/**
 * Opening client connections for TCP, TLS (RFC 3261 section 18.1.1 and 26.3.1; server identity per
 * RFC 5922 section 7), and WS/WSS towards a WebSocket server (RFC 7118 section 4: the `sip` subprotocol
 * must be offered and accepted), with a connect timeout and cancellation.
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import type { Connection, ConnectionHooks, ConnectionSettings } from './connection.ts';
import { TransportError } from './errors.ts';
import { hostForUri, unmapIpv4 } from './ip-address.ts';
import { StreamConnection } from './stream-connection.ts';
import type { LoadedTlsMaterial } from './tls-material.ts';
import type { Destination } from './types.ts';
import { WsConnection } from './ws-connection.ts';
import { SIP_SUBPROTOCOL } from './ws-transport.ts';

export interface ConnectorOptions {
  settings: ConnectionSettings;
  hooks: ConnectionHooks;
  connectTimeoutMs: number;
  /** TLS and WSS client side: trust, client certificate, and whether to verify the server. */
  tlsClient: LoadedTlsMaterial & { rejectUnauthorized: boolean };
  /** Request path for WS/WSS client connections. */
  wsPath: string;
}

function connectError(dest: Destination, detail: string, cause?: unknown): TransportError {
  return new TransportError('SIP_TRANSPORT_CONNECT', `${dest.transport} connect to ${hostForUri(dest.address)}:${dest.port} failed: ${detail}`, cause === undefined ? undefined : { cause });
}

/** SNI and certificate name: the resolved domain, never an IP literal (RFC 6066 section 3). */
function serverName(dest: Destination): string | undefined {
  return dest.serverName && isIP(dest.serverName) === 0 ? dest.serverName : undefined;
}

/** Opens a connection to `dest` (address must be an IP literal). The signal aborts a pending connect. */
export function openConnection(dest: Destination, options: ConnectorOptions, signal: AbortSignal): Promise<Connection> {
  if (isIP(dest.address) === 0) return Promise.reject(new TransportError('SIP_TRANSPORT_NO_ROUTE', `not an IP address: ${dest.address}`));
  if (dest.transport === 'ws' || dest.transport === 'wss') return openWebSocket(dest, dest.transport, options, signal);
  if (dest.transport === 'tcp' || dest.transport === 'tls') return openStream(dest, dest.transport, options, signal);
  return Promise.reject(new TransportError('SIP_TRANSPORT_NO_ROUTE', `${dest.transport} is not connection-oriented`));
}

function openStream(dest: Destination, transport: 'tcp' | 'tls', options: ConnectorOptions, signal: AbortSignal): Promise<Connection> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    const { rejectUnauthorized, ...material } = options.tlsClient;
    if (transport === 'tls') {
      const servername = serverName(dest);
      socket = tlsConnect({ host: dest.address, port: dest.port, rejectUnauthorized, ...material, ...(servername ? { servername } : {}) });
    } else {
      socket = tcpConnect({ host: dest.address, port: dest.port });
    }
    let done = false;
    const settle = (err?: TransportError) => {
      if (done) return;
      done = true;
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        resolve(new StreamConnection(socket, transport, 'outbound', options.settings, options.hooks));
      }
    };
    const onError = (err: Error) => settle(connectError(dest, err.message, err));
    const onAbort = () => settle(new TransportError('SIP_TRANSPORT_CLOSED', 'transport closed while connecting'));
    const timer = options.settings.clock.setTimeout(() => settle(connectError(dest, `no answer within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => settle());
    socket.on('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
}

function openWebSocket(dest: Destination, transport: 'ws' | 'wss', options: ConnectorOptions, signal: AbortSignal): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const servername = serverName(dest);
    const url = `${transport}://${hostForUri(dest.address)}:${dest.port}${options.wsPath}`;
    const { rejectUnauthorized, ...material } = options.tlsClient;
    const ws = new WebSocket(url, SIP_SUBPROTOCOL, {
      perMessageDeflate: false,
      maxPayload: options.settings.framer.maxMessageBytes,
      ...(transport === 'wss' ? { rejectUnauthorized, ...material, ...(servername ? { servername } : {}) } : {}),
    });
    let local = { address: '', port: 0 };
    let done = false;
    const settle = (err?: TransportError) => {
      if (done) return;
      done = true;
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      ws.off('error', onError);
      if (err) {
        ws.on('error', () => {});
        ws.terminate();
        reject(err);
      } else {
        resolve(new WsConnection(ws, transport, { address: dest.address, port: dest.port }, local, 'outbound', options.settings, options.hooks));
      }
    };
    const onError = (err: Error) => settle(connectError(dest, err.message, err));
    const onAbort = () => settle(new TransportError('SIP_TRANSPORT_CLOSED', 'transport closed while connecting'));
    const timer = options.settings.clock.setTimeout(() => settle(connectError(dest, `no answer within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    ws.once('upgrade', (res) => {
      local = { address: unmapIpv4(res.socket.localAddress ?? ''), port: res.socket.localPort ?? 0 };
    });
    ws.once('open', () => {
      if (ws.protocol !== SIP_SUBPROTOCOL) settle(connectError(dest, 'the server did not accept the sip subprotocol'));
      else settle();
    });
    ws.on('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
}
