/**
 * Helpers for the transport tests: wait for one event of a TransportManager, and the bound port of a
 * listener.
 */
import type { TransportManager } from './transport-manager.ts';
import type { TransportEvents, TransportName } from './types.ts';

/** The next `event` of `m`; rejects after `ms`. */
export function nextEvent<K extends keyof TransportEvents>(m: TransportManager, event: K, ms = 3000): Promise<TransportEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const off = m.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** The port the listener of `transport` is bound to. */
export function portOf(m: TransportManager, transport: TransportName): number {
  return m.listeners().find((l) => l.transport === transport)!.bound.port;
}
