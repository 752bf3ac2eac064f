import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUnicast, unicastProblem } from './unicast.ts';

const headers = (h: Record<string, string>) => (name: string): string | undefined => h[name];

describe('parseUnicast', () => {
  it('the original defaults', () => {
    assert.deepEqual(parseUnicast(headers({})), {
      localIp: '127.0.0.1', localPort: 8025, remoteIp: '127.0.0.1', remotePort: 8026, transport: 'udp', native: false,
    });
  });
  it('given values, flags native, bad ports fall back', () => {
    const s = parseUnicast(headers({ 'local-ip': '::1', 'local-port': '9000', 'remote-ip': '10.0.0.2', 'remote-port': '70000', transport: 'TCP', flags: 'native' }));
    assert.deepEqual(s, { localIp: '::1', localPort: 9000, remoteIp: '10.0.0.2', remotePort: 8026, transport: 'tcp', native: true });
  });
  it('problems: unknown transport, bad addresses; tcp and udp are fine', () => {
    assert.match(unicastProblem(parseUnicast(headers({ transport: 'sctp' })))!, /invalid transport sctp/);
    assert.equal(unicastProblem(parseUnicast(headers({ transport: 'tcp' }))), undefined);
    assert.match(unicastProblem(parseUnicast(headers({ 'remote-ip': 'example.com' })))!, /remote-ip/);
    assert.match(unicastProblem(parseUnicast(headers({ 'local-ip': 'x' })))!, /local-ip/);
    assert.equal(unicastProblem(parseUnicast(headers({}))), undefined);
  });
});
