/**
 * Free loopback ports for tests. A port is checked free for both UDP and TCP (SIP listens on both), and
 * never 5060: another SIP server may hold it on a shared machine.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.once('error', () => resolve(false));
    s.bind({ port, address: host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

let next = 20000 + Math.floor(Math.random() * 20000);

/** A port in 20000-59999 free on host for UDP and TCP; `span` consecutive ports when asked. */
export async function freePort(host = '127.0.0.1', span = 1): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const base = next;
    next += span + 1;
    if (next > 59000) next = 20000;
    let ok = true;
    for (let p = base; p < base + span && ok; p++) ok = (await udpFree(p, host)) && (await tcpFree(p, host));
    if (ok) return base;
  }
  throw new Error('no free port found');
}
