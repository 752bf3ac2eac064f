/**
 * sendmsg `call-command: unicast` (specs/esl.md §2.2 sendmsg): mirrors a channel's audio over UDP. What
 * the far end says goes as linear 16-bit PCM (little-endian, the leg's rate, 20 ms per datagram) from
 * `local-ip:local-port` to `remote-ip:remote-port` (defaults 127.0.0.1, 8025, 127.0.0.1, 8026); PCM
 * datagrams arriving on the local port (in the same format) are played to the far end. It lasts until the
 * channel ends. `transport: tcp` and `flags: native` (codec frames as they are) are not offered: the
 * first is refused with a log line, the second falls back to L16.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
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
  if (spec.transport !== 'udp') return `transport ${spec.transport} is not supported (udp only)`;
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

/**
 * Starts mirroring; resolves with a stop function (idempotent; also called when the channel ends), or
 * with the reason it could not start (logged by the caller). Never rejects.
 */
export async function startUnicast(channel: Channel, spec: UnicastSpec, log: Logger): Promise<{ stop(): void } | string> {
  const problem = unicastProblem(spec);
  if (problem) return problem;
  const media = channel.media;
  if (!media || channel.ended) return 'the channel has no media';
  if (!media.tapAudio || !media.playStream) return 'the channel media cannot be mirrored';
  const sampleRate = media.sampleRate ?? 8000;
  const socket: Socket = createSocket(spec.localIp.includes(':') ? 'udp6' : 'udp4');
  const bound = await new Promise<string | undefined>((resolve) => {
    socket.once('error', (err) => resolve(errorMessage(err)));
    socket.bind(spec.localPort, spec.localIp, () => resolve(undefined));
  });
  if (bound !== undefined) {
    socket.close();
    return `cannot bind ${spec.localIp}:${spec.localPort}: ${bound}`;
  }
  if (spec.native) log.info({ uuid: channel.uuid }, 'unicast flags native not offered; sending L16');
  let stopped = false;
  let stream: MediaAudioStream | undefined;
  let tap: MediaAudioTap | undefined;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    off();
    tap?.stop();
    stream?.stop();
    socket.close();
  };
  const off = channel.on('hangup', stop);
  socket.on('error', (err) => log.warn({ uuid: channel.uuid, err: errorMessage(err) }, 'unicast socket error'));
  socket.on('message', (msg) => {
    if (stopped || msg.length < 2 || msg.length > MAX_DATAGRAM) return;
    stream ??= media.playStream!({ sampleRate });
    stream.write(fromBytes(msg));
  });
  try {
    tap = media.tapAudio({ direction: 'in', sampleRate, chunkMs: FRAME_MS }, (chunk) => {
      if (!stopped) socket.send(toBytes(chunk.pcm), spec.remotePort, spec.remoteIp);
    });
  } catch (err) {
    stop();
    return `cannot tap the channel audio: ${errorMessage(err)}`;
  }
  return { stop };
}
