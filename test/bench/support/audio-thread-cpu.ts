/**
 * CPU time of each thread of a process over a window, from /proc/<pid>/task/<tid>/schedstat (time on a
 * CPU in ns; Linux only): the listen benchmark splits the server's CPU into its main thread (sockets,
 * the application runtime) and the other threads (media workers first: they are the busiest), so a change
 * in the audio path shows where it saves. CPU time, not wall time, so a shared machine skews it less.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ThreadSample = Map<number, number>;

/** Every thread's CPU time so far (ns), by thread id; threads that vanish while reading are skipped. */
export function sampleThreads(pid: number): ThreadSample {
  const out: ThreadSample = new Map();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(ns)) out.set(Number(tid), ns);
    } catch {
      // the thread ended
    }
  }
  return out;
}

export interface ThreadCpu {
  /** CPU of the main thread (tid = pid), in ms. */
  mainMs: number;
  /** The other threads' CPU in ms, busiest first (only those that used any). */
  othersMs: number[];
}

/** CPU used per thread between two samples (a thread born in between counts from 0). */
export function threadCpu(pid: number, before: ThreadSample, after: ThreadSample): ThreadCpu {
  let mainMs = 0;
  const othersMs: number[] = [];
  for (const [tid, ns] of after) {
    const ms = (ns - (before.get(tid) ?? 0)) / 1e6;
    if (tid === pid) mainMs = ms;
    else if (ms > 0) othersMs.push(ms);
  }
  othersMs.sort((a, b) => b - a);
  return { mainMs, othersMs };
}
