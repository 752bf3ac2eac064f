import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSocketTarget } from './socket-target.ts';

describe('socket app argument (specs/esl.md §3.1)', () => {
  const cases: [string, ReturnType<typeof parseSocketTarget>][] = [
    ['127.0.0.1:8084 async full', { addresses: [{ host: '127.0.0.1', port: 8084, path: '' }], async: true, full: true }],
    ['127.0.0.1', { addresses: [{ host: '127.0.0.1', port: 8084, path: '' }], async: false, full: false }],
    ['10.0.0.1:7000|10.0.0.2:7001 full', {
      addresses: [{ host: '10.0.0.1', port: 7000, path: '' }, { host: '10.0.0.2', port: 7001, path: '' }], async: false, full: true,
    }],
    ['app.local:9000/ivr/main ASYNC', { addresses: [{ host: 'app.local', port: 9000, path: 'ivr/main' }], async: true, full: false }],
    ['[::1]:9001 async', { addresses: [{ host: '::1', port: 9001, path: '' }], async: true, full: false }],
    ['', undefined],
    ['host:notaport', undefined],
    ['host:70000', undefined],
    ['bad:x|127.0.0.1:1', { addresses: [{ host: '127.0.0.1', port: 1, path: '' }], async: false, full: false }],
  ];
  for (const [arg, want] of cases) {
    it(JSON.stringify(arg), () => assert.deepEqual(parseSocketTarget(arg), want));
  }
});
