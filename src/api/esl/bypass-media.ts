/**
 * Channel variable `bypass_media` (FreeSWITCH: `set bypass_media=true` before `bridge`, or
 * `{bypass_media=true}` in an originate / bridge dial string): when a leg carrying it is bridged, the
 * call's media leaves the server once both legs are answered (the parties exchange RTP directly), as
 * `uuid_media off` does (api-commands/uuid-media.ts). The original never anchors such a call in the
 * first place; here it is anchored for the moment it takes to re-INVITE both parties.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { Bridge, Switch } from '../../core/index.ts';

function wantsBypass(bridge: Bridge): boolean {
  return [bridge.a, bridge.b].some((leg) => /^(true|yes|on|1)$/i.test(leg.getVariable('bypass_media') ?? ''));
}

/** Follows bridges whose legs ask for bypass_media; returns the unsubscribe. */
export function watchBypassMedia(sw: Switch, log: Logger): () => void {
  const pending = new Map<string, Bridge>();
  const tryBypass = (bridge: Bridge): void => {
    if (!bridge.active || bridge.a.ended || bridge.b.ended) {
      pending.delete(bridge.id);
      return;
    }
    if (!bridge.a.answered || !bridge.b.answered) {
      pending.set(bridge.id, bridge);
      return;
    }
    pending.delete(bridge.id);
    if (bridge.mediaPath === 'bypassed') return;
    void bridge.setMediaPath('bypassed').then((r) => {
      if (r.ok) log.info({ bridge: bridge.id }, 'bypass_media: media left the server');
      else log.warn({ bridge: bridge.id, code: r.error.code, err: r.error.message }, 'bypass_media: media stays anchored');
    }, (err: unknown) => log.warn({ err: errorMessage(err) }, 'bypass_media failed'));
  };
  const offs = [
    sw.bus.on('bridge.created', ({ bridge, a }) => {
      const found = sw.bridgeOf(a.uuid);
      if (found && found.id === bridge.id && wantsBypass(found)) tryBypass(found);
    }),
    sw.bus.on('channel.answered', ({ channel }) => {
      for (const bridge of [...pending.values()]) {
        if (bridge.a.uuid === channel.uuid || bridge.b.uuid === channel.uuid) tryBypass(bridge);
      }
    }),
    sw.bus.on('bridge.destroyed', ({ bridge }) => { pending.delete(bridge.id); }),
  ];
  return () => {
    for (const off of offs) off();
    pending.clear();
  };
}
