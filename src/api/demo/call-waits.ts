/**
 * Small waits the demo applications share: until a channel hangs up.
 */
import type { Channel } from '../../core/index.ts';

/** Resolves once the channel has hung up (at once when it already has). */
export function hangupOf(channel: Channel): Promise<void> {
  if (channel.ended) return Promise.resolve();
  return new Promise((resolve) => {
    const off = channel.on('hangup', () => {
      off();
      resolve();
    });
  });
}
