/**
 * The console's command history file: one command per line, oldest first, at most `max` lines (fs_cli
 * keeps 800, duplicates dropped), written with mode 0600 as it may hold passwords typed into commands.
 * `historyLines` and `addToHistory` are pure; load/save are the file shell and never throw.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const HISTORY_SIZE = 800;

/** File text -> commands, oldest first, bounded, without blanks or repeated neighbours. */
export function historyLines(text: string, max = HISTORY_SIZE): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const i = out.indexOf(line);
    if (i >= 0) out.splice(i, 1);
    out.push(line);
  }
  return out.slice(-max);
}

/** History (oldest first) with `line` appended; an earlier copy of it is dropped. */
export function addToHistory(lines: readonly string[], line: string, max = HISTORY_SIZE): string[] {
  if (line.trim() === '') return [...lines];
  return [...lines.filter((l) => l !== line), line].slice(-max);
}

export function loadHistory(file: string, max = HISTORY_SIZE): string[] {
  try {
    return historyLines(readFileSync(file, 'utf8'), max);
  } catch {
    return [];
  }
}

/** Writes the history; returns an error message instead of throwing. */
export function saveHistory(file: string, lines: readonly string[], max = HISTORY_SIZE): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const kept = lines.slice(-max);
    writeFileSync(file, kept.length === 0 ? '' : `${kept.join('\n')}\n`, { mode: 0o600 });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** `<dataDir>/cli_history` when a data directory is given, else `~/.switchboard_cli_history`. */
export function historyFileFor(dataDir: string | undefined, home: string): string {
  return dataDir === undefined ? `${home.replace(/\/+$/, '')}/.switchboard_cli_history` : `${dataDir.replace(/\/+$/, '')}/cli_history`;
}
