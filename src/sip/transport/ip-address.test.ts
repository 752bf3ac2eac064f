import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp, hostForUri, ipFamily, isWildcard, sameAddress, stripBrackets, unmapIpv4 } from './ip-address.ts';
import { isStun, isStunBindingRequest, stunBindingResponse } from './stun.ts';
import { ConnectionTable } from './connection-table.ts';

test('ip helpers', () => {
  assert.equal(stripBrackets('[::1]'), '::1');
  assert.equal(stripBrackets('example.com'), 'example.com');
  assert.equal(hostForUri('::1'), '[::1]');
  assert.equal(hostForUri('127.0.0.1'), '127.0.0.1');
  assert.equal(ipFamily('[::1]'), 6);
  assert.equal(ipFamily('192.0.2.1'), 4);
  assert.equal(ipFamily('example.com'), 0);
  assert.equal(unmapIpv4('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(canonicalIp('2001:DB8::1'), '2001:db8:0:0:0:0:0:1');
  assert.equal(canonicalIp('::'), '0:0:0:0:0:0:0:0');
  assert.equal(canonicalIp('fe80::1%eth0'), 'fe80:0:0:0:0:0:0:1');
  assert.equal(canonicalIp('::ffff:7f00:1'), '127.0.0.1');
  assert.equal(canonicalIp('1::'), '1:0:0:0:0:0:0:0');
  assert.ok(sameAddress('[2001:db8:0:0:0:0:0:1]', '2001:db8::1'));
  assert.ok(sameAddress('::ffff:10.0.0.1', '10.0.0.1'));
  assert.ok(!sameAddress('10.0.0.1', '10.0.0.2'));
  assert.ok(isWildcard('0.0.0.0') && isWildcard('::') && isWildcard('0:0::0') && !isWildcard('127.0.0.1'));
});

test('stun binding response: XOR-MAPPED-ADDRESS for IPv4 and IPv6 (RFC 5389 15.2)', () => {
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0);
  request.writeUInt32BE(0x2112a442, 4);
  for (let i = 8; i < 20; i++) request[i] = i;
  assert.ok(isStunBindingRequest(request));
  assert.ok(!isStun(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n')));
  const v4 = stunBindingResponse(request, '192.0.2.1', 32853);
  assert.ok(isStun(v4));
  assert.equal(v4.readUInt16BE(0), 0x0101);
  assert.deepEqual(v4.subarray(8, 20), request.subarray(8, 20));
  assert.equal(v4.readUInt16BE(20), 0x0020);
  assert.equal(v4[25], 0x01);
  assert.equal(v4.readUInt16BE(26) ^ 0x2112, 32853);
  assert.equal((v4.readUInt32BE(28) ^ 0x2112a442) >>> 0, 0xc0000201);
  const v6 = stunBindingResponse(request, '2001:db8::1', 5060);
  assert.equal(v6.length, 44);
  assert.equal(v6[25], 0x02);
  const raw = Buffer.from(v6.subarray(28, 44).map((b, i) => b ^ request[4 + i]!));
  assert.equal(raw.toString('hex'), '20010db8000000000000000000000001');
});

test('connection table: ids, peers, limit', () => {
  const table = new ConnectionTable(2);
  const fake = (id: string, port: number) => ({ id, transport: 'tcp', remote: { address: '127.0.0.1', port }, closed: false }) as never;
  const a = fake('a', 1);
  const b = fake('b', 1);
  assert.ok(table.add(a));
  assert.ok(table.add(b));
  assert.ok(!table.add(fake('c', 2)));
  assert.equal(table.find('tcp', '127.0.0.1', 1), b);
  table.remove(b);
  assert.equal(table.find('tcp', '::ffff:127.0.0.1', 1), a);
  assert.equal(table.get('a'), a);
  table.remove(a);
  assert.equal(table.size, 0);
  assert.equal(table.find('tcp', '127.0.0.1', 1), undefined);
});
