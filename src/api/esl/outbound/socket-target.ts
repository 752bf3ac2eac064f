/**
 * The argument of the `socket` dialplan application (specs/esl.md §3.1):
 * `<host>[:<port>][/<path>][|<host2>[:<port2>]...] [async] [full]`; the port defaults to 8084, targets
 * are tried in order. IPv6 hosts go in brackets (`[::1]:8084`). Pure.
 */

export const DEFAULT_SOCKET_PORT = 8084;

export interface SocketAddress {
  host: string;
  port: number;
  path: string;
}

export interface SocketTarget {
  addresses: SocketAddress[];
  async: boolean;
  full: boolean;
}

function parseAddress(text: string): SocketAddress | undefined {
  const slash = text.indexOf('/', text.startsWith('[') ? text.indexOf(']') : 0);
  const hostPort = slash < 0 ? text : text.slice(0, slash);
  const path = slash < 0 ? '' : text.slice(slash + 1);
  let host: string;
  let port = DEFAULT_SOCKET_PORT;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0 && hostPort.indexOf(':') === colon) {
      host = hostPort.slice(0, colon);
      const p = hostPort.slice(colon + 1);
      if (!/^\d+$/.test(p)) return undefined;
      port = Number(p);
    } else {
      host = hostPort;
    }
  }
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port, path };
}

/** The targets and flags, or undefined when no usable target is given. */
export function parseSocketTarget(arg: string): SocketTarget | undefined {
  const words = arg.trim().split(/\s+/).filter((w) => w !== '');
  const first = words.shift();
  if (first === undefined) return undefined;
  const flags = new Set(words.map((w) => w.toLowerCase()));
  const addresses: SocketAddress[] = [];
  for (const part of first.split('|')) {
    const a = parseAddress(part.trim());
    if (a) addresses.push(a);
  }
  if (addresses.length === 0) return undefined;
  return { addresses, async: flags.has('async'), full: flags.has('full') };
}
