import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToHistory, historyFileFor, historyLines, loadHistory, saveHistory } from './console-history.ts';

describe('console history', () => {
  it('historyLines: blanks and earlier duplicates dropped, bounded to the newest', () => {
    assert.deepEqual(historyLines('status\n\nshow calls\r\nstatus\n'), ['show calls', 'status']);
    assert.deepEqual(historyLines(Array.from({ length: 900 }, (_, i) => `cmd ${i}`).join('\n')).length, 800);
    assert.deepEqual(historyLines('a\nb\nc\n', 2), ['b', 'c']);
  });

  it('addToHistory moves a repeated command to the end and keeps the bound', () => {
    assert.deepEqual(addToHistory(['a', 'b'], 'a'), ['b', 'a']);
    assert.deepEqual(addToHistory(['a', 'b'], '  '), ['a', 'b']);
    assert.deepEqual(addToHistory(['a', 'b', 'c'], 'd', 3), ['b', 'c', 'd']);
  });

  it('save then load round-trips, the file is private; a missing file is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-hist-'));
    try {
      const file = join(dir, 'sub', 'cli_history');
      assert.deepEqual(loadHistory(file), []);
      assert.equal(saveHistory(file, ['status', 'version']), undefined);
      assert.equal(readFileSync(file, 'utf8'), 'status\nversion\n');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(loadHistory(file), ['status', 'version']);
      assert.match(saveHistory(join(file, 'not-a-dir'), ['x']) ?? '', /./, 'an unwritable path is reported, not thrown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('historyFileFor: the data directory, else the home directory', () => {
    assert.equal(historyFileFor('/var/sb/', '/home/u'), '/var/sb/cli_history');
    assert.equal(historyFileFor(undefined, '/home/u'), '/home/u/.switchboard_cli_history');
  });
});
