/**
 * Waits out a call's bridge for the queue verbs: resolves when the bridge the channel is in ends
 * (either side hung up, or it was unbridged), when the channel hangs up, or when `signal` aborts (the
 * bridge is then closed and both legs stay up).
 */
import type { Channel, Switch } from '../../../../core/index.ts';

export function untilUnbridged(sw: Switch, channel: Channel, signal: AbortSignal): Promise<'ended' | 'killed'> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = (how: 'ended' | 'killed'): void => {
      for (const off of offs.splice(0)) off();
      resolve(how);
    };
    const onAbort = (): void => {
      sw.bridgeOf(channel.uuid)?.close('unbridge');
      done('killed');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    offs.push(() => signal.removeEventListener('abort', onAbort));
    offs.push(sw.bus.on('bridge.destroyed', (e) => {
      if (e.bridge.a === channel.uuid || e.bridge.b === channel.uuid) done('ended');
    }));
    offs.push(channel.on('hangup', () => done('ended')));
    if (!sw.bridgeOf(channel.uuid) || channel.ended) done('ended');
  });
}
