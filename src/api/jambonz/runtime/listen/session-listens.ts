/**
 * The audio forks of each call session (specs/jambonz.md §3.C): those of running `listen` verbs and
 * the background one of `config.listen` (one at a time; a new config replaces it, `enable: false`
 * stops it). `listen:status` / REST `listen_status` act on all of a session's forks. Sessions are keys
 * of a WeakMap, so nothing here outlives them; every fork also ends with its call.
 */
import type { VerbServices } from '../verbs/verb.ts';
import type { ListenFork, ListenStatus } from './listen-fork.ts';

interface Forks {
  running: Set<ListenFork>;
  background: ListenFork | undefined;
}

const bySession = new WeakMap<VerbServices, Forks>();

function forksOf(s: VerbServices): Forks {
  let f = bySession.get(s);
  if (!f) {
    f = { running: new Set(), background: undefined };
    bySession.set(s, f);
  }
  return f;
}

/** Registers a fork until it ends. */
export function trackFork(s: VerbServices, fork: ListenFork, background = false): void {
  const f = forksOf(s);
  f.running.add(fork);
  if (background) {
    f.background?.stop();
    f.background = fork;
  }
  void fork.ended.then(() => {
    f.running.delete(fork);
    if (f.background === fork) f.background = undefined;
  });
}

/** Stops the background fork of config.listen, if any. */
export function stopBackgroundFork(s: VerbServices): void {
  bySession.get(s)?.background?.stop();
}

/** Applies pause / silence / resume to every fork of the session; the number of forks it reached. */
export function setListenStatus(s: VerbServices, status: ListenStatus): number {
  const f = bySession.get(s);
  if (!f) return 0;
  for (const fork of f.running) fork.setStatus(status);
  return f.running.size;
}

export function isListenStatus(v: unknown): v is ListenStatus {
  return v === 'pause' || v === 'silence' || v === 'resume';
}
