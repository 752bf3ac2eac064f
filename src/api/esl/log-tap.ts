/**
 * log/data frames from the server's own log (specs/esl.md §2.2 log, §0 log frame): the event socket taps
 * the pino destination its logger writes to (child loggers share it, so every room's lines pass here)
 * and turns each JSON line into a FreeSWITCH log line. pino levels map onto FreeSWITCH's: fatal 2 CRIT,
 * error 3 ERR, warn 4 WARNING, info 6 INFO, debug and trace 7 DEBUG. Log-File is the line's room
 * (`esl`, `core` ...), User-Data its channel uuid (`channelId`) when it has one. Only lines the logger's
 * own level lets through can be forwarded.
 */
import pino from 'pino';
import { errorMessage, type Logger } from '../../lib/index.ts';
import { localDate } from './event-stamp.ts';
import type { LogLine } from './framing.ts';

const LEVEL_NAMES = ['CONSOLE', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/** FreeSWITCH log level (0-7) of a pino level number. */
export function fsLevelOf(pinoLevel: number): number {
  if (pinoLevel >= 60) return 2;
  if (pinoLevel >= 50) return 3;
  if (pinoLevel >= 40) return 4;
  if (pinoLevel >= 30) return 6;
  return 7;
}

const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'room', 'channelId', 'v']);

function micros(ms: number): string {
  return String(Math.floor((ms % 1000) * 1000)).padStart(6, '0');
}

/** One pino JSON line -> a log/data line; undefined when it is not a pino line. Pure. */
export function logLineOf(json: string): LogLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const o = parsed as Record<string, unknown>;
  if (typeof o['level'] !== 'number') return undefined;
  const level = fsLevelOf(o['level']);
  const time = typeof o['time'] === 'number' ? o['time'] : Date.now();
  const room = typeof o['room'] === 'string' ? o['room'] : 'switchboard';
  const channelId = typeof o['channelId'] === 'string' ? o['channelId'] : '';
  const extra = Object.entries(o).filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  const msg = typeof o['msg'] === 'string' ? o['msg'] : '';
  const where = channelId === '' ? '' : ` (${channelId})`;
  const text = `${localDate(time)}.${micros(time)} 100.00% [${LEVEL_NAMES[level]}] ${room}:0${where} ${msg}${extra === '' ? '' : ` ${extra}`}\n`;
  return { level, channel: channelId === '' ? 0 : 2, file: room, func: room, line: 0, userData: channelId, text };
}

type Writable = { write: (chunk: string) => unknown };

export type LogListener = (line: LogLine) => void;

/** Taps a pino logger's destination. close() puts the destination back. */
export class LogTap {
  readonly #listeners = new Set<LogListener>();
  #restore: (() => void) | undefined;
  #delivering = false;

  constructor(log: Logger) {
    const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as Writable | undefined;
    if (!stream || typeof stream.write !== 'function') return;
    const original = stream.write;
    const tapped = (chunk: string): unknown => {
      if (this.#listeners.size > 0 && !this.#delivering) this.#deliver(chunk);
      return original.call(stream, chunk);
    };
    stream.write = tapped;
    this.#restore = () => {
      if (stream.write === tapped) stream.write = original;
    };
  }

  listen(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#restore?.();
    this.#restore = undefined;
    this.#listeners.clear();
  }

  #deliver(chunk: string): void {
    this.#delivering = true;
    try {
      for (const json of String(chunk).split('\n')) {
        if (json === '') continue;
        const line = logLineOf(json);
        if (!line) continue;
        for (const l of [...this.#listeners]) {
          try {
            l(line);
          } catch (err) {
            process.emitWarning(`event socket log listener failed: ${errorMessage(err)}`);
          }
        }
      }
    } finally {
      this.#delivering = false;
    }
  }
}
