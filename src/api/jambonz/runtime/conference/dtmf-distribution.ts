/**
 * The conference verb's `distributeDtmf` (specs/jambonz.md §3.A conference): a digit the member's call
 * sends (RFC 4733 or in-band, as the leg detects it) is sent on to every other member of the room, each
 * in its own leg's DTMF method (RFC 4733 events when negotiated, tones otherwise). Digits sent to a leg
 * are not received by it, so nothing loops. A leg that cannot take the digit is logged and skipped.
 */
import type { Channel, Switch } from '../../../../core/index.ts';
import type { Logger } from '../../../../lib/index.ts';

/** Members whose digits this one sends on: everyone of the room but the sender. */
export function dtmfTargets(sw: Switch, from: Channel): Channel[] {
  const name = from.conference;
  const room = name === undefined ? undefined : sw.conference(name);
  return (room?.members() ?? []).map((m) => m.channel).filter((ch) => ch !== from && !ch.ended);
}

/** Starts distributing the call's digits to the room; returns the stop function. */
export function distributeDtmf(sw: Switch, channel: Channel, log: Logger): () => void {
  return channel.on('dtmf', (d) => {
    for (const target of dtmfTargets(sw, channel)) {
      void target.sendDtmf(d.digit, { durationMs: Math.max(100, Math.min(500, d.durationMs || 0)) }).then((r) => {
        if (!r.ok) log.info({ digit: d.digit, to: target.uuid, err: r.error.message }, 'distributeDtmf: digit not sent');
      });
    }
  });
}
