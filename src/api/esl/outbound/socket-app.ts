/**
 * The `socket` dialplan application: outbound mode of the event socket (specs/esl.md §3). It dials the
 * application at `<host>[:<port>][|...] [async] [full]` (targets tried in order; none answering: a
 * "Socket Error" log line and the app returns), sets `socket_host` / `socket_path`, and serves the
 * connection as an outbound EslConnection bound to the channel: no auth, `connect` answered with the
 * CHANNEL_DATA frame, the single-channel command set unless `full`. With `async` the channel sits in
 * park (CHANNEL_PARK) and keeps taking queued messages; otherwise (static) the socket's sendmsg run
 * inside the command. The app ends when the socket closes or the channel hangs up; then `resume`
 * (socket_resume=true) lets the dialplan go on even if the socket parked the channel (§3.6). Its
 * Application-Response is the previous app's (§11.8).
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { errorMessage } from '../../../lib/index.ts';
import type { Channel } from '../../../core/index.ts';
import type { AppContext, AppRunner } from '../apps.ts';
import type { EslServices } from '../commands/index.ts';
import { EslConnection } from '../connection.ts';
import { parseSocketTarget, type SocketAddress } from './socket-target.ts';

export const SOCKET_SHUTDOWN_TEXT = 'The system is being shut down.\n';

export interface OutboundOptions {
  /** How long one target may take to accept the TCP connection (default 5 s). */
  connectTimeoutMs?: number;
  /** Time allowed for the first command (default 25 s). */
  firstCommandTimeoutMs?: number;
}

export class OutboundSockets {
  readonly #services: EslServices;
  readonly #options: OutboundOptions;
  readonly #connections = new Set<EslConnection>();
  #seq = 0;
  #closed = false;

  constructor(services: EslServices, options: OutboundOptions = {}) {
    this.#services = services;
    this.#options = options;
  }

  get size(): number { return this.#connections.size; }

  /** The `socket` application (registered on the AppRunner). */
  readonly app = async (channel: Channel, arg: string, runner: AppRunner, ctx: AppContext): Promise<string> => {
    const previous = channel.getVariable('current_application_response') ?? '_none_';
    const log = channel.log.child({ app: 'socket' });
    const target = parseSocketTarget(arg);
    if (!target) {
      log.warn({ arg }, 'socket: no usable target');
      return previous;
    }
    let socket: Socket | undefined;
    for (const address of target.addresses) {
      if (this.#closed || channel.ended) break;
      channel.setVariable('socket_host', address.host);
      channel.setVariable('socket_path', address.path);
      socket = await this.#dial(address).catch((err: unknown) => {
        log.warn({ host: address.host, port: address.port, err: errorMessage(err) }, 'Socket Error');
        return undefined;
      });
      if (socket) break;
    }
    if (!socket || this.#closed || channel.ended) {
      socket?.destroy();
      return previous;
    }
    const conn = new EslConnection(socket, this.#services, {
      outbound: { uuid: channel.uuid, async: target.async, full: target.full },
      ...(this.#options.firstCommandTimeoutMs === undefined ? {} : { authTimeoutMs: this.#options.firstCommandTimeoutMs }),
      onClosed: () => this.#connections.delete(conn),
    });
    this.#connections.add(conn);
    log.info({ host: channel.getVariable('socket_host'), async: target.async, full: target.full }, 'outbound socket connected');
    conn.start();
    const hold = `socket:${++this.#seq}`;
    if (target.async) {
      runner.parks.hold(channel, hold);
      ctx.release();
    }
    let offHangup = (): void => {};
    const ended = new Promise<void>((resolve) => {
      if (channel.ended) resolve();
      else offHangup = channel.on('hangup', () => resolve());
    });
    await Promise.race([conn.closed, ended]);
    offHangup();
    if (target.async) runner.parks.unhold(channel, hold);
    if (!channel.ended && channel.getVariable('socket_resume') === 'true') runner.parks.release(channel);
    return channel.getVariable('current_application_response') ?? previous;
  };

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const open = [...this.#connections];
    this.#connections.clear();
    for (const c of open) c.close(SOCKET_SHUTDOWN_TEXT);
    const fallback = setTimeout(() => { for (const c of open) c.destroy(); }, 2000);
    fallback.unref();
  }

  #dial(address: SocketAddress): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: address.host, port: address.port, noDelay: true });
      const timer = this.#services.sw.clock.setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timeout'));
      }, this.#options.connectTimeoutMs ?? 5000);
      socket.once('connect', () => {
        timer.cancel();
        socket.removeAllListeners('error');
        socket.setKeepAlive(true);
        resolve(socket);
      });
      socket.once('error', (err) => {
        timer.cancel();
        socket.destroy();
        reject(err);
      });
    });
  }
}
