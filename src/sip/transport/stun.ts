/**
 * STUN keep-alives on the SIP UDP port (RFC 5626 section 4.4.2 and 8.4): a Binding request is answered
 * with a Binding success response carrying XOR-MAPPED-ADDRESS (RFC 5389 sections 6, 7.3.1 and 15.2), so
 * that a client can watch its NAT binding. Pure: builds bytes only.
 */
import { canonicalIp, ipFamily } from './ip-address.ts';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;
const HEADER = 20;

/** Whether a datagram is a STUN message (first two bits zero, the magic cookie, a consistent length). */
export function isStun(data: Buffer): boolean {
  return (
    data.length >= HEADER &&
    (data[0]! & 0xc0) === 0 &&
    data.readUInt32BE(4) === MAGIC_COOKIE &&
    data.readUInt16BE(2) + HEADER === data.length &&
    data.length % 4 === 0
  );
}

export function isStunBindingRequest(data: Buffer): boolean {
  return isStun(data) && data.readUInt16BE(0) === BINDING_REQUEST;
}

function ipv6Bytes(address: string): Buffer {
  const out = Buffer.alloc(16);
  canonicalIp(address)
    .split(':')
    .forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

/** The Binding success response to `request`, reporting the source it was seen from. */
export function stunBindingResponse(request: Buffer, address: string, port: number): Buffer {
  const v6 = ipFamily(address) === 6 && !canonicalIp(address).includes('.');
  const valueLength = v6 ? 20 : 8;
  const out = Buffer.alloc(HEADER + 4 + valueLength);
  out.writeUInt16BE(BINDING_SUCCESS, 0);
  out.writeUInt16BE(4 + valueLength, 2);
  request.copy(out, 4, 4, HEADER);
  out.writeUInt16BE(XOR_MAPPED_ADDRESS, HEADER);
  out.writeUInt16BE(valueLength, HEADER + 2);
  out.writeUInt8(v6 ? 0x02 : 0x01, HEADER + 5);
  out.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), HEADER + 6);
  if (v6) {
    const raw = ipv6Bytes(address);
    for (let i = 0; i < 16; i++) out[HEADER + 8 + i] = raw[i]! ^ request[4 + i]!;
  } else {
    const parts = canonicalIp(address).split('.').map(Number);
    const ip = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
    out.writeUInt32BE((ip ^ MAGIC_COOKIE) >>> 0, HEADER + 8);
  }
  return out;
}
