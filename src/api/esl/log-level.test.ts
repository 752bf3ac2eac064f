import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { LogLevelControl, fsLevelName, fsLevelOfPino, parseFsLevel, pinoLevelOf } from './log-level.ts';

test('level names and arguments as mod_commands reads them (table)', () => {
  const cases: [string, number | undefined][] = [
    ['7', 7], ['0', 0], ['12abc', 12], ['debug', 7], ['WARNING', 4], ['Disable', -1], ['console', 0], ['err', 3],
    ['error', undefined], ['-1', 0], ['+5', 5], ['-', 0], ['+99', 63], ['', 0], ['x1', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseFsLevel(text), want, text);
  assert.deepEqual([-1, 0, 3, 5, 7, 9].map(fsLevelName), ['DISABLE', 'CONSOLE', 'ERR', 'NOTICE', 'DEBUG', 'DEBUG']);
  assert.deepEqual([-1, 0, 2, 3, 4, 5, 6, 7].map(pinoLevelOf), ['silent', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug']);
  assert.deepEqual(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'].map(fsLevelOfPino), [-1, 2, 3, 4, 6, 7, 7]);
});

test('set() reaches the root and every child made after the control, grandchildren included', () => {
  const lines: string[] = [];
  const root = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
  const before = root.child({ room: 'early' });
  const control = LogLevelControl.of(root);
  assert.equal(LogLevelControl.of(root), control, 'one control per root');
  const room = root.child({ room: 'sip' });
  const call = room.child({ callId: 'x' });
  assert.equal(control.level, 6);
  assert.equal(control.set(99), 7);
  assert.deepEqual([root.level, room.level, call.level], ['debug', 'debug', 'debug']);
  assert.equal(before.level, 'info', 'a child made before the control keeps its level');
  call.debug('seen');
  assert.equal(lines.length, 1);
  assert.equal(control.set(5), 5);
  assert.equal(control.level, 5, 'NOTICE is reported while the root stays at info');
  call.debug('not seen');
  assert.equal(lines.length, 1);
  assert.equal(control.set(-1), -1);
  call.error('not seen either');
  assert.equal(lines.length, 1);
  root.level = 'warn';
  assert.equal(control.level, 4, 'a level changed elsewhere is read from pino');
});
