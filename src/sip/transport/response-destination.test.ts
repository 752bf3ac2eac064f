import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Params, Via } from '../message/index.ts';
import { defaultPort, responseDestination, viaReceiptParams, withReceiptParams } from './response-destination.ts';
import type { Destination } from './types.ts';

function via(transport: string, host: string, port: number | undefined, params: Params): Via {
  return { protocol: 'SIP/2.0', transport, host, ...(port !== undefined ? { port } : {}), params: { branch: 'z9hG4bK1', ...params } };
}

const local = { address: '0.0.0.0', port: 5060 };
const udpSource: Destination = { transport: 'udp', address: '192.0.2.1', port: 9988, local };

test('responseDestination: RFC 3261 18.2.2 and RFC 3581 4', () => {
  const cases: Array<[string, Via, Destination, Destination]> = [
    ['udp, sent-by only', via('UDP', '192.0.2.1', 5070, {}), udpSource, { transport: 'udp', address: '192.0.2.1', port: 5070, local }],
    ['udp, default port', via('UDP', '192.0.2.1', undefined, {}), udpSource, { transport: 'udp', address: '192.0.2.1', port: 5060, local }],
    ['udp, received + sent-by port', via('UDP', '10.1.1.1', 4540, { received: '192.0.2.1' }), udpSource, { transport: 'udp', address: '192.0.2.1', port: 4540, local }],
    ['udp, received + rport value (RFC 3581 example)', via('UDP', '10.1.1.1', 4540, { received: '192.0.2.1', rport: '9988' }), udpSource, { transport: 'udp', address: '192.0.2.1', port: 9988, local }],
    ['udp, bare rport (not stamped) uses the source port', via('UDP', '10.1.1.1', 4540, { rport: null }), udpSource, { transport: 'udp', address: '192.0.2.1', port: 9988, local }],
    ['udp, maddr wins', via('UDP', '10.1.1.1', 4540, { maddr: '239.1.1.1', received: '192.0.2.1', rport: '9988' }), udpSource, { transport: 'udp', address: '239.1.1.1', port: 4540, local }],
    ['udp, maddr host name ignored', via('UDP', '10.1.1.1', 4540, { maddr: 'mc.example.com', received: '192.0.2.1' }), udpSource, { transport: 'udp', address: '192.0.2.1', port: 4540, local }],
    ['udp, invalid received and rport ignored', via('UDP', 'pc.example.com', undefined, { received: 'evil', rport: '99999' }), udpSource, { transport: 'udp', address: '192.0.2.1', port: 5060, local }],
    ['udp, IPv6 received', via('UDP', '[2001:db8::9]', undefined, { received: '2001:db8::1' }), { transport: 'udp', address: '2001:db8::1', port: 5060 }, { transport: 'udp', address: '2001:db8::1', port: 5060 }],
    [
      'tcp, the inbound connection',
      via('TCP', 'pc.example.com', 5070, { received: '192.0.2.7' }),
      { transport: 'tcp', address: '192.0.2.7', port: 40000, connectionId: 'tcp-1' },
      { transport: 'tcp', address: '192.0.2.7', port: 5070, connectionId: 'tcp-1' },
    ],
    ['tls, default 5061', via('TLS', '192.0.2.7', undefined, {}), { transport: 'tls', address: '192.0.2.7', port: 40001, connectionId: 'tls-2' }, { transport: 'tls', address: '192.0.2.7', port: 5061, connectionId: 'tls-2' }],
    ['wss, the connection', via('WSS', 'df7jal23ls0d.invalid', undefined, { received: '198.51.100.3' }), { transport: 'wss', address: '198.51.100.3', port: 51234, connectionId: 'wss-3' }, { transport: 'wss', address: '198.51.100.3', port: 443, connectionId: 'wss-3' }],
  ];
  for (const [name, v, source, expected] of cases) assert.deepEqual(responseDestination(v, source), expected, name);
});

test('viaReceiptParams: received and rport on receipt', () => {
  const cases: Array<[string, Via, Destination, Params]> = [
    ['same IP, no rport: nothing', via('UDP', '192.0.2.1', 5060, {}), udpSource, {}],
    ['other IP: received', via('UDP', '10.1.1.1', 4540, {}), udpSource, { received: '192.0.2.1' }],
    ['host name: received', via('UDP', 'pc.example.com', undefined, {}), udpSource, { received: '192.0.2.1' }],
    ['bare rport: received even if equal, and rport', via('UDP', '192.0.2.1', 5060, { rport: null }), udpSource, { received: '192.0.2.1', rport: '9988' }],
    ['rport with a value stays', via('UDP', '192.0.2.1', 5060, { rport: '1' }), udpSource, {}],
    ['IPv6 spelled differently is the same address', via('UDP', '[2001:DB8:0::1]', 5060, {}), { transport: 'udp', address: '2001:db8::1', port: 5060 }, {}],
    ['IPv6 other address', via('TCP', '[2001:db8::2]', 5060, {}), { transport: 'tcp', address: '2001:db8::1', port: 5060 }, { received: '2001:db8::1' }],
  ];
  for (const [name, v, source, expected] of cases) assert.deepEqual(viaReceiptParams(v, source), expected, name);
  const same = via('UDP', '192.0.2.1', 5070, {});
  assert.equal(withReceiptParams(same, udpSource), same, 'nothing to add: the Via is returned as is, not copied');
  const stamped = withReceiptParams(via('UDP', '10.1.1.1', 4540, { rport: null }), udpSource);
  assert.deepEqual(stamped.params, { branch: 'z9hG4bK1', rport: '9988', received: '192.0.2.1' });
  assert.deepEqual(responseDestination(stamped, udpSource), { transport: 'udp', address: '192.0.2.1', port: 9988, local });
});

test('defaultPort', () => {
  assert.deepEqual((['udp', 'tcp', 'tls', 'ws', 'wss'] as const).map(defaultPort), [5060, 5060, 5061, 80, 443]);
});
