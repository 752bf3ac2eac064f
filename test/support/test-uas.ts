/**
 * An auto-answering user agent built on the SIP stack: answers every INVITE 200 with a fixed SDP, lets
 * the dialog layer handle ACK and BYE, and optionally acts as a registrar with digest authentication.
 * Used by the sipp interop tests and, as a standalone process, by the signalling benchmark:
 *
 *   tsx test/support/test-uas.ts --port 5080 [--address 127.0.0.1] [--log-level silent] [--stats]
 *
 * With --stats it writes heap and RSS, live transactions and dialogs and the call counters to stderr
 * every 5 s (one `stats` line each).
 */
import { parseArgs } from 'node:util';
import {
  DigestVerifier, MemoryBindingsStore, Registrar, SipStack, type ListenerConfig,
} from '../../src/sip/index.ts';
import { createLogger, silentLogger, systemClock, type Logger } from '../../src/lib/index.ts';

export const ANSWER_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'a=sendrecv',
  '',
].join('\r\n');

export interface TestUas {
  stack: SipStack;
  port: number;
  calls: { answered: number; ended: number };
  close(): Promise<void>;
}

export interface TestUasOptions {
  address?: string;
  port: number;
  transports?: ListenerConfig['transport'][];
  users?: Record<string, string>;
  logger?: Logger;
  extraListeners?: ListenerConfig[];
}

export async function startTestUas(options: TestUasOptions): Promise<TestUas> {
  const address = options.address ?? '127.0.0.1';
  const transports = options.transports ?? ['udp', 'tcp'];
  const stack = await SipStack.start({
    listeners: [...transports.map((transport) => ({ transport, address, port: options.port })), ...(options.extraListeners ?? [])],
    logger: options.logger ?? silentLogger(),
    flood: false,
  });
  const calls = { answered: 0, ended: 0 };
  stack.handle({
    onInvite: (invite) => {
      invite
        .accept({ body: ANSWER_SDP, contentType: 'application/sdp' })
        .then((dialog) => {
          calls.answered++;
          dialog.on('terminated', () => calls.ended++);
        })
        .catch(() => undefined);
    },
  });
  let store: MemoryBindingsStore | undefined;
  if (options.users) {
    const users = options.users;
    store = new MemoryBindingsStore({ clock: systemClock });
    stack.enableRegistrar({
      registrar: new Registrar({ store, clock: systemClock }),
      auth: {
        verifier: new DigestVerifier({ secret: 'test-uas-secret-0123456789abcdef', algorithms: ['MD5', 'SHA-256'] }),
        realm: 'switchboard.test',
        lookup: async (username) => (users[username] === undefined ? undefined : { password: users[username] }),
      },
    });
  }
  return {
    stack,
    port: options.port,
    calls,
    async close() {
      await stack.close();
      await store?.close();
    },
  };
}

function writeStats(uas: TestUas): void {
  const mem = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const tx = uas.stack.transactions.counts;
  const dl = uas.stack.dialogs.counts;
  process.stderr.write(
    `stats heapUsed=${mb(mem.heapUsed)}MB rss=${mb(mem.rss)}MB external=${mb(mem.external)}MB ` +
      `arrayBuffers=${mb(mem.arrayBuffers)}MB serverTx=${tx.server} clientTx=${tx.client} dialogs=${dl.dialogs} ` +
      `incoming=${dl.incoming} answered=${uas.calls.answered} ended=${uas.calls.ended}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5080' },
      address: { type: 'string', default: '127.0.0.1' },
      'log-level': { type: 'string', default: 'silent' },
      stats: { type: 'boolean', default: false },
    },
  });
  const uas = await startTestUas({
    address: values.address,
    port: Number(values.port),
    logger: createLogger({ level: values['log-level'] }),
  });
  process.stdout.write(`ready ${uas.port}\n`);
  const stats = values.stats ? setInterval(() => writeStats(uas), 5000) : undefined;
  const stop = () => {
    if (stats) clearInterval(stats);
    void uas.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
