/**
 * Registration with carriers (SIP trunks) that want it (RFC 3261 section 10.2, through the stack's
 * RegistrationClient: digest on 401/407, refresh before expiry, back-off after failures): one client
 * per carrier with `register: true` and credentials, binding `sip:<username>@<carrier host>` to our
 * advertised address. close() unregisters them all (idempotent).
 */
import { RegistrationClient, type SipStack } from '../../sip/index.ts';
import type { Clock, Logger } from '../../lib/index.ts';

export interface RegisteredCarrier {
  name: string;
  /** HOST or HOST:PORT of the carrier's registrar. */
  host: string;
  transport?: 'udp' | 'tcp' | 'tls';
  username?: string | undefined;
  password?: string | undefined;
  register?: boolean;
}

export interface CarrierRegistrations {
  /** `registered`, `failed` or `pending` per carrier that registers. */
  states(): Record<string, 'pending' | 'registered' | 'failed'>;
  close(): Promise<void>;
}

export function registerCarriers(
  sip: SipStack, carriers: readonly RegisteredCarrier[], options: { contactHost: string; clock: Clock; log: Logger; expires?: number },
): CarrierRegistrations {
  const clients: { name: string; client: RegistrationClient }[] = [];
  const states: Record<string, 'pending' | 'registered' | 'failed'> = {};
  for (const c of carriers) {
    if (!c.register) continue;
    const log = options.log.child({ carrier: c.name });
    if (c.username === undefined || c.password === undefined) {
      log.warn('carrier registration needs username and password: not registering');
      continue;
    }
    const domain = c.host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    const params = c.transport && c.transport !== 'udp' ? `;transport=${c.transport}` : '';
    const scheme = c.transport === 'tls' ? 'sips' : 'sip';
    const client = new RegistrationClient({
      send: (req) => sip.request(req),
      clock: options.clock,
      registrar: `${scheme}:${c.host}${params}`,
      aor: `${scheme}:${c.username}@${domain}`,
      contact: `<${scheme}:${c.username}@${options.contactHost}${params}>`,
      credentials: { username: c.username, password: c.password },
      expires: options.expires ?? 3600,
      logger: log,
    });
    states[c.name] = 'pending';
    client.on('registered', ({ expires }) => {
      states[c.name] = 'registered';
      log.info({ expires }, 'registered with the carrier');
    });
    client.on('failed', ({ status, reason, retryInMs }) => {
      states[c.name] = 'failed';
      log.warn({ status, reason, retryInMs }, 'carrier registration failed');
    });
    client.start();
    clients.push({ name: c.name, client });
  }
  let closing: Promise<void> | undefined;
  return {
    states: () => ({ ...states }),
    close() {
      closing ??= Promise.all(clients.map(({ client }) => client.stop().catch(() => undefined))).then(() => undefined);
      return closing;
    },
  };
}
