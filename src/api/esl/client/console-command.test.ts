import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsoleLine, type ConsoleAction } from './console-command.ts';

describe('parseConsoleLine (fs_cli process_command)', () => {
  const cases: [string, ConsoleAction][] = [
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['status', { kind: 'api', command: 'status' }],
    ['  show channels\r\n', { kind: 'api', command: 'show channels' }],
    ['console loglevel debug', { kind: 'api', command: 'console loglevel debug', alsoLog: 'debug' }],
    ['/help', { kind: 'help' }],
    ['/HELP', { kind: 'help' }],
    ['/exit', { kind: 'exit' }],
    ['/quit', { kind: 'exit' }],
    ['/bye', { kind: 'exit' }],
    ['...', { kind: 'exit' }],
    ['/...', { kind: 'exit' }],
    ['....', { kind: 'unknown', text: '....' }],
    ['/exit now', { kind: 'unknown', text: 'exit now' }],
    ['/event plain CHANNEL_CREATE', { kind: 'send', command: 'event plain CHANNEL_CREATE' }],
    ['/events json ALL', { kind: 'send', command: 'events json ALL' }],
    ['/noevents', { kind: 'send', command: 'noevents' }],
    ['/nixevent HEARTBEAT', { kind: 'send', command: 'nixevent HEARTBEAT' }],
    ['/log 7', { kind: 'send', command: 'log 7' }],
    ['/nolog', { kind: 'send', command: 'nolog' }],
    ['/filter Unique-ID abc', { kind: 'send', command: 'filter Unique-ID abc' }],
    ['/logfilter  sofia', { kind: 'logfilter', text: 'sofia' }],
    ['/logfilter', { kind: 'logfilter', text: undefined }],
    ['/uuid 3f2a', { kind: 'uuid', uuid: '3f2a' }],
    ['/uuid', { kind: 'uuid', uuid: undefined }],
    ['/debug 3', { kind: 'debug', level: 3 }],
    ['/debug 9', { kind: 'debug', level: undefined }],
    ['/frobnicate', { kind: 'unknown', text: 'frobnicate' }],
  ];
  for (const [line, want] of cases) {
    it(JSON.stringify(line), () => assert.deepEqual(parseConsoleLine(line), want));
  }
});
