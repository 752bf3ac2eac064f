/**
 * sendmsg `call-command: unicast` (specs/esl.md §2.2 sendmsg; compatibility source: switch_ivr.c
 * switch_ivr_activate_unicast): mirrors a channel's audio. What the far end says goes out as linear
 * 16-bit PCM (little-endian, the leg's rate, 20 ms per write); PCM coming back in the same format is
 * played to the far end. It lasts until the channel ends.
 * - `transport: udp` (default): datagrams from `local-ip:local-port` to `remote-ip:remote-port`
 *   (defaults 127.0.0.1, 8025, 127.0.0.1, 8026); datagrams arriving on the local port are played.
 * - `transport: tcp`: a TCP connection from `local-ip` to `remote-ip:remote-port`, carrying the same
 *   bytes as a stream both ways (the original opens a UDP socket whatever the transport). The peer
 *   closing it ends the mirror. Audio sent faster than real time is paced (reading pauses while more
 *   than 2 s are queued).
 * `flags: native` (codec frames as they are) is not offered: the media layer hands out decoded audio
 * only, so native falls back to L16 with a log line.
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { Channel, MediaAudioStream, MediaAudioTap } from '../../core/index.ts';

export interface UnicastSpec {
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  transport: string;
  native: boolean;
}

const FRAME_MS = 20;
/** Largest datagram taken in (60 ms at 48 kHz); bigger ones are dropped. */
const MAX_DATAGRAM = 5760;
/** TCP: audio (ms) queued ahead of real time before reading pauses. */
const MAX_AHEAD_MS = 2000;
const CONNECT_TIMEOUT_MS = 5000;

function port(text: string | undefined, fallback: number): number {
  const n = Number(text ?? '');
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : fallback;
}

/** The unicast message headers, with the original's defaults. Pure. */
export function parseUnicast(header: (name: string) => string | undefined): UnicastSpec {
  return {
    localIp: header('local-ip')?.trim() || '127.0.0.1',
    localPort: port(header('local-port'), 8025),
    remoteIp: header('remote-ip')?.trim() || '127.0.0.1',
    remotePort: port(header('remote-port'), 8026),
    transport: (header('transport')?.trim() || 'udp').toLowerCase(),
    native: (header('flags') ?? '').toLowerCase().split(/[\s,|]+/).includes('native'),
  };
}

/** Why the spec cannot run, or undefined. Pure. */
export function unicastProblem(spec: UnicastSpec): string | undefined {
  if (spec.transport !== 'udp' && spec.transport !== 'tcp') return `invalid transport ${spec.transport}`;
  if (!isIP(spec.localIp)) return `local-ip ${spec.localIp} is not an address`;
  if (!isIP(spec.remoteIp)) return `remote-ip ${spec.remoteIp} is not an address`;
  return undefined;
}

/** Little-endian 16-bit PCM bytes of the samples. */
function toBytes(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

function fromBytes(buf: Buffer): Int16Array {
  const pcm = new Int16Array(buf.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = buf.readInt16LE(i * 2);
  return pcm;
}

/** Bytes both ways, whatever the transport. */
interface Pipe {
  send(bytes: Buffer): void;
  close(): void;
}

interface PipeHandlers {
  /** PCM bytes that arrived (a whole number of samples). */
  onPcm(bytes: Buffer): void;
  /** The peer went away (TCP). */
  onEnd(reason: string): void;
  onError(err: unknown): void;
}

async function openUdp(spec: UnicastSpec, on: PipeHandlers): Promise<Pipe | string> {
  const socket: Socket = createSocket(spec.localIp.includes(':') ? 'udp6' : 'udp4');
  const bound = await new Promise<string | undefined>((resolve) => {
    socket.once('error', (err) => resolve(errorMessage(err)));
    socket.bind(spec.localPort, spec.localIp, () => resolve(undefined));
  });
  if (bound !== undefined) {
    socket.close();
    return `cannot bind ${spec.localIp}:${spec.localPort}: ${bound}`;
  }
  socket.on('error', on.onError);
  socket.on('message', (msg) => {
    if (msg.length >= 2 && msg.length <= MAX_DATAGRAM) on.onPcm(msg);
  });
  return {
    send: (bytes) => socket.send(bytes, spec.remotePort, spec.remoteIp),
    close: () => socket.close(),
  };
}

async function openTcp(spec: UnicastSpec, on: PipeHandlers, sampleRate: number, now: () => number): Promise<Pipe | string> {
  const socket = connect({ host: spec.remoteIp, port: spec.remotePort, localAddress: spec.localIp, noDelay: true });
  const failed = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve('connect timed out'), CONNECT_TIMEOUT_MS);
    socket.once('error', (err) => { clearTimeout(timer); resolve(errorMessage(err)); });
    socket.once('connect', () => { clearTimeout(timer); resolve(undefined); });
  });
  if (failed !== undefined) {
    socket.destroy();
    return `cannot connect to ${spec.remoteIp}:${spec.remotePort}: ${failed}`;
  }
  let closed = false;
  let carry: Buffer | undefined;
  // Pacing: samples taken in versus real time since the first byte.
  let startedAt: number | undefined;
  let samples = 0;
  let resumeTimer: NodeJS.Timeout | undefined;
  socket.on('error', on.onError);
  socket.on('close', () => {
    if (!closed) on.onEnd('the peer closed the connection');
  });
  socket.on('data', (chunk: Buffer) => {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const even = bytes.length & ~1;
    carry = even < bytes.length ? bytes.subarray(even) : undefined;
    if (even === 0) return;
    startedAt ??= now();
    samples += even / 2;
    on.onPcm(bytes.subarray(0, even));
    const aheadMs = (samples / sampleRate) * 1000 - (now() - startedAt);
    if (aheadMs > MAX_AHEAD_MS && !resumeTimer) {
      socket.pause();
      resumeTimer = setTimeout(() => {
        resumeTimer = undefined;
        if (!closed) socket.resume();
      }, aheadMs - MAX_AHEAD_MS / 2);
    }
  });
  return {
    send: (bytes) => {
      // A peer that does not read gets no more than what the kernel and one write buffer hold.
      if (socket.writableLength < 64 * 1024) socket.write(bytes);
    },
    close: () => {
      closed = true;
      clearTimeout(resumeTimer);
      socket.destroy();
    },
  };
}

/**
 * Starts mirroring; resolves with a stop function (idempotent; also called when the channel ends or a
 * TCP peer goes away), or with the reason it could not start (logged by the caller). Never rejects.
 */
export async function startUnicast(channel: Channel, spec: UnicastSpec, log: Logger, now: () => number = Date.now): Promise<{ stop(): void } | string> {
  const problem = unicastProblem(spec);
  if (problem) return problem;
  const media = channel.media;
  if (!media || channel.ended) return 'the channel has no media';
  if (!media.tapAudio || !media.playStream) return 'the channel media cannot be mirrored';
  const sampleRate = media.sampleRate ?? 8000;
  let stopped = false;
  let stream: MediaAudioStream | undefined;
  let tap: MediaAudioTap | undefined;
  let pipe: Pipe | undefined = undefined;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    off();
    tap?.stop();
    stream?.stop();
    pipe?.close();
  };
  const handlers: PipeHandlers = {
    onPcm: (bytes) => {
      if (stopped) return;
      stream ??= media.playStream!({ sampleRate });
      stream.write(fromBytes(bytes));
    },
    onEnd: (reason) => {
      log.info({ uuid: channel.uuid, reason }, 'unicast ended');
      stop();
    },
    onError: (err) => log.warn({ uuid: channel.uuid, err: errorMessage(err) }, 'unicast socket error'),
  };
  const off = channel.on('hangup', stop);
  const opened = spec.transport === 'tcp' ? await openTcp(spec, handlers, sampleRate, now) : await openUdp(spec, handlers);
  if (typeof opened === 'string') {
    off();
    return opened;
  }
  pipe = opened;
  if (stopped || channel.ended) {
    stop();
    return 'the channel ended';
  }
  if (spec.native) log.info({ uuid: channel.uuid }, 'unicast flags native not offered; sending L16');
  try {
    tap = media.tapAudio({ direction: 'in', sampleRate, chunkMs: FRAME_MS }, (chunk) => {
      if (!stopped) pipe?.send(toBytes(chunk.pcm));
    });
  } catch (err) {
    stop();
    return `cannot tap the channel audio: ${errorMessage(err)}`;
  }
  return { stop };
}
