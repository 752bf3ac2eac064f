/**
 * Structured logging through pino. Components take a Logger and derive child loggers with call context
 * (`log.child({ callId })`); nothing writes to the console directly.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  /** Destination file descriptor or path; defaults to stdout. */
  destination?: number | string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['SWITCHBOARD_LOG_LEVEL'] ?? 'info';
  return pino({ level, base: undefined }, pino.destination({ dest: options.destination ?? 1, sync: false }));
}

/** A logger that discards everything: the default in tests and libraries used without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
