/**
 * The server's log level as FreeSWITCH's `fsctl loglevel` sees it (compatibility source: mod_commands
 * ctl_function, switch_core_session_ctl SCSC_LOGLEVEL; specs/esl.md §5 fsctl): levels -1 DISABLE, 0
 * CONSOLE ... 7 DEBUG, over the pino logger tree. pino children copy their level when created, so the
 * control tracks the children made after it was installed on the root (weakly) and sets them all;
 * install it right after the root logger is created to reach every room's logger.
 */
import type { Logger } from '../../lib/index.ts';

/** FreeSWITCH log level names, index = level + 1 (switch_log.c LEVELS). */
const FS_LEVELS = ['DISABLE', 'CONSOLE', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
/** switch_log_str2level's "invalid" answer. */
const INVALID = 64;

/** The name of a FreeSWITCH level (-1..7; above 7 reads DEBUG), as switch_log_level2str. Pure. */
export function fsLevelName(level: number): string {
  return FS_LEVELS[Math.min(level, 7) + 1] ?? 'DISABLE';
}

/**
 * A level argument as mod_commands reads it: a leading digit -> atoi; otherwise switch_log_str2level: a
 * signed number (negative -> 0, above 64 -> 63) or a level name (any case); undefined when it is
 * neither. Pure.
 */
export function parseFsLevel(text: string): number | undefined {
  if (/^[0-9]/.test(text)) return Number.parseInt(text, 10);
  if (/^[+-]?[0-9.]*$/.test(text)) {
    const n = Number.parseInt(text, 10);
    if (!Number.isFinite(n) || n < 0) return 0;
    return n > INVALID ? INVALID - 1 : n;
  }
  const i = FS_LEVELS.findIndex((n) => n.toLowerCase() === text.toLowerCase());
  return i < 0 ? undefined : i - 1;
}

/** pino level name for a FreeSWITCH level (-1 silent ... 7 debug). Pure. */
export function pinoLevelOf(fsLevel: number): string {
  if (fsLevel < 0) return 'silent';
  if (fsLevel <= 2) return 'fatal';
  if (fsLevel === 3) return 'error';
  if (fsLevel === 4) return 'warn';
  if (fsLevel <= 6) return 'info';
  return 'debug';
}

/** FreeSWITCH level for a pino level name. Pure. */
export function fsLevelOfPino(level: string): number {
  switch (level) {
    case 'silent': return -1;
    case 'fatal': return 2;
    case 'error': return 3;
    case 'warn': return 4;
    case 'info': return 6;
    default: return 7;
  }
}

export { INVALID as FS_LOG_INVALID };

type OnChild = (child: Logger) => void;

export class LogLevelControl {
  readonly #root: Logger;
  readonly #children = new Set<WeakRef<Logger>>();
  #pruneAt = 1024;
  /** The FreeSWITCH level last set, while the root still has the pino level it maps to. */
  #fsLevel: number | undefined;

  private constructor(root: Logger) {
    this.#root = root;
    const holder = root as unknown as { onChild?: OnChild };
    const previous = holder.onChild;
    holder.onChild = (child: Logger) => {
      this.#track(child);
      previous?.(child);
    };
  }

  static readonly #controls = new WeakMap<Logger, LogLevelControl>();

  /** The control of a root logger, installed on first use (idempotent). */
  static of(root: Logger): LogLevelControl {
    let control = LogLevelControl.#controls.get(root);
    if (!control) {
      control = new LogLevelControl(root);
      LogLevelControl.#controls.set(root, control);
    }
    return control;
  }

  /** The current level, -1..7. */
  get level(): number {
    const mapped = fsLevelOfPino(this.#root.level);
    return this.#fsLevel !== undefined && pinoLevelOf(this.#fsLevel) === this.#root.level ? this.#fsLevel : mapped;
  }

  /** Sets the level of the root and every live child (levels above 7 are DEBUG); returns the new level. */
  set(fsLevel: number): number {
    const level = Math.max(-1, Math.min(fsLevel, 7));
    const name = pinoLevelOf(level);
    // DEBUG keeps a trace level already set (pino trace lines are DEBUG too).
    const keep = (l: Logger): boolean => name === 'debug' && l.level === 'trace';
    if (!keep(this.#root)) this.#root.level = name;
    for (const ref of this.#children) {
      const child = ref.deref();
      if (child === undefined) this.#children.delete(ref);
      else if (!keep(child)) child.level = name;
    }
    this.#fsLevel = level;
    return level;
  }

  #track(child: Logger): void {
    this.#children.add(new WeakRef(child));
    if (this.#children.size < this.#pruneAt) return;
    for (const ref of this.#children) if (ref.deref() === undefined) this.#children.delete(ref);
    this.#pruneAt = Math.max(1024, this.#children.size * 2);
  }
}
