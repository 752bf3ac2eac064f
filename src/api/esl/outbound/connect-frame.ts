/**
 * The reply to `connect` on an outbound socket (specs/esl.md §0, §3.2): one header-only frame, a
 * CHANNEL_DATA event serialized in plain form (every value URL-encoded): the standard headers, the
 * caller profile with the prefix `Channel-`, the channel block with its `variable_*` headers, then
 * `Content-Type: command/reply`, `Reply-Text: %2BOK%0A`, `Socket-Mode: async|static`,
 * `Control: full|single-channel`, and a blank line. No Content-Length. Pure.
 */
import type { ChannelSnapshot } from '../../../core/index.ts';
import { channelHeaders, profileHeaders } from '../channel-headers.ts';
import { serializePlain, type EventHeader } from '../esl-event.ts';

export interface SocketMode {
  async: boolean;
  full: boolean;
}

/** The CHANNEL_DATA headers after the standard ones. */
export function channelDataHeaders(s: ChannelSnapshot): EventHeader[] {
  return [...profileHeaders(s, 'Channel-'), ...channelHeaders(s, { extended: true })];
}

/** The whole connect frame from the stamped standard headers (Event-Name: CHANNEL_DATA ... Event-Sequence). */
export function connectFrame(standard: readonly EventHeader[], s: ChannelSnapshot, mode: SocketMode): string {
  return serializePlain({
    headers: [
      ...standard,
      ...channelDataHeaders(s),
      ['Content-Type', 'command/reply'],
      ['Reply-Text', '+OK\n'],
      ['Socket-Mode', mode.async ? 'async' : 'static'],
      ['Control', mode.full ? 'full' : 'single-channel'],
    ],
  });
}
