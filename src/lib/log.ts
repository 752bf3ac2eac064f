/**
 * Structured logging through pino. Components take a Logger and derive child loggers with call context
 * (`log.child({ callId })`); nothing writes to the console directly.
 *
 * Child loggers are lazy: pino builds a child (its bindings text and one function per level) at once,
 * which costs 10-20 us for a child of a child, and a call derives several. The loggers made here hand
 * out children that exist only as their parent and bindings until they first write (or are asked
 * something only a real child knows); until then a level method checks the parent's current level.
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
  return withLazyChildren(pino({ level, base: undefined }, pino.destination({ dest: options.destination ?? 1, sync: false })));
}

/** A logger that discards everything: the default in tests and libraries used without one. */
export function silentLogger(): Logger {
  return withLazyChildren(pino({ level: 'silent' }));
}

const LEVEL_METHODS: ReadonlySet<PropertyKey> = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
/** Read from the parent while a lazy child is not built (it would have the same values). */
const PARENT_READS: ReadonlySet<PropertyKey> = new Set(['isLevelEnabled', 'level', 'levelVal', 'levels']);
const noop = (): void => {};

type ChildArgs = [bindings: pino.Bindings, options?: pino.ChildLoggerOptions<never>];

/** The logger, whose `child()` returns lazy children (whose own children are lazy too). */
export function withLazyChildren(logger: Logger): Logger {
  return new Proxy(logger, {
    get(target, prop) {
      if (prop === 'child') return (...args: ChildArgs): Logger => lazyChild(target, args);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value);
    },
  });
}

function lazyChild(parent: Logger, args: ChildArgs): Logger {
  let real: Logger | undefined;
  const build = (): Logger => (real ??= parent.child<never>(args[0], args[1]));
  const forward = (logger: Logger, prop: PropertyKey): unknown => {
    const value: unknown = Reflect.get(logger, prop, logger);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(logger) : value;
  };
  // A child with options (its own level, serializers...) is built at once.
  if (args[1] !== undefined) build();
  return new Proxy(parent, {
    get(target, prop) {
      if (prop === 'child') return (...childArgs: ChildArgs): Logger => lazyChild(build(), childArgs);
      if (real) return forward(real, prop);
      if (LEVEL_METHODS.has(prop)) return target.isLevelEnabled(prop as string) ? forward(build(), prop) : noop;
      if (PARENT_READS.has(prop)) return forward(target, prop);
      return forward(build(), prop);
    },
    set(_target, prop, value) {
      return Reflect.set(build(), prop, value);
    },
  });
}
