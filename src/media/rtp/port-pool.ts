/**
 * A pool of pre-bound UDP socket pairs for RTP and RTCP (RFC 3550 section 11: RTP on an even port, RTCP
 * on the next odd one) in a configured range on one address. Binding happens ahead of time: `start()`
 * binds `prebind` pairs, and when the free list runs low more are bound in the background (a bounded
 * number at a time), so allocate() is synchronous and call setup never waits on bind. Released pairs go
 * to the back of the free list (least recently used first) so a port is not reused while the previous
 * call's stray packets may still arrive. Ports held by other processes are skipped and retried later.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '../../lib/index.ts';
import { RtpError } from './errors.ts';

export interface PortPoolOptions {
  /** Address to bind, e.g. '0.0.0.0', '::' or one interface's IP. */
  address: string;
  /** Inclusive port range; RTP takes the even ports, RTCP the following odd port. */
  portMin: number;
  portMax: number;
  /** Pairs bound by start() (default: every pair of the range, at most 256). */
  prebind?: number;
  /** Bind more in the background when fewer pairs than this are free (default: a quarter of prebind, at least 1). */
  lowWater?: number;
  /** Pairs bound per background round (default: prebind). */
  growBy?: number;
  /** Binds in flight at once (default 32). */
  bindConcurrency?: number;
  /** SO_RCVBUF / SO_SNDBUF for every socket (OS default when absent). */
  recvBufferSize?: number;
  sendBufferSize?: number;
  log?: Logger;
}

export interface PortPair {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

/** Where sockets get their port pairs: a PortPool, or a reserve of pairs taken from one. */
export interface PortSource {
  allocate(): PortPair;
  release(pair: PortPair, options?: ReleaseOptions): void;
}

export interface ReleaseOptions {
  /** The caller knows neither socket is connected: skip disconnect() (which throws, and builds an error, when not connected). */
  disconnected?: boolean;
}

interface PairState extends PortPair {
  inUse: boolean;
}

export class PortPool implements PortSource {
  readonly address: string;
  readonly family: 4 | 6;
  readonly #options: PortPoolOptions;
  readonly #free: (PairState | undefined)[] = [];
  #freeHead = 0;
  readonly #all = new Set<PairState>();
  /** Even ports not bound yet, tried in order; a failed one goes to the back. */
  readonly #candidates: number[] = [];
  #filling: Promise<void> | undefined;
  #closed = false;
  /** Binds that failed (port taken by someone else), over the pool's life. */
  bindFailures = 0;

  private constructor(options: PortPoolOptions, family: 4 | 6) {
    this.#options = options;
    this.address = options.address;
    this.family = family;
    for (let p = options.portMin + (options.portMin & 1); p + 1 <= options.portMax; p += 2) this.#candidates.push(p);
  }

  /** Validates the options and binds the first `prebind` pairs; rejects with MEDIA_PORT_BIND when none bind. */
  static async start(options: PortPoolOptions): Promise<PortPool> {
    const family = isIP(options.address);
    if (family === 0) throw new RtpError('MEDIA_RTP_CONFIG', `RTP address must be an IP: ${options.address}`);
    const { portMin, portMax } = options;
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1 || portMax > 65535 || portMax - portMin < 1) {
      throw new RtpError('MEDIA_RTP_CONFIG', `bad RTP port range ${portMin}-${portMax}`);
    }
    const pool = new PortPool(options, family === 6 ? 6 : 4);
    const want = Math.min(pool.capacity, options.prebind ?? 256);
    await pool.#bindSome(want);
    if (pool.bound === 0 && want > 0) {
      await pool.close();
      throw new RtpError('MEDIA_PORT_BIND', `no RTP port pair could be bound in ${portMin}-${portMax} on ${options.address}`);
    }
    return pool;
  }

  /** Pairs the range holds. */
  get capacity(): number {
    return this.#candidates.length + this.#all.size;
  }

  /** Pairs bound (free + in use). */
  get bound(): number {
    return this.#all.size;
  }

  get free(): number {
    return this.#free.length - this.#freeHead;
  }

  get inUse(): number {
    return this.#all.size - this.free;
  }

  /** Resolves when a background bind round in progress is done (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.#filling) await this.#filling;
  }

  /** Takes a free pair; throws MEDIA_NO_PORT when none is bound and free (it never waits on bind). */
  allocate(): PortPair {
    if (this.#closed) throw new RtpError('MEDIA_RTP_CLOSED', 'port pool is closed');
    if (this.free === 0) {
      this.#grow();
      throw new RtpError('MEDIA_NO_PORT', `no free RTP port in ${this.#options.portMin}-${this.#options.portMax}`);
    }
    const pair = this.#free[this.#freeHead]!;
    this.#free[this.#freeHead++] = undefined;
    if (this.#freeHead > 64 && this.#freeHead * 2 > this.#free.length) {
      this.#free.splice(0, this.#freeHead);
      this.#freeHead = 0;
    }
    pair.inUse = true;
    if (this.free < this.#lowWater()) this.#grow();
    return pair;
  }

  /** Returns a pair: listeners the user added are removed, a connected socket is disconnected. Idempotent. */
  release(pair: PortPair, options: ReleaseOptions = {}): void {
    const state = pair as PairState;
    if (!this.#all.has(state) || !state.inUse) return;
    state.inUse = false;
    for (const s of [state.rtp, state.rtcp]) {
      s.removeAllListeners('message');
      if (options.disconnected) continue;
      try {
        s.disconnect();
      } catch {
        // not connected
      }
    }
    if (this.#closed) return;
    this.#free.push(state);
  }

  /** Closes every socket (free and in use). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.idle();
    const closing: Promise<void>[] = [];
    for (const pair of this.#all) {
      closing.push(closeSocket(pair.rtp), closeSocket(pair.rtcp));
    }
    this.#all.clear();
    this.#free.length = 0;
    this.#freeHead = 0;
    await Promise.all(closing);
  }

  #lowWater(): number {
    const prebind = this.#options.prebind ?? 256;
    return this.#options.lowWater ?? Math.max(1, Math.floor(prebind / 4));
  }

  #grow(): void {
    if (this.#filling || this.#closed || this.#candidates.length === 0) return;
    const n = this.#options.growBy ?? this.#options.prebind ?? 256;
    this.#filling = this.#bindSome(n).finally(() => {
      this.#filling = undefined;
    });
  }

  async #bindSome(count: number): Promise<void> {
    let attempts = this.#candidates.length;
    let bound = 0;
    let inFlight = 0;
    const worker = async (): Promise<void> => {
      while (bound + inFlight < count && attempts > 0 && !this.#closed) {
        const port = this.#candidates.shift();
        if (port === undefined) return;
        attempts--;
        inFlight++;
        const pair = await this.#bindPair(port);
        inFlight--;
        if (pair && !this.#closed) {
          bound++;
          this.#all.add(pair);
          this.#free.push(pair);
        } else {
          if (pair) void Promise.all([closeSocket(pair.rtp), closeSocket(pair.rtcp)]);
          this.#candidates.push(port);
        }
      }
    };
    const workers: Promise<void>[] = [];
    const concurrency = Math.max(1, this.#options.bindConcurrency ?? 32);
    for (let i = 0; i < concurrency; i++) workers.push(worker());
    await Promise.all(workers);
  }

  async #bindPair(port: number): Promise<PairState | undefined> {
    const rtp = await this.#bindOne(port);
    if (!rtp) return undefined;
    const rtcp = await this.#bindOne(port + 1);
    if (!rtcp) {
      await closeSocket(rtp);
      return undefined;
    }
    return { address: this.address, rtpPort: port, rtcpPort: port + 1, rtp, rtcp, inUse: false };
  }

  #bindOne(port: number): Promise<Socket | undefined> {
    const o = this.#options;
    const socket = createSocket({
      type: this.family === 6 ? 'udp6' : 'udp4',
      ...(o.recvBufferSize ? { recvBufferSize: o.recvBufferSize } : {}),
      ...(o.sendBufferSize ? { sendBufferSize: o.sendBufferSize } : {}),
    });
    return new Promise((resolve) => {
      const fail = (err: Error): void => {
        this.bindFailures++;
        o.log?.debug({ port, err: err.message }, 'RTP port bind failed');
        socket.close();
        resolve(undefined);
      };
      socket.once('error', fail);
      socket.bind({ port, address: this.address, exclusive: true }, () => {
        socket.off('error', fail);
        // A socket error (e.g. ICMP unreachable surfacing on a connected socket) must never crash the
        // process; the socket stays usable.
        socket.on('error', (err) => o.log?.debug({ port, err: err.message }, 'RTP socket error'));
        socket.unref();
        resolve(socket);
      });
    });
  }
}

function closeSocket(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      s.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
