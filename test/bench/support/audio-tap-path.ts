/**
 * The listen audio path alone, without SIP or the application runtime (LISTEN_PATH_ONLY=1 of
 * jambonz-listen.bench.ts): `streams` media sessions in worker threads, each sending a tone to itself over
 * loopback RTP, each tapped as `listen` taps it (20 ms chunks at 8 kHz, shared chunks) and every chunk sent
 * on its own AudioSocket to the audio receiver. This process's threads are measured from
 * /proc/self/task/<tid>/schedstat over the window: the main thread (tap delivery, audio sockets) and the
 * busiest other threads (the media workers). The same sessions untapped give the media's own share.
 */
import { MediaWorkers, RemoteSession } from '../../../src/media/worker/index.ts';
import { AudioSocket } from '../../../src/api/jambonz/runtime/listen/index.ts';
import { silentLogger } from '../../../src/lib/index.ts';
import type { MediaSessionConfig } from '../../../src/media/session/index.ts';
import { freePort } from '../../support/ports.ts';
import { sampleThreads, threadCpu, type ThreadCpu } from './audio-thread-cpu.ts';

export interface TapPathPlan {
  streams: number;
  seconds: number;
  workers: number;
  /** The audio receiver's port (AudioReceiverProcess). */
  receiverPort: number;
  /** false: the sessions run untapped (the control). */
  tapped: boolean;
}

export interface TapPathResult {
  threads: ThreadCpu;
  /** Chunks handed to the sockets per second over the window. */
  chunksPerS: number;
}

const pcmu: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runTapPath(plan: TapPathPlan): Promise<TapPathResult> {
  const low = await freePort('127.0.0.1', 2 * plan.streams + 128);
  const portMin = low + (low & 1);
  const workers = await MediaWorkers.start({
    count: plan.workers, address: '127.0.0.1', portMin, portMax: portMin + 2 * plan.streams + 120, prebind: 64, logLevel: 'silent', log: silentLogger(),
  });
  const sessions: RemoteSession[] = [];
  const sockets: AudioSocket[] = [];
  let chunks = 0;
  try {
    for (let i = 0; i < plan.streams; i++) {
      if (i % 32 === 31) await sleep(20); // lets the workers set more ports aside
      const s = RemoteSession.open(workers.pick(), pcmu);
      sessions.push(s);
      s.configure({ ...pcmu, remote: { address: '127.0.0.1', port: s.localPort } });
      s.play('tone_stream://%(3600000,0,600)');
      if (!plan.tapped) continue;
      const socket = new AudioSocket({ url: `ws://127.0.0.1:${plan.receiverPort}/path` }, silentLogger());
      sockets.push(socket);
      const opened = await socket.opened;
      if (!opened.ok) throw new Error(`audio socket: ${opened.error}`);
      s.tapChunks('received', { rate: 8000, channels: 1, chunkMs: 20, sharedChunks: true }, (pcm) => {
        chunks++;
        socket.sendAudio(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      }, () => {});
    }
    await sleep(2000);
    const before = sampleThreads(process.pid);
    const counted = chunks;
    await sleep(plan.seconds * 1000);
    const threads = threadCpu(process.pid, before, sampleThreads(process.pid));
    return { threads, chunksPerS: (chunks - counted) / plan.seconds };
  } finally {
    for (const s of sockets) s.close();
    for (const s of sessions) s.close();
    await workers.close();
  }
}
