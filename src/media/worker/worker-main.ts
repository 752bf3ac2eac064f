/**
 * The entry of a media worker thread: its own port pool (a slice of the RTP range), media clock and
 * MediaCommandHost, driven by ToWorker messages (worker-protocol.ts). Events, replies, statistics and a
 * periodic load report go back as FromWorker messages: at most one message per command, per event and
 * per statistics period, never one per packet; the chunks of every audio tap go together, one message
 * per media tick at most (tap-batch.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, errorMessage } from '../../lib/index.ts';
import { threadMediaClock } from '../media-clock.ts';
import { PortPool, type PortPair } from '../rtp/index.ts';
import { MediaCommandHost, TickScheduler, type MediaEventMessage } from '../session/index.ts';
import { ChunkSink, WavRecorder } from '../sinks/index.ts';
import { TtsStreamSource, openSource } from '../sources/index.ts';
import { TapBatcher } from './tap-batch.ts';
import type { FromWorker, MediaWorkerData, ToWorker } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('worker-main.ts runs only as a worker thread');
const data = workerData as MediaWorkerData;
const log = createLogger({ level: data.logLevel }).child({ room: 'media-worker', worker: data.index });
/** Tap chunks of one turn go as one message (tap-batch.ts); whatever else is posted follows them. */
const tapChunks = new TapBatcher((m, transfer) => port.postMessage(m satisfies FromWorker, transfer));
const post = (m: FromWorker): void => {
  tapChunks.flush();
  port.postMessage(m);
};

const pool = await PortPool.start({
  address: data.address, portMin: data.portMin, portMax: data.portMax, prebind: data.prebind, log,
});
const clock = threadMediaClock();
const scheduler = TickScheduler.of(clock);
const reserved = new Map<number, PortPair>();

const host = new MediaCommandHost({
  pool,
  clock,
  log,
  takeReserved(p) {
    const pair = reserved.get(p);
    reserved.delete(p);
    return pair;
  },
  openSource: (spec, sampleRate, options) => (spec.startsWith(STREAM) ? streamSource(spec) : openSource(spec, {
    sampleRate,
    loop: 1,
    ...(options?.startMs ? { startMs: options.startMs } : {}),
    ...(data.soundDir === undefined ? {} : { soundDir: data.soundDir }),
    ...(data.cacheDir === undefined ? {} : { cacheDir: data.cacheDir }),
  })),
  openSink: (spec, sampleRate, options) => (spec.startsWith(CHUNKS)
    ? chunkSink(spec, sampleRate)
    : new WavRecorder({ path: spec, sampleRate, channels: options?.channels ?? 1 })),
  post: (message: MediaEventMessage) => post({ type: 'event', message }),
});

/** `stream:<streamId>`: a source fed by stream.push messages (audio pushed into a call as it arrives). */
const STREAM = 'stream:';
const streams = new Map<string, TtsStreamSource>();

function streamSource(spec: string): TtsStreamSource {
  const source = streams.get(spec.slice(STREAM.length));
  if (!source) throw new Error(`no pushed stream ${spec}`);
  return source;
}

/** `chunks:<tapId>?rate=16000&channels=2&ms=100`: a tap whose chunks go to the core thread. */
const CHUNKS = 'chunks:';

function chunkSink(spec: string, sessionRate: number): ChunkSink {
  const url = new URL(spec.replace(CHUNKS, 'chunks://tap/'));
  const tapId = decodeURIComponent(url.pathname.slice(1));
  const rate = Number(url.searchParams.get('rate') ?? sessionRate);
  const channels = url.searchParams.get('channels') === '2' ? 2 : 1;
  const ms = Number(url.searchParams.get('ms') ?? 100);
  return new ChunkSink({ sampleRate: rate, channels, chunkMs: ms }, (pcm) => tapChunks.add(tapId, pcm));
}

function reserve(count: number): void {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    let pair: PortPair;
    try {
      pair = pool.allocate();
    } catch {
      break; // none bound and free right now; the pool grows in the background and the core asks again
    }
    reserved.set(pair.rtpPort, pair);
    ports.push(pair.rtpPort);
  }
  post({ type: 'reserved', ports });
}

let rooms = 0;
const statsTimer = setInterval(() => {
  try {
    const entries = host.statsAll();
    if (entries.length > 0) post({ type: 'event', message: { kind: 'stats', entries } });
    const work = scheduler.workStats();
    const clockStats = clock.stats();
    post({ type: 'load', sessions: host.sessionCount, rooms, tickP99Ms: work.p99Ms, mixP99Ms: work.mixP99Ms, lateTicks: clockStats.late });
    scheduler.resetWorkStats();
  } catch (err) {
    log.warn({ err: errorMessage(err) }, 'media statistics failed');
  }
}, data.statsIntervalMs ?? 1000);
statsTimer.unref();

async function close(): Promise<void> {
  clearInterval(statsTimer);
  host.close();
  for (const pair of reserved.values()) pool.release(pair, { disconnected: true });
  reserved.clear();
  await pool.close();
  clock.close();
  post({ type: 'closed' });
  port?.close();
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'command': {
      const { seq, command } = m;
      if (command.op === 'room.create') rooms++;
      else if (command.op === 'room.close') rooms = Math.max(0, rooms - 1);
      host.handle(command).then(
        (result) => post({ type: 'reply', seq, ok: true, ...(result === undefined ? {} : { result }) }),
        (err: unknown) => post({
          type: 'reply', seq, ok: false, code: String((err as { code?: unknown }).code ?? 'MEDIA_WORKER'), message: errorMessage(err),
        }),
      );
      return;
    }
    case 'reserve':
      reserve(m.count);
      return;
    case 'stream.open':
      streams.set(m.streamId, new TtsStreamSource({ sampleRate: m.sampleRate, prebufferMs: m.prebufferMs }));
      return;
    case 'stream.push': {
      const source = streams.get(m.streamId);
      if (!source || source.ended) return;
      if (m.pcm) source.push(m.pcm);
      if (m.end) source.end();
      return;
    }
    case 'stream.close':
      streams.delete(m.streamId);
      return;
    case 'close':
      void close();
      return;
  }
});

post({ type: 'ready', address: pool.address });
