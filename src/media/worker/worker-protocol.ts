/**
 * The messages between the call core's thread and a media worker (all structured-clone data). The core
 * addresses sessions, bridges and rooms by ids it chose (media-commands.ts), so commands are posted
 * without waiting; replies come back by `seq` for the commands whose result matters (the first port
 * numbers, statistics) and for errors. Port numbers are handed out ahead: the worker sets bound port
 * pairs aside (`reserve`) and tells the core their numbers, so the core can write a port into SDP at
 * once and open the session on it with `session.open { port }`.
 */
import type { LogLevel } from './worker-log.ts';
import type { MediaCommand, MediaEventMessage, MediaReply } from '../session/index.ts';
import type { TapBatchMessage } from './tap-batch.ts';

/** What a worker is started with (workerData). */
export interface MediaWorkerData {
  /** Index of this worker, for logs. */
  index: number;
  address: string;
  portMin: number;
  portMax: number;
  prebind: number;
  soundDir?: string;
  cacheDir?: string;
  /** Period of the statistics message (default 1000 ms). */
  statsIntervalMs?: number;
  logLevel: LogLevel;
}

export type ToWorker =
  | { type: 'command'; seq: number; command: MediaCommand }
  /** Set aside up to `count` bound port pairs for sessions the core will open. */
  | { type: 'reserve'; count: number }
  /** Create a push-fed source, played by a `session.play` of `stream:<streamId>` posted next. */
  | { type: 'stream.open'; streamId: string; sampleRate: number; prebufferMs: number }
  /** Audio for a push-fed source (its buffer is transferred), or its end. */
  | { type: 'stream.push'; streamId: string; pcm?: Int16Array; end?: boolean }
  /** The core is done with the stream (its playback settled). */
  | { type: 'stream.close'; streamId: string }
  /** Close every session and room, unbind the ports, answer `closed`. */
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; address: string }
  | ({ type: 'reply' } & MediaReply)
  | { type: 'event'; message: MediaEventMessage }
  | { type: 'reserved'; ports: number[] }
  /** The chunks of `chunks:<tapId>?rate=&channels=&ms=` taps made in one turn, packed (tap-batch.ts; the buffer is transferred). */
  | TapBatchMessage
  /** Media clock health over the last statistics period. */
  | { type: 'load'; sessions: number; rooms: number; tickP99Ms: number; mixP99Ms: number; lateTicks: number }
  | { type: 'closed' };
