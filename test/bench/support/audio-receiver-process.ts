/**
 * Starts the listen benchmark's audio socket receiver (audio-ws-receiver.ts) as a child process and
 * talks to it over IPC: where it listens, the measuring window, its report. Bounded: every wait has a
 * deadline and close() kills the child if it does not exit; close() is idempotent.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StreamGapReport } from './stream-gaps.ts';

const here = dirname(fileURLToPath(import.meta.url));

const num = z.number().nullable().transform((v) => v ?? NaN);
const reportSchema = z.object({
  type: z.literal('report'),
  gaps: z.object({
    windowMs: z.number(), streams: z.number(), complete: z.number(), frames: z.number(), bytes: z.number(),
    interArrivalMs: z.object({ p50: num, p99: num, p999: num, max: num }),
    gaps: z.number(), streamsWithGaps: z.number(), missingAudioMs: z.number(), streamsShort: z.number(),
    receivedMs: z.object({ min: num, p50: num }),
  }).optional(),
  connections: z.number(),
  open: z.number(),
  metadata: z.object({ ok: z.number(), bad: z.number(), missing: z.number() }),
  textFrames: z.number(),
  loopDelayMs: z.object({ p99: num, max: num }),
  cpuS: z.number(),
});
export type ReceiverReport = Omit<z.infer<typeof reportSchema>, 'gaps' | 'type'> & { gaps: StreamGapReport | undefined };

export interface ReceiverWindow {
  /** Wall-clock ms (performance.timeOrigin + performance.now()). */
  fromMs: number;
  toMs: number;
  sampleRate: number;
  gapMs: number;
  toleranceMs: number;
}

export class AudioReceiverProcess {
  readonly #child: ChildProcess;
  readonly port: number;
  #closed = false;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  static async start(timeoutMs = 30_000): Promise<AudioReceiverProcess> {
    const child = fork(join(here, 'audio-ws-receiver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the audio receiver did not start in time')), timeoutMs);
        child.once('exit', (code) => reject(new Error(`the audio receiver exited (${code})`)));
        child.on('message', (m: unknown) => {
          const p = z.object({ type: z.literal('listening'), port: z.number().int().positive() }).safeParse(m);
          if (p.success) {
            clearTimeout(timer);
            resolve(p.data.port);
          }
        });
      });
      return new AudioReceiverProcess(child, port);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  /** Sets the measuring window (8 kHz and up, 16-bit mono). */
  window(w: ReceiverWindow): void {
    this.#child.send({ type: 'window', ...w, bytesPerMs: (w.sampleRate * 2) / 1000 });
  }

  report(timeoutMs = 30_000): Promise<ReceiverReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#child.off('message', onMessage);
        reject(new Error('the audio receiver did not report in time'));
      }, timeoutMs);
      const onMessage = (m: unknown): void => {
        const p = reportSchema.safeParse(m);
        if (!p.success) return;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        const { type: _type, gaps, ...rest } = p.data;
        resolve({ ...rest, gaps });
      };
      this.#child.on('message', onMessage);
      this.#child.send({ type: 'report' });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.connected) child.send({ type: 'close' });
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
  }
}
