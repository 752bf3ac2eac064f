/**
 * API `uuid_bridge <uuid_a> <uuid_b> [<fallback_b>]` (specs/esl.md §5, §4.4 Bridge): bridges two live
 * legs (taking them out of park), `+OK <uuid_b>` / `-ERR Invalid uuid`; fires CHANNEL_EXECUTE with
 * `Application: uuid_bridge` on both legs (no COMPLETE). When one leg hangs up the other does too, as
 * after a bridge whose dialplan is over.
 */
import type { Channel } from '../../../core/index.ts';
import { channelHeaders } from '../channel-headers.ts';
import type { ApiCommand, ApiContext } from './api-command.ts';

function executeEvent(ctx: ApiContext, channel: Channel, other: string): void {
  ctx.hub.fire({
    name: 'CHANNEL_EXECUTE', origin: ['switchboard', 'uuid_bridge', 0],
    headers: [...channelHeaders(channel.snapshot(), { extended: true }), ['Application', 'uuid_bridge'], ['Application-Data', other]],
  });
}

export const uuidBridge: ApiCommand = {
  name: 'uuid_bridge',
  usage: '<uuid> <other_uuid>',
  exec(args, ctx) {
    const [aId = '', bId = '', fallback] = args.trim().split(/\s+/);
    const a = ctx.sw.channel(aId);
    const b = ctx.sw.channel(bId) ?? (fallback === undefined ? undefined : ctx.sw.channel(fallback));
    if (!a || !b || a === b) return '-ERR Invalid uuid\n';
    for (const leg of [a, b]) {
      ctx.apps.parks.markTaken(leg);
      leg.stopPlayback();
      ctx.apps.parks.release(leg);
    }
    executeEvent(ctx, a, b.uuid);
    executeEvent(ctx, b, a.uuid);
    const r = ctx.sw.bridge(a, b);
    if (!r.ok) return `-ERR ${r.error.message}\n`;
    // Only the end of this very bridge by a hangup takes the other leg down (not an unbridge or transfer).
    const id = r.bridge.id;
    const off = ctx.sw.bus.on('bridge.destroyed', (e) => {
      if (e.bridge.id !== id) return;
      off();
      if (e.reason !== 'hangup') return;
      const other = [a, b].find((leg) => !leg.ended);
      if (other && !ctx.apps.parks.isParked(other)) void other.hangup('NORMAL_CLEARING');
    });
    return `+OK ${b.uuid}\n`;
  },
};
